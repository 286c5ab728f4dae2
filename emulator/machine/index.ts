// The glaunch-virt board: the Machine of api.ts. Hosts call `createMachine`.
import type { MachineConfig } from './api';
import type { MachineResources } from './config';
import { MachineConfigError, validateMachine } from './config';
import { GlaunchVirtMachine } from './machine';
import type { VmmFactory } from './vmm-port';
import { createVmm } from '../virt/vmm/vmm';
import { CEPIC_BASE } from './board';

export type * from './api';
export { GlaunchVirtMachine } from './machine';
export { MachineConfigError, validateMachine } from './config';
export type { MachineResources } from './config';
export type { BootState, Vmm, VmmFactory, VmmPort } from './vmm-port';
export * as board from './board';

/** The VMM that runs guest code: the TypeScript hypervisor of emulator/virt/vmm. */
export const projectVmm: VmmFactory | null = (port) => createVmm(port, { cepicGpa: CEPIC_BASE });

/** Validates, builds and powers on a machine; throws MachineConfigError (one line) on bad input. */
export function createMachine(
  config: MachineConfig,
  resources: MachineResources,
  vmm: VmmFactory | null = projectVmm,
): GlaunchVirtMachine {
  validateMachine(config, resources);
  if (!vmm)
    throw new MachineConfigError(
      'the VMM is not part of this build yet (emulator/virt has no vCPU loop); no VM can run',
    );
  return new GlaunchVirtMachine(config, { ...resources, vmm });
}
