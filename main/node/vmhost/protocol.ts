/**
 * The message protocol between the VM host (in the app, `glaunch web` or the CLI's host) and
 * one VM process. The same messages travel over Electron's utilityProcess port and over a
 * child_process IPC channel with `serialization: 'advanced'` (structured clone), so console
 * bytes stay Uint8Array. Both ends validate every message with these schemas; a message that
 * fails is reported and dropped, never acted upon.
 *
 * Every message carries `v` (VM_PROTOCOL_VERSION). The VM process says hello first; a host
 * that sees another version kills it with a clear error (the app and the VM process come from
 * one build, so this only happens with a stale dist/).
 *
 * Flow control of console output: the VM process stops draining a port once
 * CONSOLE_WINDOW_BYTES are sent and not yet acknowledged; the host acknowledges each chunk
 * once it is in its scrollback and handed to the attached consoles.
 *
 * Console ports (the desktop app): the start message says `consolePorts: true`; the VM
 * process then keeps the console scrollback itself and sends console bytes to no one but the
 * windows' MessagePorts, which the host hands over with `consolePort` (the port travels in the
 * message's transfer list). Window ↔ VM process messages are `windowMessageSchema` /
 * `vmPortMessageSchema` below; the window acknowledges each chunk (same window size). The host
 * asks for the scrollback with `consoleContents` (attach over IPC, the fallback path).
 */
import { z } from 'zod';
import { SERIAL_MODES, STORAGE_SLOTS } from '../../common/vm-config';

export const VM_PROTOCOL_VERSION = 1;
export const CONSOLE_WINDOW_BYTES = 256 * 1024;
/** How often the VM process reports counters and state. */
export const STATS_INTERVAL_MS = 200;

const v = z.literal(VM_PROTOCOL_VERSION);
const port = z.number().int().min(0).max(3);
const bytes = z.custom<Uint8Array>((x) => x instanceof Uint8Array, 'must be a Uint8Array');

export const serialSetupSchema = z
  .object({
    index: port,
    mode: z.enum(SERIAL_MODES),
    tcpPort: z.number().int().min(1).max(65535).optional(),
    /** Absolute path (the host resolves it against the VM folder). */
    filePath: z.string().min(1).optional(),
  })
  .strict();
export type SerialSetup = z.infer<typeof serialSetupSchema>;

export const diskSetupSchema = z
  .object({
    slot: z.enum(STORAGE_SLOTS),
    medium: z.enum(['disk', 'optical']),
    readOnly: z.boolean(),
    /** Absolute path of the image. */
    path: z.string().min(1),
  })
  .strict();
export type DiskSetup = z.infer<typeof diskSetupSchema>;

export const machineConfigSchema = z
  .object({
    cpuModel: z.string().min(1),
    vcpus: z.number().int().min(1).max(64),
    memoryMiB: z.number().int().min(1),
    serialPorts: z.number().int().min(0).max(4),
    bootOrder: z.array(z.enum(['disk', 'optical'])),
    cuIntercepts: z.array(z.string()).optional(),
    muIntercepts: z.array(z.string()).optional(),
  })
  .strict();

export const hostMessageSchema = z.discriminatedUnion('type', [
  z
    .object({
      v,
      type: z.literal('start'),
      name: z.string().min(1),
      folder: z.string().min(1),
      machine: machineConfigSchema,
      quantumUs: z.number().int().positive(),
      gpaMapping: z.enum(['lazy', 'prealloc']),
      disks: z.array(diskSetupSchema).max(4),
      serial: z.array(serialSetupSchema).max(4),
      /** Console bytes go to window MessagePorts; the VM process keeps the scrollback. */
      consolePorts: z.boolean().optional(),
    })
    .strict(),
  z.object({ v, type: z.literal('consolePort') }).strict(),
  z.object({ v, type: z.literal('consoleContents'), id: z.number().int(), port }).strict(),
  z.object({ v, type: z.literal('pause') }).strict(),
  z.object({ v, type: z.literal('resume') }).strict(),
  z.object({ v, type: z.literal('reset') }).strict(),
  z.object({ v, type: z.literal('powerButton') }).strict(),
  z.object({ v, type: z.literal('powerOff') }).strict(),
  z.object({ v, type: z.literal('consoleIn'), port, data: bytes }).strict(),
  z
    .object({ v, type: z.literal('consoleAck'), port, bytes: z.number().int().nonnegative() })
    .strict(),
  z.object({ v, type: z.literal('registers'), id: z.number().int() }).strict(),
]);
export type HostMessage = z.infer<typeof hostMessageSchema>;

