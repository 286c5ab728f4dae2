/**
 * Keyboard shortcuts of the main window. Mostly VirtualBox's (Ctrl+N new, Ctrl+S settings);
 * clone is Ctrl+D ("duplicate"); Ctrl+O ("open") adds an existing machine folder. On macOS
 * the Command key stands in for Ctrl.
 *
 * Machine commands use Ctrl+Shift, so that inside the console every plain Ctrl+letter
 * (Ctrl+D, Ctrl+N, Ctrl+S, ...) reaches the guest: S start, L start headless, P pause or
 * resume, E reset, H ACPI shutdown (VirtualBox's H), F power off ("force"). Ctrl+Shift+R and
 * Ctrl+Shift+Q are avoided: browsers reload and quit with them.
 */
export type AppCommand =
  'newVm' | 'addVm' | 'settings' | 'cloneVm' | 'removeVm' | 'preferences' | 'about' | VmCommand;

export type VmCommand =
  'startVm' | 'startHeadless' | 'pauseVm' | 'resetVm' | 'shutdownVm' | 'powerOffVm';

export const VM_COMMANDS: readonly VmCommand[] = [
  'startVm',
  'startHeadless',
  'pauseVm',
  'resetVm',
  'shutdownVm',
  'powerOffVm',
];

interface Binding {
  command: AppCommand;
  key: string;
  mod: boolean;
  shift?: boolean;
}

const BINDINGS: readonly Binding[] = [
  { command: 'newVm', key: 'n', mod: true },
  { command: 'addVm', key: 'o', mod: true },
  { command: 'settings', key: 's', mod: true },
  { command: 'cloneVm', key: 'd', mod: true },
  { command: 'removeVm', key: 'Delete', mod: false },
  { command: 'preferences', key: ',', mod: true },
  { command: 'about', key: 'F1', mod: false },
  { command: 'startVm', key: 's', mod: true, shift: true },
  { command: 'startHeadless', key: 'l', mod: true, shift: true },
  { command: 'pauseVm', key: 'p', mod: true, shift: true },
  { command: 'resetVm', key: 'e', mod: true, shift: true },
  { command: 'shutdownVm', key: 'h', mod: true, shift: true },
  { command: 'powerOffVm', key: 'f', mod: true, shift: true },
];

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

export function isMac(platform: string = navigator.platform): boolean {
  return /mac/i.test(platform);
}

export function matchShortcut(e: KeyLike, mac: boolean): AppCommand | null {
  if (e.altKey) return null;
  const mod = mac ? e.metaKey : e.ctrlKey;
  const other = mac ? e.ctrlKey : e.metaKey;
  if (other) return null;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  return (
    BINDINGS.find((b) => b.key === key && b.mod === mod && (b.shift ?? false) === e.shiftKey)
      ?.command ?? null
  );
}

/** Shortcuts that stay with the app while the console has the focus (the Ctrl+Shift ones). */
export function worksInConsole(command: AppCommand): boolean {
  return BINDINGS.find((b) => b.command === command)?.shift === true;
}

/** Human-readable shortcut for tooltips: "Ctrl+N", "⌘N", "Del". */
export function shortcutLabel(command: AppCommand, mac: boolean): string {
  const b = BINDINGS.find((x) => x.command === command)!;
  const key = b.key === 'Delete' ? (mac ? '⌫' : 'Del') : b.key.toUpperCase();
  if (!b.mod) return key;
  if (b.shift) return mac ? `⇧⌘${key}` : `Ctrl+Shift+${key}`;
  return mac ? `⌘${key}` : `Ctrl+${key}`;
}

/** Delete and friends must not fire while the user is typing in a field. */
export function isTextTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  return (target as Element).closest('input, textarea, select, [contenteditable="true"]') !== null;
}
