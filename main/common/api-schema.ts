/**
 * Argument schemas of every GlaunchApi method, as positional tuples. Both transports (Electron
 * IPC and the WebSocket server) run every incoming call through `parseApiArgs` before it reaches
 * the service: the renderer is untrusted input as far as main is concerned.
 */
import { z } from 'zod';
import type { ApiMethod } from './api';
import { ApiError } from './api-error';
import { MAX_SERIAL_PORTS, newVmInputSchema, vmNameSchema, zodProblems } from './vm-config';

const anyName = z.string().min(1).max(260);
// Paths from the UI must be absolute: relative to what? (the server's cwd is meaningless there).
const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(p), 'must be an absolute path');

const serialPort = z
  .number()
  .int()
  .min(0)
  .max(MAX_SERIAL_PORTS - 1);

export const apiArgSchemas = {
  getAppInfo: z.tuple([]),
  getPreferences: z.tuple([]),
  setPreferences: z.tuple([
    z
      .object({
        language: z.enum(['en', 'ru']).optional(),
        theme: z.enum(['system', 'light', 'dark']).optional(),
      })
      .strict(),
  ]),
  listVms: z.tuple([]),
  // Names of existing VMs are only looked up, so any string is accepted (an inaccessible VM's
  // folder name might not pass vmNameSchema); new names must be valid folder names.
  getVm: z.tuple([anyName]),
  createVm: z.tuple([newVmInputSchema]),
  // The whole config is validated by the library (it needs the folder name for context).
  updateVm: z.tuple([anyName, z.record(z.string(), z.unknown())]),
  renameVm: z.tuple([anyName, vmNameSchema]),
  cloneVm: z.tuple([anyName, vmNameSchema]),
  deleteVm: z.tuple([anyName, z.object({ deleteFiles: z.boolean() }).strict()]),
  importVm: z.tuple([absolutePath]),
  pickFile: z.tuple([
    z
      .object({
        title: z.string().max(200).optional(),
        filters: z
          .array(
            z
              .object({
                name: z.string().max(100),
                extensions: z.array(z.string().max(20)).max(20),
              })
              .strict(),
          )
          .max(20)
          .optional(),
      })
      .strict(),
  ]),
  startVm: z.tuple([anyName, z.object({ headless: z.boolean() }).strict()]),
  pauseVm: z.tuple([anyName]),
  resumeVm: z.tuple([anyName]),
  resetVm: z.tuple([anyName]),
  shutdownVm: z.tuple([anyName]),
  powerOffVm: z.tuple([anyName]),
  getVmStatus: z.tuple([anyName]),
  attachConsole: z.tuple([anyName, serialPort]),
  // 64 KiB of base64 per call is far more than a paste needs; larger pastes are split.
  writeConsole: z.tuple([anyName, serialPort, z.base64().max(65536)]),
  getVmRegisters: z.tuple([anyName]),
  readVmLog: z.tuple([anyName, z.number().int().min(0).max(2)]),
} satisfies Record<ApiMethod, z.ZodTuple>;

/**
 * Validates the arguments of one call; throws ApiError('validation') whose problem fields are
 * prefixed with the argument index ("0.memoryMiB" → reported as "memoryMiB" for argument 0 when
 * the method has a single object argument, so forms can use them directly).
 */
export function parseApiArgs(method: ApiMethod, args: unknown): unknown[] {
  const schema = apiArgSchemas[method];
  if (!schema) throw new ApiError('validation', `unknown method '${String(method)}'`);
  if (!Array.isArray(args))
    throw new ApiError('validation', `${method}: arguments must be an array`);
  const r = schema.safeParse(args);
  if (r.success) return r.data as unknown[];
  const problems = zodProblems(r.error).map((p) => {
    // Strip the argument index for single-object arguments (createVm, setPreferences, ...).
    const [first, ...rest] = p.field.split('.');
    return /^\d+$/.test(first) && rest.length > 0 && schema.def.items.length === 1
      ? { field: rest.join('.'), message: p.message }
      : p;
  });
  const first = problems[0];
  const where = first && first.field ? `${first.field}: ` : '';
  throw new ApiError(
    'validation',
    `${method}: invalid arguments (${where}${first?.message ?? 'bad input'})`,
    problems,
  );
}
