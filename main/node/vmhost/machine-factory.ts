/**
 * Builds the Machine (emulator/machine/api.ts) for one VM inside the VM process: opens the
 * disk images, reads the boot ROM, and hands them with the configuration to the board's
 * `createMachine`. Failures (missing image, read-only medium, bad preset, no VMM in this
 * build) reject with the board's one-line message, which becomes the start error.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { webcrypto } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Machine } from '../../../emulator/machine/api';
import { createMachine } from '../../../emulator/machine/index';
import type { DiskImage } from '../../../emulator/storage/disk-image';
import { RawFileImage } from '../../../emulator/tools/lib/raw-file-image';
import type { HostMessage } from './protocol';

export type StartMessage = Extract<HostMessage, { type: 'start' }>;

export interface BuiltMachine {
  machine: Machine;
  /** Waits for in-flight disk I/O, flushes and closes the images (after machine.close()). */
  closeDisks(): Promise<void>;
}

/** `log` receives the board's diagnostics (guest mistakes, broken virtqueues) for the VM log. */
export type MachineFactory = (
  setup: StartMessage,
  log: (message: string) => void,
) => Promise<BuiltMachine>;

/** The built boot ROM: GLAUNCH_ROM, else assets/guest/rom.bin beside dist/ or the sources. */
export function defaultRomPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GLAUNCH_ROM) return env.GLAUNCH_ROM;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.resolve(here, '../../assets/guest/rom.bin'),
    path.resolve(here, '../../../assets/guest/rom.bin'),
  ];
  return candidates.find((f) => existsSync(f)) ?? candidates[0];
}

export const createBoardMachine: MachineFactory = async (setup, log) => {
  const romPath = defaultRomPath();
  let rom: Uint8Array;
  try {
    rom = new Uint8Array(await readFile(romPath));
  } catch (e) {
    throw new Error(
      `cannot read the boot ROM ${romPath}: ${(e as NodeJS.ErrnoException).code ?? String(e)} (run npm run build)`,
      { cause: e },
    );
  }
  const disks: Partial<Record<string, DiskImage>> = {};
  const closeAll = async () => {
    for (const d of Object.values(disks)) await d?.close().catch(() => undefined);
  };
  try {
    for (const d of setup.disks)
      disks[d.slot] = await RawFileImage.open(d.path, { readOnly: d.readOnly });
  } catch (e) {
    await closeAll();
    throw e;
  }
  let machine;
  try {
    machine = createMachine(
      {
        ...setup.machine,
        disks: setup.disks.map((d) => ({ slot: d.slot, medium: d.medium, readOnly: d.readOnly })),
        quantumUs: setup.quantumUs,
        gpaMapping: setup.gpaMapping,
      },
      { rom, disks, log, entropy: (dst) => void webcrypto.getRandomValues(dst) },
    );
  } catch (e) {
    await closeAll();
    throw e;
  }
  return {
    machine,
    async closeDisks() {
      const problems = await machine.closeAsync();
      if (problems.length > 0) throw new Error(problems.join('; '));
    },
  };
};
