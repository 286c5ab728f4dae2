/**
 * The contract between a running glaunch-virt machine (emulator/machine/) and whoever hosts
 * it: the VM process of main/ (one process per VM), `glaunch run` in a terminal, and tests.
 *
 * The machine is a pure library object driven cooperatively from one host thread: the host
 * calls `runSlice(ms)` in a loop (setImmediate / a timer when the machine says it is idle),
 * feeds serial input and power buttons in between, and reads `stats()` every 100-250 ms.
 * Everything returned is plain serializable data, so it can be posted over a MessagePort
 * or a WebSocket unchanged.
 *
 * This file is the seam between parallel work streams: keep it small and stable; extend it
 * only by adding optional members.
 */

/** Storage attached to a virtio-blk slot. Images are opened by the host (emulator/storage). */
export interface MachineDisk {
  slot: 'vda' | 'vdb' | 'vdc' | 'vdd';
  medium: 'disk' | 'optical';
  readOnly: boolean;
}

/** Everything the board needs to know; built by the host from a validated vm.json. */
export interface MachineConfig {
  /** CPU preset id (emulator/cpu/models.ts): decides IDR and ISA level the guest sees. */
  cpuModel: string;
  vcpus: number;
  memoryMiB: number;
  /** Number of 16550A UARTs (the first is the console). */
  serialPorts: number;
  bootOrder: ('disk' | 'optical')[];
  /** Names of VIRT_CTRL_CU / VIRT_CTRL_MU bits switched on (vm-config.ts lists them). */
  cuIntercepts?: string[];
  muIntercepts?: string[];
  /** Disks in virtio-blk slots; their opened images come with the host's resources. */
  disks?: MachineDisk[];
  /** Kernel command line written to the bootblock (≤ 127 bytes). */
  commandLine?: string;
  /** Preemption quantum of a vCPU in µs (vm.json virtualization.quantumUs). */
  quantumUs?: number;
  /** Guest RAM on first touch (default) or all mapped at start. */
  gpaMapping?: 'lazy' | 'prealloc';
}

/** Why the machine stopped running (runSlice's answer once the guest is gone). */
export type MachineExit =
  | { kind: 'poweroff' } // the guest asked the power controller to switch off
  | { kind: 'reset' } // guest reboot request; the host usually calls reset() and goes on
  | { kind: 'halted'; reason: string }; // triple fault, unrecoverable guest error, ...

/** One step of the cooperative loop. */
export interface SliceResult {
  /** null while the machine keeps running. */
  exit: MachineExit | null;
  /** Every vCPU is waiting for an interrupt: the host may sleep this long (ms) first. */
  idleMs: number;
}

/** Plain data for the monitor (names documented in emulator/virt/README.md). */
export interface MachineStats {
  /** Milliseconds since power-on, guest-visible time. */
  uptimeMs: number;
  /** Counter name → value, summed over vCPUs ("exits.mmio", "gpa.pages_mapped", ...). */
  counters: Record<string, number>;
  /** Per-vCPU counters, same names. */
  vcpus: { id: number; state: string; counters: Record<string, number> }[];
  /** Most recent intercept records, decoded, oldest first (bounded). */
  recentIntercepts: unknown[];
  /** Disk activity, bytes since power-on, per slot. */
  disks: Record<string, { readBytes: number; writtenBytes: number }>;
  /** Host memory the guest RAM actually uses (lazily mapped pages). */
  guestRamResidentBytes: number;
}

/** A serial line of the board as the host sees it. */
export interface MachineSerial {
  /** Bytes the guest transmitted since the last call (the host forwards them). */
  drainOutput(): Uint8Array;
  /** Host → guest bytes (keyboard). Returns how many were accepted (flow control). */
  input(bytes: Uint8Array): number;
}

export interface Machine {
  readonly serial: readonly MachineSerial[];
  /** Runs guest code for about `ms` of host time (or less, when all vCPUs idle or it exits). */
  runSlice(ms: number): SliceResult;
  /** Hardware reset (the reset button): devices and vCPUs back to power-on state. */
  reset(): void;
  /** ACPI-style power button: the guest is asked to shut down (it may ignore it). */
  powerButton(): void;
  /** Flushes disks; the host then drops the object (forced power off). */
  close(): void;
  stats(): MachineStats;
  /** Shadow and guest-visible registers of every vCPU, formatted as hex strings. */
  registers(): Record<string, string>[];
}
