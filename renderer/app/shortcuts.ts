/**
 * Keyboard shortcuts of the main window. Mostly VirtualBox's (Ctrl+N new, Ctrl+S settings);
 * clone is Ctrl+D ("duplicate"); Ctrl+O ("open") adds an existing machine folder. On macOS
 * the Command key stands in for Ctrl.
 */
export type AppCommand =
  'newVm' | 'addVm' | 'settings' | 'cloneVm' | 'removeVm' | 'preferences' | 'about';

interface Binding {
  command: AppCommand;
  key: string;
  mod: boolean;
}

const BINDINGS: readonly Binding[] = [
  { command: 'newVm', key: 'n', mod: true },
  { command: 'addVm', key: 'o', mod: true },
  { command: 'settings', key: 's', mod: true },
  { command: 'cloneVm', key: 'd', mod: true },
  { command: 'removeVm', key: 'Delete', mod: false },
  { command: 'preferences', key: ',', mod: true },
  { command: 'about', key: 'F1', mod: false },
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
  if (e.altKey || e.shiftKey) return null;
  const mod = mac ? e.metaKey : e.ctrlKey;
  const other = mac ? e.ctrlKey : e.metaKey;
  if (other) return null;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  return BINDINGS.find((b) => b.key === key && b.mod === mod)?.command ?? null;
}

/** Human-readable shortcut for tooltips: "Ctrl+N", "⌘N", "Del". */
export function shortcutLabel(command: AppCommand, mac: boolean): string {
  const b = BINDINGS.find((x) => x.command === command)!;
  const key = b.key === 'Delete' ? (mac ? '⌫' : 'Del') : b.key.toUpperCase();
  if (!b.mod) return key;
  return mac ? `⌘${key}` : `Ctrl+${key}`;
}

/** Delete and friends must not fire while the user is typing in a field. */
export function isTextTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  return (target as Element).closest('input, textarea, select, [contenteditable="true"]') !== null;
}
