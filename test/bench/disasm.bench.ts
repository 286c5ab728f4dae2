// Disassembler, decoder and bundle-encoder throughput on bundles generated from the
// operation table (one bundle per allowed (operation, channel) pair at v6, plus mixes).
import type { Report } from './run';
import { assembleBundle, decodeBundle, disassembleBundle } from '../../emulator/isa';
import type { BundleContext } from '../../emulator/isa';
import { sampleSources } from '../emulator/isa/samples';

export const title = 'e2k bundle encoder / decoder / disassembler';

const ctx: BundleContext = {
  iset: 6,
  braced: true,
  pc: 0n,
  evaluate: (e) => ({ kind: 'const', value: BigInt(e.trim()) }),
};

function rate(fn: () => number, minMs = 600): number {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) {
    n += fn();
    t = performance.now();
  }
  return (n * 1000) / (t - t0);
}

export function run(report: Report): void {
  const sources = sampleSources(6);
  const bundles = sources.map((ops) => assembleBundle(ops, ctx).bytes);
  report('sample bundles', bundles.length, 'bundles');
  report(
    'assembleBundle',
    rate(() => {
      for (const ops of sources) assembleBundle(ops, ctx);
      return sources.length;
    }),
    'bundles/s',
    '>= 200000',
  );
  report(
    'decodeBundle',
    rate(() => {
      for (const b of bundles) decodeBundle(b, 0, 6);
      return bundles.length;
    }),
    'bundles/s',
  );
  report(
    'disassembleBundle',
    rate(() => {
      for (const b of bundles) disassembleBundle(b, 0, 0n, 6);
      return bundles.length;
    }),
    'bundles/s',
    '>= 200000',
  );
}
