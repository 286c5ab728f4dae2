/**
 * Field problems (dotted paths into vm.json, see FieldProblem) as forms need them: looked up
 * by field, and translated. The shared schema and main speak English; the known messages are
 * recognised here and shown in the user's language, anything else is shown as it came.
 */
import type { FieldProblem } from '../../main/common/vm-config';

export type TFn = (key: string, options?: Record<string, unknown>) => string;

const PATTERNS: [RegExp, string, (m: RegExpMatchArray) => Record<string, unknown>][] = [
  [/^must not be empty$/, 'problem.nameEmpty', () => ({})],
  [/^must be at most 64 characters$/, 'problem.nameTooLong', () => ({})],
  [/^must not start or end with spaces$/, 'problem.nameSpaces', () => ({})],
  [/^must not contain </, 'problem.nameChars', () => ({})],
  [/^must not be "\." or/, 'problem.nameDots', () => ({})],
  [/^is a reserved device name on Windows$/, 'problem.nameReserved', () => ({})],
  [/^a VM named '(.*)' already exists$/, 'problem.nameTaken', (m) => ({ name: m[1] })],
  [/^must name an image file$/, 'problem.imageRequired', () => ({})],
  [/^a TCP port is required in tcp mode$/, 'problem.tcpRequired', () => ({})],
  [/^a log file path is required in file mode$/, 'problem.fileRequired', () => ({})],
  [/^(.+) has at most (\d+) vCPUs$/, 'problem.maxCpus', (m) => ({ chip: m[1], max: m[2] })],
  [
    /^must be between (\d+) MiB and (\d+) MiB for (.+)$/,
    'problem.memoryRange',
    (m) => ({ min: m[1], max: m[2], chip: m[3] }),
  ],
  [/^slot (\w+) is used twice$/, 'problem.slotTwice', (m) => ({ slot: m[1] })],
  [/^TCP port (\d+) is used by two serial ports$/, 'problem.tcpTwice', (m) => ({ port: m[1] })],
  [/^optical media are always read-only$/, 'problem.opticalReadOnly', () => ({})],
  [/^must be at least 100 µs$/, 'problem.quantumMin', () => ({})],
  [/^must be at most 1 s$/, 'problem.quantumMax', () => ({})],
  [/^Too small: expected number to be >=(\d+)$/, 'problem.atLeast', (m) => ({ min: m[1] })],
  [/^Too big: expected number to be <=(\d+)$/, 'problem.atMost', (m) => ({ max: m[1] })],
  [
    /^Too big: expected string to have <=(\d+) characters$/,
    'problem.tooLong',
    (m) => ({ max: m[1] }),
  ],
  [/received NaN/, 'problem.notANumber', () => ({})],
  [/expected int/, 'problem.notANumber', () => ({})],
];

export function translateProblem(message: string, t: TFn): string {
  for (const [re, key, params] of PATTERNS) {
    const m = message.match(re);
    if (m) return t(key, params(m));
  }
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/** The first problem reported exactly at `field`, if any. */
export function problemAt(problems: readonly FieldProblem[], field: string): string | undefined {
  return problems.find((p) => p.field === field)?.message;
}

/** Whether any problem concerns `prefix` or something inside it. */
export function hasProblemUnder(problems: readonly FieldProblem[], prefix: string): boolean {
  return problems.some((p) => p.field === prefix || p.field.startsWith(`${prefix}.`));
}
