/**
 * gsh, the demo OS shell, run under the user-mode runner: the shell only uses
 * Linux-numbered system calls, so the same binary the demo kernel loads is tested here.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runElf } from '../cpu/helpers';
import { guestProgram } from './helpers';

function sh(stdin: string, files: Record<string, string> = {}) {
  const r = runElf(guestProgram('shell'), { stdin, files, max: 50_000_000 });
  return { ...r, stdout: r.stdout };
}

describe('gsh under e2k-run', () => {
  test('banner, prompt, end of input exits 0', () => {
    const r = sh('');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Glaunch demo OS shell/);
    assert.match(r.stdout, /gsh\$ \n$/);
  });

  test('help lists every command', () => {
    const r = sh('help\n');
    for (const c of [
      'help',
      'info',
      'ls',
      'cat FILE',
      'echo',
      'mem',
      'bench',
      'reboot',
      'poweroff',
    ])
      assert.ok(r.stdout.includes(`  ${c}`), c);
  });

  test('echo keeps the spacing of its arguments; leading spaces skipped', () => {
    const r = sh('   echo  a  b c\n');
    assert.ok(r.stdout.includes('\na  b c\n'));
  });

  test('cat prints a file and reports a missing one', () => {
    const r = sh('cat /motd\ncat /nope\ncat\n', { '/motd': 'line 1\nline 2\n' });
    assert.match(r.stdout, /cat \/motd\nline 1\nline 2\ngsh\$ /);
    assert.match(r.stdout, /cat: \/nope: no such file\n/);
    assert.match(r.stdout, /usage: cat FILE\n/);
  });

  test('cat copies a file larger than its 4 KiB buffer', () => {
    const big = Array.from({ length: 700 }, (_, i) => `row ${i}\n`).join('');
    const r = sh('cat /big\n', { '/big': big });
    assert.ok(r.stdout.includes(big));
  });

  test('unknown commands name the word', () => {
    assert.match(sh('frobnicate now\n').stdout, /frobnicate: command not found\n/);
  });

  test('line editing: backspace, DEL, Ctrl-U, Ctrl-C, history', () => {
    const r = sh('echo abx\x7fc\x08d\n' + 'junk\x15echo ok\n' + 'echo no\x03' + '\x10\n');
    assert.ok(r.stdout.includes('echo abx\b \bc\b \bd\nabd\n'));
    assert.ok(r.stdout.includes('junk' + '\b \b'.repeat(4) + 'echo ok\nok\n'));
    assert.match(r.stdout, /echo no\^C\ngsh\$ /);
    // Ctrl-P recalls "echo ok" (the cancelled line is not history)
    assert.match(r.stdout, /\^C\ngsh\$ echo ok\nok\n/);
  });

  test('Up arrow recalls the previous line', () => {
    const r = sh('echo one\n\x1b[A\n');
    assert.equal(r.stdout.match(/\none\n/g)?.length, 2);
  });

  test('history: Up/Down walk the last 8 lines, Down past the newest clears the line', () => {
    const lines = Array.from({ length: 10 }, (_, i) => `echo l${i}\n`).join('');
    const up = '\x1b[A';
    const down = '\x1b[B';
    // 8 ups reach the oldest kept line (l2); a 9th does nothing; Enter runs it
    let r = sh(lines + up.repeat(9) + '\n');
    assert.match(r.stdout, /\nl2\n(gsh\$ )?\n?$/);
    // up, up, down = the newest line again (l9)
    r = sh(lines + up + up + down + '\n');
    assert.match(r.stdout, /\nl9\ngsh\$ \n$/);
    // down past the newest gives an empty line; Ctrl-P/Ctrl-N work like the arrows
    r = sh(lines + '\x10\x0e' + 'echo fresh\n');
    assert.match(r.stdout, /\nfresh\n/);
  });

  test('a too long line rings the bell instead of overflowing', () => {
    const r = sh('echo ' + 'x'.repeat(300) + '\n');
    assert.ok(r.stdout.includes('\x07'));
    assert.ok(r.stdout.includes('\n' + 'x'.repeat(195) + '\n'));
  });

  test('info: uname, /proc/cpuinfo, uptime', () => {
    const r = sh('info\n', { '/proc/cpuinfo': 'cpu model: Elbrus-8C2 (e8c2)\nvcpus: 1\n' });
    assert.match(r.stdout, /system: {2}Linux glaunch|system: {2}Linux 5\.4\.0-e2k/);
    assert.match(r.stdout, /machine: e2k\n/);
    assert.match(r.stdout, /cpu model: Elbrus-8C2 \(e8c2\)\nvcpus: 1\n/);
    assert.match(r.stdout, /uptime: {2}1\.000 s\n/); // memHost's monotonic clock is 1000 ms
  });

  test('mem maps and touches memory', () => {
    const r = sh('mem 2\nmem\n');
    assert.match(r.stdout, /mem: touched 2 MiB at 0x[0-9a-f]+\n/);
    assert.match(r.stdout, /mem: touched 16 MiB at 0x[0-9a-f]+\n/);
  });

  test('bench runs the loop and reports the time', () => {
    const r = sh('bench 3\n');
    // memHost's clock does not move, so no rate is printed
    assert.match(r.stdout, /bench: 3000 iterations in 0\.000 ms\n/);
  });

  test('system calls the runner lacks give a clear message', () => {
    const r = sh('ls\nreboot\npoweroff\n');
    assert.match(r.stdout, /ls: \/: no such file\n/); // the test host has no directory "/"
    assert.match(r.stdout, /reboot: not supported here\n/);
    assert.match(r.stdout, /poweroff: not supported here\n/);
  });

  test('assembled for elbrus-v2: runs on every CPU preset', () => {
    for (const cpu of ['e2c+', 'e2s', 'e8c', 'e8c2', 'e16c'] as const) {
      const r = runElf(guestProgram('shell'), { cpu, stdin: 'echo ok\nbench 1\nmem 1\n' });
      assert.equal(r.code, 0, cpu);
      assert.match(r.stdout, /\nok\n/, cpu);
      assert.match(r.stdout, /bench: 1000 iterations/, cpu);
      assert.match(r.stdout, /mem: touched 1 MiB/, cpu);
    }
  });

  test('exit leaves with status 0', () => {
    const r = sh('exit\necho not reached\n');
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.stdout, /not reached/);
  });
});
