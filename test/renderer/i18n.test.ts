// Both languages must offer every string: same keys, nothing empty, same placeholders.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { en } from '../../renderer/i18n/en';
import { ru } from '../../renderer/i18n/ru';
import { flattenKeys } from '../../renderer/i18n/flatten';

const flatEn = flattenKeys(en);
const flatRu = flattenKeys(ru);
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('translations', () => {
  test('en and ru have identical key sets', () => {
    assert.deepEqual(Object.keys(flatRu).sort(), Object.keys(flatEn).sort());
  });
  test('no string is empty', () => {
    for (const [lang, flat] of [
      ['en', flatEn],
      ['ru', flatRu],
    ] as const)
      for (const [k, v] of Object.entries(flat))
        assert.ok(v.trim() !== '', `${lang}: ${k} is empty`);
  });
  test('every translation uses the same placeholders as English', () => {
    for (const [k, v] of Object.entries(flatEn))
      assert.deepEqual(placeholders(flatRu[k]), placeholders(v), `placeholders of ${k}`);
  });
  test('every OS type, state, serial mode and intercept has a string', async () => {
    const vm = await import('../../main/common/vm-config');
    for (const os of vm.OS_TYPES) assert.ok(flatEn[`os.${os}`], os);
    for (const m of vm.SERIAL_MODES)
      assert.ok(flatEn[`serialMode.${m}`] && flatEn[`serialValue.${m}`], m);
    for (const i of [...vm.CU_INTERCEPTS, ...vm.MU_INTERCEPTS])
      assert.ok(flatEn[`intercept.${i}`], i);
    for (const s of ['poweredOff', 'starting', 'running', 'paused', 'stopping', 'aborted'])
      assert.ok(flatEn[`state.${s}`], s);
  });
});
