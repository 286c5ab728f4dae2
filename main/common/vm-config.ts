/**
 * The VM configuration (`<library>/<VM name>/vm.json`): one versioned zod schema, used to
 * validate on every read and write, by the services, the CLI and the renderer's forms.
 *
 * Schema history:
 *   1 — first version.
 * A file with a larger schemaVersion is reported as inaccessible ("made by a newer Glaunch")
 * and never rewritten.
 */
import { z } from 'zod';
import { CPU_MODEL_IDS, cpuModel, type CpuModelId } from '../../emulator/cpu/models';

export const SCHEMA_VERSION = 1;

export const OS_TYPES = [
  'glaunch-demo',
  'elbrus-linux',
  'alt-linux',
  'astra-linux',
  'other-linux',
  'other',
] as const;
export type OsType = (typeof OS_TYPES)[number];

export const BOOT_DEVICES = ['disk', 'optical'] as const;
export const MEDIUM_TYPES = ['disk', 'optical'] as const;
export const SERIAL_MODES = ['console', 'tcp', 'pty', 'file', 'disconnected'] as const;
export type SerialMode = (typeof SERIAL_MODES)[number];

/** Storage slots of the glaunch-virt board: virtio-blk devices. */
export const STORAGE_SLOTS = ['vda', 'vdb', 'vdc', 'vdd'] as const;
export const MAX_SERIAL_PORTS = 4;

/**
 * Intercepts a user may switch, named as the VIRT_CTRL_CU / VIRT_CTRL_MU bits they set
 * (virtualization.md §1.1, §1.2). Device (MMIO) accesses, GPA misses, the quantum timer and
 * idle waits always exit — the VMM cannot work without them — so they are not listed.
 */
export const CU_INTERCEPTS = [
  'rr_idr',
  'rr_clkr',
  'rr_sclkr',
  'rw_core_mode',
  'rw_clkr',
  'rw_sclkr',
  'rw_sclkm3',
  'hcem',
  'virt',
  'stop',
  'exc_instr_page',
  'exc_data_page',
  'exc_interrupt',
] as const;
export const MU_INTERCEPTS = [
  'rr_mmu_cr',
  'rw_mmu_cr',
  'rr_pptb',
  'rw_pptb',
  'fl_tlb',
  'fl_tlbpg',
  'rw_dbg1',
] as const;
export type CuIntercept = (typeof CU_INTERCEPTS)[number];
export type MuIntercept = (typeof MU_INTERCEPTS)[number];

/** KVM's defaults for a hardware-virtualized vCPU (virtualization.md §1.1, §1.2), plus rr_clkr
 * so that guest time is virtual. */
export const DEFAULT_CU_INTERCEPTS: Record<CuIntercept, boolean> = {
  rr_idr: true,
  rr_clkr: true,
  rr_sclkr: true,
  rw_core_mode: true,
  rw_clkr: true,
  rw_sclkr: true,
  rw_sclkm3: true,
  hcem: true,
  virt: true,
  stop: true,
  exc_instr_page: false,
  exc_data_page: false,
  exc_interrupt: false,
};
export const DEFAULT_MU_INTERCEPTS: Record<MuIntercept, boolean> = {
  rr_mmu_cr: false,
  rw_mmu_cr: false,
  rr_pptb: false,
  rw_pptb: false,
  fl_tlb: false,
  fl_tlbpg: false,
  rw_dbg1: true,
};

const boolRecord = <K extends string>(keys: readonly K[], defaults: Record<K, boolean>) =>
  z
    .object(
      Object.fromEntries(keys.map((k) => [k, z.boolean().default(defaults[k])])) as Record<
        K,
        z.ZodDefault<z.ZodBoolean>
      >,
    )
    .strict();

/** Characters that cannot appear in a folder name on Windows, macOS or Linux. */
// eslint-disable-next-line no-control-regex
const BAD_NAME_CHARS = /[<>:"/\\|?*\u0000-\u001f]/;
const RESERVED_WINDOWS = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

export const vmNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .refine((s) => s.trim() === s, 'must not start or end with spaces')
  .refine(
    (s) => !BAD_NAME_CHARS.test(s),
    'must not contain < > : " / \\ | ? * or control characters',
  )
  .refine(
    (s) => s !== '.' && s !== '..' && !s.endsWith('.'),
    'must not be "." or ".." or end with a dot',
  )
  .refine((s) => !RESERVED_WINDOWS.test(s), 'is a reserved device name on Windows');

export const storageAttachmentSchema = z
  .object({
    slot: z.enum(STORAGE_SLOTS),
    type: z.enum(MEDIUM_TYPES),
    /** Absolute path, or a path relative to the VM folder. */
    path: z.string().min(1, 'must name an image file'),
    readOnly: z.boolean().default(false),
  })
  .strict();

export const serialPortSchema = z
  .object({
    index: z
      .number()
      .int()
      .min(0)
      .max(MAX_SERIAL_PORTS - 1),
    mode: z.enum(SERIAL_MODES),
    /** mode 'tcp': port on 127.0.0.1. */
    tcpPort: z.number().int().min(1).max(65535).optional(),
    /** mode 'file': absolute path, or relative to the VM folder. */
    filePath: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.mode === 'tcp' && p.tcpPort === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['tcpPort'],
        message: 'a TCP port is required in tcp mode',
      });
    if (p.mode === 'file' && !p.filePath)
      ctx.addIssue({
        code: 'custom',
        path: ['filePath'],
        message: 'a log file path is required in file mode',
      });
  });

