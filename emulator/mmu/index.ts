export * from './fault';
export * from './pte';
export * from './walk';
export * from './tlb';
export * from './regs';
export * from './mmu';
