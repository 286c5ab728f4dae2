/**
 * The Settings dialog edits a draft VmConfig; these helpers validate it with the shared
 * schema and tell which tab a problem path belongs to.
 */
import type { FieldProblem, VmConfig } from '../../main/common/vm-config';
import { vmConfigSchema, zodProblems } from '../../main/common/vm-config';

export const SETTINGS_TABS = ['general', 'system', 'storage', 'serial', 'virtualization'] as const;
export type SettingsTab = (typeof SETTINGS_TABS)[number];

export function validateConfig(draft: VmConfig): FieldProblem[] {
  const r = vmConfigSchema.safeParse(draft);
  return r.success ? [] : zodProblems(r.error);
}

export function tabOfField(field: string): SettingsTab {
  const head = field.split('.')[0];
  if (head === 'cpu' || head === 'memoryMiB' || head === 'bootOrder') return 'system';
  if (head === 'storage') return 'storage';
  if (head === 'serialPorts') return 'serial';
  if (head === 'virtualization') return 'virtualization';
  return 'general';
}

export function tabsWithProblems(problems: readonly FieldProblem[]): Set<SettingsTab> {
  return new Set(problems.map((p) => tabOfField(p.field)));
}

/** Boot orders offered in the UI: every valid value of `bootOrder`. */
export const BOOT_ORDER_CHOICES = [
  'optical,disk',
  'disk,optical',
  'disk',
  'optical',
  'none',
] as const;
export type BootOrderChoice = (typeof BOOT_ORDER_CHOICES)[number];

export function bootChoiceOf(order: readonly string[]): BootOrderChoice {
  const s = order.join(',');
  return (BOOT_ORDER_CHOICES as readonly string[]).includes(s) ? (s as BootOrderChoice) : 'none';
}

export function bootOrderOf(choice: BootOrderChoice): VmConfig['bootOrder'] {
  return choice === 'none' ? [] : (choice.split(',') as VmConfig['bootOrder']);
}

/** Memory sizes read better in GiB once they are whole gibibytes. */
export function formatMiB(mib: number): { key: 'units.mib' | 'units.gib'; value: number } {
  return mib >= 1024 && mib % 1024 === 0
    ? { key: 'units.gib', value: mib / 1024 }
    : { key: 'units.mib', value: mib };
}
