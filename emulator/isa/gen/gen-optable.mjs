// Derives the ALU operation table (../optable.ts) and the state/MMU register tables
// (../sysreg-table.ts, ../mmureg-table.ts) from the golden vectors produced by the real MCST
// assembler. Run it again after changing the rules below; commit its output.
//
//   npx tsx emulator/isa/gen/gen-optable.mjs [vectors-dir] [output-dir]
//
// Why a generator: the vectors cover every mnemonic at every ISA level, with the exact
// bytes, so the opcode, ALES selector, fixed extension bytes, allowed channels and the
// operand widths objdump prints can all be read off them instead of being typed in by
// hand. The output is plain readable data; nothing here runs at runtime.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newLayout, unpackBundle } from '../layout.ts';

const here = dirname(fileURLToPath(import.meta.url));
const vecDir = process.argv[2] ?? '/work/shared/isa/vectors';
const outDir = process.argv[3] ?? join(here, '..');
const LEVELS = [2, 3, 4, 5, 6];
const SPECIAL = /^(mmur[rw]|aaur|apur|incr|mova|fapb)/;

/** Splits operands on top-level commas, gluing `_f16s,_lts1 0x7` back together. */
export function splitOperands(text) {
  const parts = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') parts.push(cur.trim());
  const out = [];
  for (const p of parts) {
    if (out.length && /^_(f16s?|f32s?|f64|lts\d(lo|hi)?|lit\d+_ref)$/.test(out[out.length - 1])) {
      out[out.length - 1] += ',' + p;
    } else out.push(p);
  }
  return out;
}

