/**
 * Turning create/modify flags into configuration changes. Image paths given on the command line
 * are resolved against the current directory (vm.json stores relative paths relative to the VM
 * folder, which is not what a shell user means).
 */
import path from 'node:path';
import {
  CU_INTERCEPTS,
  MU_INTERCEPTS,
  SERIAL_MODES,
  STORAGE_SLOTS,
  type SerialPortConfig,
  type StorageAttachment,
  type VmConfig,
} from '../../../common/vm-config';
import { parseChoice, parseIntArg, UsageError } from '../args';

/** `console`, `pty`, `disconnected`, `tcp:PORT`, `file:PATH` → serial port `index`. */
export function parseSerial(text: string, index: number, cwd: string): SerialPortConfig {
  const colon = text.indexOf(':');
  const mode = parseChoice('--serial', colon >= 0 ? text.slice(0, colon) : text, SERIAL_MODES);
  const arg = colon >= 0 ? text.slice(colon + 1) : undefined;
  if (mode === 'tcp') {
    if (!arg) throw new UsageError(`--serial: tcp needs a port (tcp:PORT)`);
    return { index, mode, tcpPort: parseIntArg('--serial tcp', arg, 1, 65535) };
  }
  if (mode === 'file') {
    if (!arg) throw new UsageError(`--serial: file needs a path (file:PATH)`);
    return { index, mode, filePath: path.resolve(cwd, arg) };
  }
  if (arg !== undefined)
    throw new UsageError(`--serial: mode ${mode} takes no argument (got '${text}')`);
  return { index, mode };
}

export function parseSerials(values: string[], cwd: string): SerialPortConfig[] {
  if (values.length === 1 && values[0] === 'none') return [];
  if (values.length > 4) throw new UsageError(`--serial: at most 4 serial ports`);
  return values.map((v, i) => parseSerial(v, i, cwd));
}

/**
 * Sets (path) or removes ('none') the first attachment of a type; a new one takes the first free
 * slot. Disks are writable, optical media read-only.
 */
export function setMedium(
  storage: StorageAttachment[],
  type: 'disk' | 'optical',
  value: string,
  cwd: string,
): StorageAttachment[] {
  const flag = type === 'disk' ? '--disk' : '--iso';
  if (value.trim() === '') throw new UsageError(`${flag}: needs an image path or 'none'`);
  const i = storage.findIndex((s) => s.type === type);
  if (value === 'none') return i < 0 ? storage : storage.filter((_, j) => j !== i);
  const p = path.resolve(cwd, value);
  if (i >= 0) return storage.map((s, j) => (j === i ? { ...s, path: p } : s));
  const slot = STORAGE_SLOTS.find((sl) => !storage.some((s) => s.slot === sl));
  if (!slot) throw new UsageError(`${flag}: all ${STORAGE_SLOTS.length} storage slots are in use`);
  return [...storage, { slot, type, path: p, readOnly: type === 'optical' }];
}

/** `NAME=on|off` for a CU or MU intercept. */
export function applyIntercept(
  v: VmConfig['virtualization'],
  text: string,
): VmConfig['virtualization'] {
  const m = /^([a-z_]+)=(on|off)$/.exec(text);
  if (!m) throw new UsageError(`--intercept: '${text}' is not NAME=on|off`);
  const [, name, state] = m;
  const on = state === 'on';
  if ((CU_INTERCEPTS as readonly string[]).includes(name))
    return { ...v, cuIntercepts: { ...v.cuIntercepts, [name]: on } };
  if ((MU_INTERCEPTS as readonly string[]).includes(name))
    return { ...v, muIntercepts: { ...v.muIntercepts, [name]: on } };
  throw new UsageError(
    `--intercept: unknown intercept '${name}' (one of ${[...CU_INTERCEPTS, ...MU_INTERCEPTS].join(', ')})`,
  );
}

/** Maps vm.json field paths back to the flags that set them, for error messages. */
export function flagForField(field: string): string {
  if (field === 'memoryMiB') return '--ram';
  if (field.startsWith('cpu.count') || field === 'cpuCount') return '--cpus';
  if (field.startsWith('cpu.model') || field === 'cpuModel') return '--preset';
  if (field === 'osType') return '--os';
  if (field === 'description') return '--description';
  if (field.startsWith('serialPorts')) return '--serial';
  if (field.startsWith('virtualization.quantumUs')) return '--quantum-us';
  if (field.startsWith('storage')) return '--disk/--iso';
  if (field === 'name') return 'name';
  return field;
}
