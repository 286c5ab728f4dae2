// Runs the test suites with Node's built-in test runner (TypeScript through tsx).
//   node test/run.mjs unit [filter]   every test/**/*.test.ts outside test/e2e
//   node test/run.mjs e2e  [filter]   test/e2e/**/*.test.ts (needs `npm run build` first)
// Node 20 cannot glob for .ts test files itself, so the list is collected here.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [suite = 'unit', filter = ''] = process.argv.slice(2);
if (suite !== 'unit' && suite !== 'e2e') {
  console.error(`test/run.mjs: unknown suite '${suite}' (expected unit or e2e)`);
  process.exit(2);
}

function collect(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name === 'node_modules' || name === 'fixtures') continue;
      collect(p, out);
    } else if (name.endsWith('.test.ts') || name.endsWith('.test.tsx')) out.push(p);
  }
  return out;
}

const testDir = join(root, 'test');
const files = collect(testDir)
  .map((f) => relative(root, f))
  .filter((f) => (suite === 'e2e' ? f.startsWith('test/e2e/') : !f.startsWith('test/e2e/')))
  .filter((f) => f.includes(filter))
  .sort();
if (files.length === 0) {
  console.error(`test/run.mjs: no ${suite} test files match '${filter}'`);
  process.exit(1);
}
const args = ['--import', 'tsx', '--test', '--test-reporter=spec'];
if (suite === 'e2e') args.push('--test-concurrency=1');
const r = spawnSync(process.execPath, [...args, ...files], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
