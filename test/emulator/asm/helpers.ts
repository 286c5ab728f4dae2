/** Test helpers: assemble with the fake encoder and read the object back. */
import assert from 'node:assert/strict';
import { assemble, formatDiagnostics } from '../../../emulator/asm/index';
import type { AssembleOptions } from '../../../emulator/asm/index';
import { readElf } from '../../../emulator/elf/reader';
import type { ElfFile } from '../../../emulator/elf/types';
import { fakeEncoder } from './fake-encoder';

export function asmOk(src: string, opts: AssembleOptions = {}): ElfFile & { warnings: string[] } {
  const r = assemble(src, { encoder: fakeEncoder, file: 't.s', ...opts });
  assert.equal(r.errorCount, 0, formatDiagnostics(r.diagnostics));
  return Object.assign(readElf(r.object!), { warnings: r.diagnostics.map((d) => d.message) });
}

export function asmErrors(src: string, opts: AssembleOptions = {}): string[] {
  const r = assemble(src, { encoder: fakeEncoder, file: 't.s', ...opts });
  assert.equal(r.object, undefined);
  return r.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.loc.line}:${d.loc.col + 1}: ${d.message}`);
}

export function section(elf: ElfFile, name: string) {
  const s = elf.sections.find((x) => x.name === name);
  assert.ok(s, `section ${name} missing`);
  return s;
}

export const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

export function sym(elf: ElfFile, name: string) {
  return elf.symbols.find((s) => s.name === name);
}

export function relocs(elf: ElfFile, sec: string) {
  const idx = elf.sections.findIndex((s) => s.name === sec);
  return (elf.relocations.get(idx) ?? []).map((r) => {
    const s = elf.symbols[r.sym];
    return {
      offset: Number(r.offset),
      type: r.type,
      sym: s.type === 3 ? elf.sections[s.shndx].name : s.name,
      addend: r.addend,
    };
  });
}