const statsSchema = z.object({
  uptimeMs: z.number(),
  counters: z.record(z.string(), z.number()),
  vcpus: z.array(
    z.object({ id: z.number(), state: z.string(), counters: z.record(z.string(), z.number()) }),
  ),
  recentIntercepts: z.array(z.unknown()),
  disks: z.record(z.string(), z.object({ readBytes: z.number(), writtenBytes: z.number() })),
  guestRamResidentBytes: z.number(),
});

export const vmMessageSchema = z.discriminatedUnion('type', [
  z.object({ v: z.number().int(), type: z.literal('hello'), pid: z.number().int() }),
  z
    .object({
      v,
      type: z.literal('started'),
      serial: z.array(z.object({ index: port, endpoint: z.string().optional() }).strict()),
    })
    .strict(),
  z.object({ v, type: z.literal('startFailed'), message: z.string() }).strict(),
  z.object({ v, type: z.literal('paused') }).strict(),
  z.object({ v, type: z.literal('resumed') }).strict(),
  z.object({ v, type: z.literal('stats'), atMs: z.number(), stats: statsSchema }).strict(),
  z.object({ v, type: z.literal('consoleOut'), port, data: bytes }).strict(),
  z
    .object({
      v,
      type: z.literal('exit'),
      kind: z.enum(['poweroff', 'halted', 'forced']),
      reason: z.string().optional(),
    })
    .strict(),
  z
    .object({
      v,
      type: z.literal('log'),
      level: z.enum(['info', 'warn', 'error']),
      line: z.string(),
    })
    .strict(),
  z
    .object({
      v,
      type: z.literal('registers'),
      id: z.number().int(),
      regs: z.array(z.record(z.string(), z.string())),
    })
    .strict(),
  z
    .object({ v, type: z.literal('consoleContents'), id: z.number().int(), port, data: bytes })
    .strict(),
]);
export type VmMessage = z.infer<typeof vmMessageSchema>;

/** Distributes Omit over a union so each message type keeps its own fields. */
type Body<T> = T extends unknown ? Omit<T, 'v'> : never;
export type HostMessageBody = Body<HostMessage>;
export type VmMessageBody = Body<VmMessage>;

export type Parsed<T> = { ok: true; msg: T } | { ok: false; message: string };

function parse<T>(schema: z.ZodType<T>, raw: unknown, who: string): Parsed<T> {
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, msg: r.data };
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : raw;
  const issue = r.error.issues[0];
  return {
    ok: false,
    message: `invalid message from the ${who} (type ${JSON.stringify(type)}): ${issue.path.join('.') || 'message'}: ${issue.message}`,
  };
}

/** Window → VM process over a console MessagePort. */
export const windowMessageSchema = z.discriminatedUnion('type', [
  /** Asks for the scrollback; live `consoleOut` of that serial port follows the answer. */
  z.object({ v, type: z.literal('attach'), id: z.number().int(), port }).strict(),
  z.object({ v, type: z.literal('consoleIn'), port, data: bytes }).strict(),
  z
    .object({ v, type: z.literal('consoleAck'), port, bytes: z.number().int().nonnegative() })
    .strict(),
]);
export type WindowMessage = z.infer<typeof windowMessageSchema>;

/** VM process → window over a console MessagePort. */
export const vmPortMessageSchema = z.discriminatedUnion('type', [
  z.object({ v, type: z.literal('attached'), id: z.number().int(), port, data: bytes }).strict(),
  z.object({ v, type: z.literal('consoleOut'), port, data: bytes }).strict(),
  /** A request the VM process refused (e.g. a port that is not a console). */
  z.object({ v, type: z.literal('refused'), id: z.number().int(), message: z.string() }).strict(),
]);
export type VmPortMessage = z.infer<typeof vmPortMessageSchema>;
export type WindowMessageBody = Body<WindowMessage>;
export type VmPortMessageBody = Body<VmPortMessage>;

export const parseWindowMessage = (raw: unknown) =>
  parse(windowMessageSchema, raw, 'window (console port)');
export const parseVmPortMessage = (raw: unknown) =>
  parse(vmPortMessageSchema, raw, 'VM process (console port)');

export const parseHostMessage = (raw: unknown) => parse(hostMessageSchema, raw, 'VM host');
export const parseVmMessage = (raw: unknown) => parse(vmMessageSchema, raw, 'VM process');
