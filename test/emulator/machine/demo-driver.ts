// Boots the demo OS (built in-process from emulator/guest with the project's toolchain) on
// the glaunch-virt machine and drives its serial console — shared by the boot test and the
// bench. Returns a reason string instead of a machine when a piece is not available yet.
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createMachine, projectVmm } from '../../../emulator/machine/index';
import type { GlaunchVirtMachine, VmmFactory } from '../../../emulator/machine/index';
import type { MachineConfig } from '../../../emulator/machine/api';
import { MemoryDiskImage } from '../../../emulator/storage/disk-image';

const guestRoot = fileURLToPath(new URL('../../../emulator/guest', import.meta.url));
let built: { rom: Uint8Array; image: Uint8Array; kernel: Uint8Array } | string | null = null;

/** The ROM and demo disk image, built from the sources once per process. */
export async function demoArtifacts(): Promise<
  { rom: Uint8Array; image: Uint8Array; kernel: Uint8Array } | string
> {
  if (built) return built;
  if (!existsSync(`${guestRoot}/image/build.ts`))
    return (built = 'emulator/guest/image/build.ts missing');
  try {
    const { buildGuest } = (await import('../../../emulator/guest/image/build')) as {
      buildGuest(
        root: string,
        read: (p: string) => string | undefined,
      ): { rom: Uint8Array; image: Uint8Array; kernel: Uint8Array };
    };
    const read = (p: string): string | undefined =>
      existsSync(p) ? readFileSync(p, 'utf8') : undefined;
    const a = buildGuest(guestRoot, read);
    built = { rom: a.rom, image: a.image, kernel: a.kernel };
  } catch (e) {
    built = `the demo OS does not build yet: ${(e as Error).message.split('\n')[0]}`;
  }
  return built;
}

/** Just the boot ROM (for tests that need no disk). */
export async function demoRom(): Promise<Uint8Array | string> {
  try {
    const { buildProgram, PROGRAMS } = (await import('../../../emulator/guest/image/build')) as {
      buildProgram(
        root: string,
        spec: unknown,
        read: (p: string) => string | undefined,
      ): Uint8Array;
      PROGRAMS: { rom: unknown };
    };
    const read = (p: string): string | undefined =>
      existsSync(p) ? readFileSync(p, 'utf8') : undefined;
    return buildProgram(guestRoot, PROGRAMS.rom, read);
  } catch (e) {
    return `the boot ROM does not build yet: ${(e as Error).message.split('\n')[0]}`;
  }
}

export class Console {
  text = '';
  constructor(readonly m: GlaunchVirtMachine) {}

  private pull(): void {
    const b = this.m.serial[0].drainOutput();
    if (b.length) this.text += Buffer.from(b).toString('latin1');
  }

  /** Runs slices until `what` appears after `from` (or the machine exits / time runs out). */
  async waitFor(what: string | RegExp, timeoutMs = 20_000, from = 0): Promise<string> {
    const t0 = Date.now();
    for (;;) {
      const r = this.m.runSlice(10);
      this.pull();
      const tail = this.text.slice(from);
      if (typeof what === 'string' ? tail.includes(what) : what.test(tail)) return tail;
      if (r.exit)
        throw new Error(
          `machine exited (${JSON.stringify(r.exit)}) waiting for ${what}; console:\n${this.text}`,
        );
      if (Date.now() - t0 > timeoutMs)
        throw new Error(`timeout waiting for ${what}; console:\n${this.text}`);
      await new Promise<void>((res) =>
        r.idleMs > 0 ? setTimeout(res, Math.min(r.idleMs, 5)) : setImmediate(res),
      );
    }
  }

  /** Types a line; returns the console text from this command to the next prompt. */
  async command(line: string, prompt = 'gsh$ ', timeoutMs = 30_000): Promise<string> {
    const from = this.text.length;
    const bytes = Buffer.from(line + '\r');
    let sent = 0;
    while (sent < bytes.length) {
      sent += this.m.serial[0].input(bytes.subarray(sent));
      if (sent < bytes.length) {
        this.m.runSlice(5);
        this.pull();
      }
    }
    return this.waitFor(
      new RegExp(`[\\s\\S]*\\n[\\s\\S]*${prompt.replace(/\$/g, '\\$')}$`),
      timeoutMs,
      from,
    );
  }

  /** Runs until the machine exits; returns the exit. */
  async untilExit(timeoutMs = 20_000): Promise<unknown> {
    const t0 = Date.now();
    for (;;) {
      const r = this.m.runSlice(10);
      this.pull();
      if (r.exit) return r.exit;
      if (Date.now() - t0 > timeoutMs)
        throw new Error(`timeout waiting for the machine to stop; console:\n${this.text}`);
      await new Promise<void>((res) => setImmediate(res));
    }
  }
}

export async function startDemo(
  over: Partial<MachineConfig> = {},
  vmm: VmmFactory | null = projectVmm,
): Promise<{ m: GlaunchVirtMachine; con: Console; disk: MemoryDiskImage } | string> {
  if (!vmm) return 'the VMM is not part of the build yet (emulator/machine projectVmm is null)';
  const a = await demoArtifacts();
  if (typeof a === 'string') return a;
  const disk = new MemoryDiskImage(a.image.slice());
  const m = createMachine(
    {
      cpuModel: 'e8c2',
      vcpus: 1,
      memoryMiB: 256,
      serialPorts: 1,
      bootOrder: ['disk'],
      disks: [{ slot: 'vda', medium: 'disk', readOnly: false }],
      ...over,
    },
    { rom: a.rom, disks: { vda: disk } },
    vmm,
  );
  return { m, con: new Console(m), disk };
}