function prefixOf(tok) {
  const m = /^%(qp|d|q|x)?(r\d|b\[|g\d)/.exec(tok);
  if (!m) return null;
  return { undefined: 's', d: 'd', x: 'd', q: 'q', qp: 'p' }[m[1]];
}

const groups = new Map(); // key -> group
const stateRegs = new Map(); // name -> { num, levels:Set, ro }
const printed = new Map(); // number -> the name objdump prints
const mmuRegs = new Map(); // 'name r|w mas addr' -> { chans, levels }
const lay = newLayout();

for (const lv of LEVELS) {
  const text = readFileSync(join(vecDir, `v${lv}.tsv`), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  for (const line of text) {
    const [, source, hex, objdump] = line.split('\t');
    const m = /^\{ ([a-z0-9_]+),(\d)((?:,sm)?) (.*) \}$/.exec(source);
    if (!m || source.includes(' ; ')) continue;
    const [, mn, chs, , rest] = m;
    if (mn === 'mmurr' || mn === 'mmurw') {
      // Printed as ldd/std with a MAS: record the register's address and MAS.
      const name = splitOperands(rest)[mn === 'mmurr' ? 0 : 1];
      const d = /^(?:ldd|std),\d 0x0, (?:_f16s )?(0x[0-9a-f]+), .*mas = (0x[0-9a-f]+)$/.exec(
        objdump,
      );
      if (!d) throw new Error(`mmu row ${source} -> ${objdump}`);
      const k = `${name} ${mn[4]} ${d[2].slice(2).padStart(2, '0')} ${d[1].slice(2).padStart(3, '0')}`;
      const e = mmuRegs.get(k) ?? { chans: new Set(), levels: new Set() };
      e.chans.add(chs);
      e.levels.add(lv);
      mmuRegs.set(k, e);
      continue;
    }
    if (SPECIAL.test(mn)) continue;
    const ch = Number(chs);
    const bytes = Uint8Array.from(Buffer.from(hex, 'hex'));
    unpackBundle(bytes, 0, lay);
    if (lay.invalid || lay.als[ch] === -1) throw new Error(`bad row ${source}`);
    const als = lay.als[ch] >>> 0;
    const ales = lay.ales[ch];
    const opc = (als >>> 24) & 0x7f;
    const opc2 = ales === -1 ? 0 : ales >>> 8;
    const body = rest.replace(/\s*,\s*mas\s*=\s*\S+$/, '').replace(/\s*\?.*$/, '');
    const ops = splitOperands(body);
    let pairCh = -1;
    for (let c = 0; c < 6; c++) if (c !== ch && lay.als[c] !== -1) pairCh = c;
    const dlines = objdump
      .split(' | ')
      .filter((l) => l.startsWith(mn + ',') || !l.startsWith('nop'));
    const key = `${mn}|${opc}|${opc2}`;
    let g = groups.get(key);
    if (!g) {
      g = { mn, opc, opc2, rows: [], chans: new Map(), prefixes: [], pair: -1, pair2: false };
      groups.set(key, g);
    }
    if (!g.chans.has(lv)) g.chans.set(lv, new Set());
    g.chans.get(lv).add(ch);
    g.rows.push({ lv, ch, als, ales, ops, objdump, word: lay.alesWord });
    if (pairCh !== -1) {
      g.pair = pairCh - ch;
      if (objdump.split(' | ').length >= 2) g.pair2 = true;
    }
    // Operand widths as objdump prints them (first line of this op).
    // ldaa* print without operands: take the widths from the source instead.
    const first = /^ldaa/.test(mn)
      ? `${mn},${ch} ${body}`
      : (dlines.find((d) => d.startsWith(`${mn},`)) ?? '');
    const sp = first.indexOf(' ');
    if (sp > 0 && first.slice(0, sp).split(',')[0] === mn) {
      splitOperands(
        first
          .slice(sp + 1)
          .replace(/, mas = \S+$/, '')
          .replace(/ \?.*$/, ''),
      ).forEach((t, i) => {
        const p = prefixOf(t);
        if (p) g.prefixes[i] = g.prefixes[i] ?? new Set();
        if (p) g.prefixes[i].add(p);
      });
    }
    if (mn === 'rws' || mn === 'rwd' || mn === 'rrs' || mn === 'rrd') {
      const name = mn.startsWith('rw') ? ops[1] : ops[0];
      const num = mn.startsWith('rw') ? als & 0xff : (als >>> 16) & 0xff;
      const k = `${name}|${num}`;
      const dops = splitOperands(objdump.slice(objdump.indexOf(' ') + 1));
      printed.set(num, mn.startsWith('rw') ? dops[1] : dops[0]);
      const r = stateRegs.get(k) ?? { name, num, levels: new Set(), w: false, r: false };
      r.levels.add(lv);
      if (mn.startsWith('rw')) r.w = true;
      else r.r = true;
      stateRegs.set(k, r);
    }
  }
}

const isPred = (t) => /^~?\s*%(pred|pcnt)\d+$/.test(t);
const isNum = (t) => /^(0x[0-9a-f]+|\d+)$/i.test(t);
const hex2 = (v) => v.toString(16).padStart(2, '0');

function kindOf(g) {
  const r = g.rows[0];
  const n = r.ops.length;
  const store = g.rows.some((x) => x.ops.length === 2 && x.ops[1].startsWith('['));
  if (/^staa/.test(g.mn)) return 'staa';
  if (/^ldaa/.test(g.mn)) return 'ldaa';
  if (/^rr[sd]$/.test(g.mn)) return 'rr';
  if (/^rw[sd]$/.test(g.mn)) return 'rw';
  if (store) return 'store';
  if (n === 2) return isPred(r.ops[1]) ? 'ccto' : 'alu2';
  if (n === 3) {
    if (isPred(r.ops[2])) return 'cmp';
    if (g.rows.every((x) => isNum(x.ops[1]) && (x.ales & 0xff) === Number(x.ops[1])))
      return 'lit8b';
    return 'alu3';
  }
  if (n === 4) {
    if (isPred(r.ops[3])) return 'merge';
    if (g.rows.every((x) => isNum(x.ops[2]) && (x.ales & 0xff) === Number(x.ops[2]))) return 'lit8';
    return 'alu4';
  }
  if (n === 5 && isPred(r.ops[4])) return 'mrg4';
  throw new Error(`cannot classify ${g.mn} ${r.ops}`);
}

/** The value of a field if constant over all rows, else throws (table would be wrong). */
function constant(g, f, what) {
  const vals = new Set(g.rows.map(f));
  if (vals.size !== 1) throw new Error(`${g.mn}: ${what} not constant: ${[...vals]}`);
  return [...vals][0];
}

// alu4 operations have only two vector rows each, too few to show every allowed channel:
// allow the union over all alu4 encodings with the same ALES selector at that level
// (binutils gives the channels per selector group). insfs/insfd: channels 0,1,3,4.
const unions = new Map();
for (const g of groups.values()) {
  const kind = kindOf(g);
  g.kind = kind;
  if (kind !== 'alu4' && kind !== 'mrg4') continue;
  for (const [lv, set] of g.chans) {
    const k = `${g.opc2}|${kind}|${lv}`;
    const u = unions.get(k) ?? new Set();
    for (const c of set) u.add(c);
    unions.set(k, u);
  }
}
for (const g of groups.values()) {
  if (g.kind !== 'alu4' && g.kind !== 'mrg4') continue;
  for (const lv of g.chans.keys()) {
    g.chans.set(
      lv,
      /^insf[sd]$/.test(g.mn) ? new Set([0, 1, 3, 4]) : unions.get(`${g.opc2}|${g.kind}|${lv}`),
    );
  }
}

const out = [];
for (const g of groups.values()) {
  const kind = kindOf(g);
  const hasAles = g.rows.some((x) => x.ales !== -1);
  let s1 = '..';
  let al = '..';
  let dh = '..';
  if (['alu2', 'ccto', 'lit8b', 'rw'].includes(kind))
    s1 = hex2(constant(g, (x) => (x.als >>> 16) & 0xff, 'src1'));
  if (['cmp', 'ccto'].includes(kind)) dh = hex2(constant(g, (x) => x.als & 0xe0, 'dst code'));
  if (hasAles && !['lit8', 'lit8b', 'alu4', 'mrg4'].includes(kind))
    al = hex2(constant(g, (x) => x.ales & 0xff, 'ales'));
  const mem = g.rows.some((x) => x.ops[0].startsWith('[') || x.ops[1]?.startsWith('[')) ? 'M' : '';
  // W: gas emits the ALES2/ALES5 word for this op in channels 2/5 even with the default value.
  const w25 = g.rows.filter((x) => x.ch === 2 || x.ch === 5);
  const forcedAt = [
    ...new Set(w25.filter((x) => x.word && x.ales === 0x1c0).map((x) => x.lv)),
  ].sort();
  for (const x of w25) {
    if (!x.word && forcedAt.includes(x.lv)) console.warn(`inconsistent ALES word: ${g.mn}`);
  }
  const forced = forcedAt.length ? forcedAt.join('') : '';
  const flags =
    mem +
      (g.pair !== -1 ? `P${g.pair}` : '') +
      (g.pair2 ? '2' : '') +
      (forced ? `W${forced}` : '') || '-';
  // A position that was never a register in the rows takes the width of the one before it
  // (src2 of alu4 rows is a literal in both samples; it has src1's width).
  const wl = Array.from(g.prefixes, (s) => (s ? [...s].sort().join('') : '?'));
  for (let i = 1; i < wl.length; i++) if (wl[i] === '?' && wl[i - 1] !== '?') wl[i] = wl[i - 1];
  const widths = wl.join('') || '-';
  const chans = LEVELS.map((lv) => (g.chans.has(lv) ? [...g.chans.get(lv)].sort().join('') : '-'));
  out.push(
    [
      g.mn.padEnd(16),
      kind.padEnd(5),
      hasAles ? hex2(g.opc2) : '--',
      hex2(g.opc),
      s1,
      al,
      dh,
      widths.padEnd(4),
      flags.padEnd(4),
      ...chans.map((c) => c.padEnd(6)),
    ]
      .join(' ')
      .trimEnd(),
  );
}

const header = `/**
 * The e2k ALU operation table — GENERATED by gen/gen-optable.mjs from the golden vectors
 * (do not edit by hand; to add an operation add a row, the format is one line per encoding).
 *
 * Columns: mnemonic, kind (operand syntax, see ops.ts), opc2 (ALES selector, -- = no ALES),
 * opc (ALS[30:24]), fixed src1 byte (.. = operand), fixed ALES[7:0], fixed dst[7:5] (compare
 * code), operand widths in objdump order (s 32-bit %r, d %dr, q %qr, p %qpr; ? never a
 * register), flags (M memory address operands, Pn channel pair at +n, P..2 objdump prints
 * both halves, Wn the ALES2/5 word is always emitted in channels 2/5 at ISA levels n), then allowed channels at ISA v2, v3, v4, v5, v6 (- = not available).
 */
export const OPTABLE: readonly string[] = [
`;
writeFileSync(
  join(outDir, 'optable.ts'),
  header + out.map((l) => `  '${l}',`).join('\n') + '\n];\n',
);

const regs = [...stateRegs.values()].sort((a, b) => a.num - b.num || a.name.localeCompare(b.name));
const regLines = regs.map((r) => {
  const lv = LEVELS.filter((l) => r.levels.has(l));
  const p = printed.get(r.num) === r.name ? ' p' : '';
  return `  '${r.name.padEnd(14)} ${hex2(r.num)} ${(r.r ? 'r' : '') + (r.w ? 'w' : '')} ${lv.join('')}${p}',`;
});
writeFileSync(
  join(outDir, 'sysreg-table.ts'),
  `/**
 * State registers reachable with rrs/rrd/rws/rwd — GENERATED by gen/gen-optable.mjs from the
 * golden vectors. Columns: name, number, access (r readable, w writable), ISA levels.
 * Several names may share a number (aliases); "p" marks the one objdump prints (a number
 * with no "p" row prints as "(null)").
 */
export const SYSREG_TABLE: readonly string[] = [
${regLines.join('\n')}
];
`,
);
const mmuLines = [...mmuRegs].map(
  ([k, e]) =>
    `  '${k.split(' ')[0].padEnd(20)} ${k.split(' ').slice(1).join(' ')} ${[...e.chans].sort().join('')} ${[...e.levels].sort().join('')}',`,
);
writeFileSync(
  join(outDir, 'mmureg-table.ts'),
  `/**
 * MMU/system registers for mmurr/mmurw — GENERATED by gen/gen-optable.mjs from the golden
 * vectors. mmurr is ldd and mmurw is std with src1 = 0, src2 = the register's address and a
 * MAS selecting the register space. Columns: name, r (mmurr) or w (mmurw), MAS (hex),
 * address (hex), channels, ISA levels.
 */
export const MMUREG_TABLE: readonly string[] = [
${mmuLines.join('\n')}
];
`,
);
console.log(
  `${out.length} operation rows, ${regs.length} state registers, ${mmuLines.length} MMU register rows`,
);
