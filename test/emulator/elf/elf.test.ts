import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readElf } from '../../../emulator/elf/reader';
import { writeElf } from '../../../emulator/elf/writer';
import {
  ElfError,
  EM_MCST_ELBRUS,
  ET_EXEC,
  ET_REL,
  PT_LOAD,
  SHT_NOBITS,
  SHT_PROGBITS,
} from '../../../emulator/elf/types';

const sample = () =>
  writeElf({
    type: ET_REL,
    machine: EM_MCST_ELBRUS,
    flags: 3 << 24,
    sections: [
      {
        name: '.text',
        type: SHT_PROGBITS,
        flags: 6n,
        data: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8),
        addralign: 8n,
      },
      {
        name: '.bss',
        type: SHT_NOBITS,
        flags: 3n,
        data: new Uint8Array(0),
        size: 64n,
        addralign: 16n,
      },
    ],
    symbols: [
      { name: '', value: 0n, size: 0n, bind: 0, type: 3, other: 0, shndx: 1 },
      { name: 'loc', value: 4n, size: 0n, bind: 0, type: 0, other: 0, shndx: 1 },
      { name: 'glob', value: 0n, size: 8n, bind: 1, type: 2, other: 0, shndx: 1 },
      { name: 'ext', value: 0n, size: 0n, bind: 1, type: 0, other: 0, shndx: 0 },
    ],
    relocations: new Map([[1, [{ offset: 0n, type: 51, sym: 4, addend: -8n }]]]),
  });

describe('ELF writer → reader round trip', () => {
  test('sections, symbols and relocations survive', () => {
    const e = readElf(sample());
    assert.equal(e.type, ET_REL);
    assert.equal(e.machine, EM_MCST_ELBRUS);
    assert.equal(e.flags, 3 << 24);
    assert.deepEqual(
      e.sections.map((s) => s.name),
      ['', '.text', '.bss', '.rela.text', '.symtab', '.strtab', '.shstrtab'],
    );
    assert.deepEqual([...e.sections[1].data], [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(e.sections[2].size, 64n);
    assert.deepEqual(
      e.symbols.map((s) => [s.name, s.bind, s.shndx, s.value]),
      [
        ['', 0, 0, 0n],
        ['', 0, 1, 0n],
        ['loc', 0, 1, 4n],
        ['glob', 1, 1, 0n],
        ['ext', 1, 0, 0n],
      ],
    );
    assert.equal(e.sections[4].info, 3, 'sh_info of .symtab = first global');
    assert.deepEqual(e.relocations.get(1), [{ offset: 0n, type: 51, sym: 4, addend: -8n }]);
  });
  test('executables: program headers and fixed section offsets', () => {
    const bytes = writeElf({
      type: ET_EXEC,
      machine: EM_MCST_ELBRUS,
      flags: 0,
      entry: 0x10000n,
      sections: [
        {
          name: '.text',
          type: SHT_PROGBITS,
          flags: 6n,
          addr: 0x10000n,
          data: new Uint8Array(16).fill(9),
          addralign: 8n,
          fileOffset: 0x1000n,
        },
      ],
      segments: [
        {
          type: PT_LOAD,
          flags: 5,
          offset: 0x1000n,
          vaddr: 0x10000n,
          paddr: 0x10000n,
          filesz: 16n,
          memsz: 16n,
          align: 0x1000n,
        },
      ],
    });
    const e = readElf(bytes);
    assert.equal(e.entry, 0x10000n);
    assert.equal(e.segments.length, 1);
    assert.equal(e.sections[1].offset, 0x1000n);
    assert.equal(bytes[0x1000], 9);
  });
});

describe('strict reader', () => {
  const err = (b: Uint8Array, re: RegExp) =>
    assert.throws(
      () => readElf(b),
      (e: unknown) => e instanceof ElfError && re.test(e.message),
    );
  test('truncated and non-ELF input', () => {
    err(new Uint8Array(10), /too short.*\(at offset 0x0\)/);
    err(new Uint8Array(64), /bad magic/);
    const b = sample();
    err(b.subarray(0, b.length - 10), /section header table .* extends past the end of the file/);
  });
  test('class and byte order', () => {
    const b = sample();
    b[4] = 1;
    err(b, /ELF class 1 .*at offset 0x4/);
    const c = sample();
    c[5] = 2;
    err(c, /little-endian/);
  });
  test('section contents out of bounds name the section and offset', () => {
    const b = sample();
    const dv = new DataView(b.buffer);
    const shoff = Number(dv.getBigUint64(40, true));
    dv.setBigUint64(shoff + 64 + 32, 0xffffffn, true); // .text size
    err(b, /section 1 contents .* extends past the end/);
  });
  test('bad string table offset', () => {
    const b = sample();
    const dv = new DataView(b.buffer);
    const shoff = Number(dv.getBigUint64(40, true));
    dv.setUint32(shoff + 64, 0xfffff, true); // name of section 1
    err(b, /name of section 1: string offset/);
  });
  test('relocation symbol index out of range', () => {
    const b = sample();
    const e = readElf(b);
    const rela = e.sections[3];
    new DataView(b.buffer).setUint32(Number(rela.offset) + 12, 99, true);
    err(b, /refers to symbol 99/);
  });
  test('fuzz: random bytes and mutated files only ever throw ElfError', () => {
    const good = sample();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        try {
          readElf(bytes);
        } catch (e) {
          assert.ok(e instanceof ElfError, String(e));
        }
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.nat(good.length),
        (muts, cut) => {
          const b = good.slice(0, Math.max(cut, 1));
          for (const [i, v] of muts) if (i < b.length) b[i] = v;
          try {
            readElf(b);
          } catch (e) {
            assert.ok(e instanceof ElfError, String(e));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