export const virtualizationSchema = z
  .object({
    cuIntercepts: boolRecord(CU_INTERCEPTS, DEFAULT_CU_INTERCEPTS).default(DEFAULT_CU_INTERCEPTS),
    muIntercepts: boolRecord(MU_INTERCEPTS, DEFAULT_MU_INTERCEPTS).default(DEFAULT_MU_INTERCEPTS),
    /** How guest-physical memory gets host memory: on first touch (GPA intercept) or all at start. */
    gpaMapping: z.enum(['lazy', 'prealloc']).default('lazy'),
    /** Preemption-timer quantum: how long a vCPU runs before the VMM gets control back. */
    quantumUs: z
      .number()
      .int()
      .min(100, 'must be at least 100 µs')
      .max(1_000_000, 'must be at most 1 s')
      .default(10_000),
  })
  .strict();

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date');

export const vmConfigSchema = z
  .object({
    schemaVersion: z.literal(SCHEMA_VERSION),
    name: vmNameSchema,
    description: z.string().max(4000).default(''),
    osType: z.enum(OS_TYPES),
    cpu: z.object({ model: z.enum(CPU_MODEL_IDS), count: z.number().int().min(1) }).strict(),
    memoryMiB: z.number().int(),
    bootOrder: z.array(z.enum(BOOT_DEVICES)).max(BOOT_DEVICES.length).default(['optical', 'disk']),
    storage: z.array(storageAttachmentSchema).max(STORAGE_SLOTS.length).default([]),
    serialPorts: z
      .array(serialPortSchema)
      .max(MAX_SERIAL_PORTS)
      .default([{ index: 0, mode: 'console' }]),
    virtualization: virtualizationSchema.default(() => virtualizationSchema.parse({})),
    createdAt: isoDate,
    modifiedAt: isoDate,
  })
  .strict()
  .superRefine((c, ctx) => {
    const m = cpuModel(c.cpu.model as CpuModelId);
    if (c.cpu.count > m.maxCpus)
      ctx.addIssue({
        code: 'custom',
        path: ['cpu', 'count'],
        message: `${m.name} has at most ${m.maxCpus} vCPUs`,
      });
    if (c.memoryMiB < m.minRamMiB || c.memoryMiB > m.maxRamMiB)
      ctx.addIssue({
        code: 'custom',
        path: ['memoryMiB'],
        message: `must be between ${m.minRamMiB} MiB and ${m.maxRamMiB} MiB for ${m.name}`,
      });
    const dup = (xs: unknown[]) => xs.findIndex((x, i) => xs.indexOf(x) !== i);
    const ds = dup(c.storage.map((s) => s.slot));
    if (ds >= 0)
      ctx.addIssue({
        code: 'custom',
        path: ['storage', ds, 'slot'],
        message: `slot ${c.storage[ds].slot} is used twice`,
      });
    const dp = dup(c.serialPorts.map((s) => s.index));
    if (dp >= 0)
      ctx.addIssue({
        code: 'custom',
        path: ['serialPorts', dp, 'index'],
        message: `serial port ${c.serialPorts[dp].index} is configured twice`,
      });
    const db = dup(c.bootOrder);
    if (db >= 0)
      ctx.addIssue({
        code: 'custom',
        path: ['bootOrder', db],
        message: 'a boot device is listed twice',
      });
    c.storage.forEach((s, i) => {
      if (s.type === 'optical' && !s.readOnly)
        ctx.addIssue({
          code: 'custom',
          path: ['storage', i, 'readOnly'],
          message: 'optical media are always read-only',
        });
    });
    const tcp = c.serialPorts.filter((p) => p.mode === 'tcp').map((p) => p.tcpPort);
    const dt = dup(tcp);
    if (dt >= 0)
      ctx.addIssue({
        code: 'custom',
        path: ['serialPorts'],
        message: `TCP port ${tcp[dt]} is used by two serial ports`,
      });
  });

export type VmConfig = z.infer<typeof vmConfigSchema>;
export type StorageAttachment = z.infer<typeof storageAttachmentSchema>;
export type SerialPortConfig = z.infer<typeof serialPortSchema>;
export type VirtualizationConfig = z.infer<typeof virtualizationSchema>;

/** What a user gives to create a VM; everything else gets defaults. */
export const newVmInputSchema = z
  .object({
    name: vmNameSchema,
    description: z.string().max(4000).optional(),
    osType: z.enum(OS_TYPES).default('glaunch-demo'),
    cpuModel: z.enum(CPU_MODEL_IDS),
    cpuCount: z.number().int().min(1).default(1),
    memoryMiB: z.number().int(),
    storage: z.array(storageAttachmentSchema).optional(),
    serialPorts: z.array(serialPortSchema).optional(),
    bootOrder: z.array(z.enum(BOOT_DEVICES)).optional(),
    virtualization: virtualizationSchema.partial().optional(),
  })
  .strict();
export type NewVmInput = z.input<typeof newVmInputSchema>;

/** One validation problem in a form that the UI can put next to its field. */
export interface FieldProblem {
  /** Dotted path inside vm.json, e.g. "cpu.count" or "storage.0.path"; "" for the whole file. */
  field: string;
  message: string;
}

export function zodProblems(err: z.ZodError): FieldProblem[] {
  return err.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message }));
}
