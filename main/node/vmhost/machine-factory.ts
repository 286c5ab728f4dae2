/**
 * Builds the Machine (emulator/machine/api.ts) for one VM inside the VM process: opens the
 * disk images, reads the boot ROM, and hands them with the configuration to the board's
 * `createMachine`. Failures (missing image, read-only medium, bad preset, no VMM in this
 * build) reject with the board's one-line message, which becomes the start error.
 */
import { readFile } from 'node:fs/promises';
import { webcrypto } from 'node:crypto';
import type { Machine } from '../../../emulator/machine/api';
import {
  createMachine,
  type GlaunchVirtMachine,
  type VmmFactory,
} from '../../../emulator/machine/index';
import type { DiskImage } from '../../../emulator/storage/disk-image';
import { RawFileImage } from '../../../emulator/tools/lib/raw-file-image';
import type { HostMessage } from './protocol';
import { defaultRomPath } from './rom-path';

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

/** What `buildMachine` needs besides the start message. */
export interface MachineParts {
  rom?: Uint8Array;
  /** Boot this ELF kernel directly (the board builds the bootblock). */
  kernel?: Uint8Array;
  log: (message: string) => void;
  /** Another VMM than the project's (tests). */
  vmm?: VmmFactory;
}

/**
 * Opens the disk images of `setup` and builds the board (`glaunch run` and the VM process
 * share it). A missing, unreadable or read-only image, or a configuration the board
 * refuses, rejects with the one-line reason after closing whatever was already opened.
 */
export async function buildMachine(
  setup: StartMessage,
  parts: MachineParts,
): Promise<GlaunchVirtMachine> {
  const disks: Partial<Record<string, DiskImage>> = {};
  const closeAll = async (): Promise<void> => {
    for (const d of Object.values(disks)) await d?.close().catch(() => undefined);
  };
  try {
    for (const d of setup.disks)
      disks[d.slot] = await RawFileImage.open(d.path, { readOnly: d.readOnly });
    return createMachine(
      {
        ...setup.machine,
        disks: setup.disks.map((d) => ({ slot: d.slot, medium: d.medium, readOnly: d.readOnly })),
        quantumUs: setup.quantumUs,
        gpaMapping: setup.gpaMapping,
      },
      {
        rom: parts.rom,
        kernel: parts.kernel,
        disks,
        log: parts.log,
        entropy: (dst) => void webcrypto.getRandomValues(dst),
      },
      parts.vmm,
    );
  } catch (e) {
    await closeAll();
    throw e;
  }
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
  const machine = await buildMachine(setup, { rom, log });
  return {
    machine,
    async closeDisks() {
      const problems = await machine.closeAsync();
      if (problems.length > 0) throw new Error(problems.join('; '));
    },
  };
};
