/**
 * Builds the Machine (emulator/machine/api.ts) for one VM inside the VM process: opens the
 * disk images and hands them with the configuration to the board.
 *
 * The glaunch-virt board (emulator/machine/) is being written in parallel; until it exports
 * its factory this rejects with a message saying so, and every start fails with it: there is
 * deliberately no stand-in machine. Wiring the factory is one call below.
 */
import type { Machine } from '../../../emulator/machine/api';
import type { DiskImage } from '../../../emulator/storage/disk-image';
import { RawFileImage } from '../../../emulator/tools/lib/raw-file-image';
import type { HostMessage } from './protocol';

export type StartMessage = Extract<HostMessage, { type: 'start' }>;

export interface BuiltMachine {
  machine: Machine;
  /** Releases the disk images (after machine.close()). */
  closeDisks(): Promise<void>;
}

export type MachineFactory = (setup: StartMessage) => Promise<BuiltMachine>;

export async function openDisks(setup: StartMessage): Promise<Map<string, DiskImage>> {
  const disks = new Map<string, DiskImage>();
  try {
    for (const d of setup.disks) {
      const img = await RawFileImage.open(d.path, {
        readOnly: d.readOnly || d.medium === 'optical',
      });
      disks.set(d.slot, img);
    }
  } catch (e) {
    for (const img of disks.values()) await img.close().catch(() => undefined);
    throw e;
  }
  return disks;
}

export const createBoardMachine: MachineFactory = async () => {
  throw new Error(
    'the glaunch-virt board is not available in this build yet (emulator/machine has no machine factory); no VM can run',
  );
};
