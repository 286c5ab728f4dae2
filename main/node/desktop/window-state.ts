/**
 * The main window's bounds and maximized state, remembered across runs in
 * `<userData>/window-state.json` (written atomically). A damaged file or bounds that no longer
 * fit any display (a monitor was unplugged) fall back to a centered default window.
 */
import { z } from 'zod';
import { readJsonFile, writeFileAtomic } from '../library/atomic-file';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface WindowState {
  bounds?: Rect;
  width: number;
  height: number;
  maximized: boolean;
}

export const MIN_WIDTH = 800;
export const MIN_HEIGHT = 560;
export const DEFAULT_STATE: WindowState = { width: 1200, height: 780, maximized: false };

const int = z.number().int().min(-100_000).max(100_000);
const fileSchema = z.object({
  x: int,
  y: int,
  width: z.number().int().min(1).max(100_000),
  height: z.number().int().min(1).max(100_000),
  maximized: z.boolean().default(false),
});

/** Restores a saved state against the current displays' work areas. */
export function restoreWindowState(saved: unknown, displays: Rect[]): WindowState {
  const r = fileSchema.safeParse(saved);
  if (!r.success) return { ...DEFAULT_STATE };
  const s = r.data;
  const width = Math.max(MIN_WIDTH, s.width);
  const height = Math.max(MIN_HEIGHT, s.height);
  const bounds = { x: s.x, y: s.y, width, height };
  // Visible enough: at least 100×50 px of the title bar area lies on some display.
  const visible = displays.some(
    (d) =>
      overlap(bounds.x, bounds.width, d.x, d.width) >= 100 &&
      bounds.y >= d.y &&
      bounds.y + 50 <= d.y + d.height,
  );
  return visible
    ? { bounds, width, height, maximized: s.maximized }
    : { width, height, maximized: s.maximized };
}

function overlap(a: number, aw: number, b: number, bw: number): number {
  return Math.max(0, Math.min(a + aw, b + bw) - Math.max(a, b));
}

export async function loadWindowState(file: string, displays: Rect[]): Promise<WindowState> {
  const r = await readJsonFile(file);
  return restoreWindowState(r.ok ? r.value : null, displays);
}

/** `bounds` are the normal (un-maximized) bounds, so un-maximizing after restart works. */
export async function saveWindowState(
  file: string,
  bounds: Rect,
  maximized: boolean,
): Promise<void> {
  await writeFileAtomic(file, JSON.stringify({ ...bounds, maximized }, null, 2) + '\n');
}
