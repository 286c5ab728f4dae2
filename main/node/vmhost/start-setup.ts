/**
 * vm.json → the `start` message of the VM protocol: paths resolved against the VM folder,
 * the intercept switches turned into the list of bits that are on, and a one-paragraph
 * configuration summary for the log.
 */
import path from 'node:path';
import { CU_INTERCEPTS, MU_INTERCEPTS, type VmConfig } from '../../common/vm-config';
import type { StartMessage } from './machine-factory';
import { VM_PROTOCOL_VERSION } from './protocol';

export function startMessage(config: VmConfig, folder: string): StartMessage {
  const abs = (p: string) => (path.isAbsolute(p) ? p : path.resolve(folder, p));
  const v = config.virtualization;
  return {
    v: VM_PROTOCOL_VERSION,
    type: 'start',
    name: config.name,
    folder,
    machine: {
      cpuModel: config.cpu.model,
      vcpus: config.cpu.count,
      memoryMiB: config.memoryMiB,
      serialPorts:
        config.serialPorts.length === 0
          ? 0
          : Math.max(...config.serialPorts.map((s) => s.index)) + 1,
      bootOrder: config.bootOrder,
      cuIntercepts: CU_INTERCEPTS.filter((k) => v.cuIntercepts[k]),
      muIntercepts: MU_INTERCEPTS.filter((k) => v.muIntercepts[k]),
    },
    quantumUs: v.quantumUs,
    gpaMapping: v.gpaMapping,
    disks: config.storage.map((s) => ({
      slot: s.slot,
      medium: s.type,
      readOnly: s.readOnly || s.type === 'optical',
      path: abs(s.path),
    })),
    serial: config.serialPorts.map((s) => ({
      index: s.index,
      mode: s.mode,
      ...(s.tcpPort !== undefined ? { tcpPort: s.tcpPort } : {}),
      ...(s.filePath ? { filePath: abs(s.filePath) } : {}),
    })),
  };
}

export function configSummary(m: StartMessage): string[] {
  const serial = m.serial.map(
    (s) =>
      `ttyS${s.index}=${s.mode}${s.tcpPort ? `:${s.tcpPort}` : ''}${s.filePath ? `:${s.filePath}` : ''}`,
  );
  return [
    `CPU ${m.machine.cpuModel} × ${m.machine.vcpus}, RAM ${m.machine.memoryMiB} MiB (${m.gpaMapping} GPA mapping), quantum ${m.quantumUs} µs`,
    `boot order: ${m.machine.bootOrder.join(', ') || '-'}`,
    ...m.disks.map((d) => `${d.slot}: ${d.medium}${d.readOnly ? ' (read-only)' : ''} ${d.path}`),
    `serial: ${serial.join(', ') || 'none'}`,
    `intercepts on: CU ${m.machine.cuIntercepts?.join(' ') || '-'}; MU ${m.machine.muIntercepts?.join(' ') || '-'}`,
  ];
}
