/** Public entry of the e2k CPU core. */
export { Cpu, Stop } from './cpu';
export type { TraceWrite } from './cpu';
export { Memory, MemFault, PAGE_SIZE, PROT_READ, PROT_WRITE, PROT_EXEC } from './memory';
export { Exc, EXC_NAMES, excSignal, SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGSEGV } from './exceptions';
export type { ChainFrame } from './state';
export {
  CpuState,
  RF_SIZE,
  GLOBAL_BASE,
  CTPR_DISP,
  CTPR_RETURN,
  CTPR_SDISP,
  CTPR_EMPTY,
} from './state';
export type { CompiledBundle } from './compile';
export { cpuModel, CPU_MODELS } from './models';
export type { CpuModel, CpuModelId, IsaLevel } from './models';
