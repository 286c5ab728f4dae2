// `npm run bench`: runs every test/bench/*.bench.ts and prints its figures. Benchmarks print
// numbers (bundles/s, ms, MiB) against the targets in the issues; they never fail on them.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

export type Report = (name: string, value: number, unit: string, target?: string) => void;
export interface BenchModule {
  title: string;
  run(report: Report): Promise<void> | void;
}

const dir = fileURLToPath(new URL('.', import.meta.url));
const filter = process.argv[2] ?? '';
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort();

const fmt = (v: number) =>
  Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2);
console.log(`glaunch bench — ${new Date().toISOString()} — node ${process.version}`);
if (files.length === 0) console.log('(no benchmarks yet)');
for (const f of files) {
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as BenchModule;
  console.log(`\n## ${mod.title} (${f})`);
  try {
    await mod.run((name, value, unit, target) =>
      console.log(
        `  ${name.padEnd(48)} ${fmt(value).padStart(14)} ${unit}${target ? `   (target ${target})` : ''}`,
      ),
    );
  } catch (e) {
    console.log(`  FAILED TO RUN: ${(e as Error).stack ?? e}`);
  }
}
