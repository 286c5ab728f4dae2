import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { apiArgSchemas, parseApiArgs } from '../../../main/common/api-schema';
import { API_METHODS } from '../../../main/common/api';
import { ApiError } from '../../../main/common/api-error';
import { webSocketUrl, wsRequestSchema } from '../../../main/common/ws-protocol';

describe('API argument schemas', () => {
  test('every method has one', () => {
    assert.deepEqual(Object.keys(apiArgSchemas).sort(), [...API_METHODS].sort());
  });
  test('valid calls pass (with defaults applied)', () => {
    const [input] = parseApiArgs('createVm', [{ name: 'A', cpuModel: 'e8c', memoryMiB: 512 }]) as [
      { osType: string },
    ];
    assert.equal(input.osType, 'glaunch-demo');
    assert.deepEqual(parseApiArgs('listVms', []), []);
  });
  test('bad calls: wrong arity, wrong types, extra keys, not an array', () => {
    const bad: [Parameters<typeof parseApiArgs>[0], unknown][] = [
      ['listVms', [1]],
      ['getVm', []],
      ['getVm', [42]],
      ['deleteVm', ['A', { deleteFiles: 'yes' }]],
      ['deleteVm', ['A', { deleteFiles: true, extra: 1 }]],
      ['renameVm', ['A', 'CON']],
      ['createVm', 'A'],
      ['importVm', ['relative/dir']],
      ['pickFile', [{ title: 5 }]],
    ];
    for (const [m, args] of bad)
      assert.throws(
        () => parseApiArgs(m, args),
        (e: unknown) => e instanceof ApiError && e.code === 'validation',
        `${m} ${JSON.stringify(args)}`,
      );
  });
  test('single-object arguments report fields as vm.json paths', () => {
    try {
      parseApiArgs('createVm', [{ name: 'A', cpuModel: 'e8c', memoryMiB: 512, cpuCount: 0 }]);
      assert.fail('should throw');
    } catch (e) {
      assert.equal((e as ApiError).problems?.[0].field, 'cpuCount');
    }
  });
});

describe('ws protocol helpers', () => {
  test('webSocketUrl carries the page token', () => {
    assert.equal(
      webSocketUrl({ protocol: 'http:', host: '127.0.0.1:8080', search: '?token=a-b_c&x=1' }),
      'ws://127.0.0.1:8080/api?token=a-b_c',
    );
    assert.equal(
      webSocketUrl({ protocol: 'http:', host: 'localhost:1', search: '' }),
      'ws://localhost:1/api',
    );
  });
  test('request schema', () => {
    assert.ok(
      wsRequestSchema.safeParse({ type: 'request', id: 1, method: 'listVms', args: [] }).success,
    );
    assert.ok(
      !wsRequestSchema.safeParse({ type: 'request', id: -1, method: 'listVms', args: [] }).success,
    );
    assert.ok(
      !wsRequestSchema.safeParse({ type: 'request', id: 1, method: 'eval', args: [] }).success,
    );
  });
});

describe('reviveApiErrors', () => {
  test('turns plain ApiErrorData rejections into ApiError, leaves the rest', async () => {
    const { reviveApiErrors } = await import('../../../main/common/api-error');
    const raw = {
      a: async () => {
        throw { code: 'validation', message: 'bad', problems: [{ field: 'name', message: 'x' }] };
      },
      b: async () => {
        throw new TypeError('boom');
      },
      c: async (x: number) => x + 1,
      onThing: (l: () => void) => l,
    };
    const api = reviveApiErrors(raw);
    await assert.rejects(
      api.a(),
      (e: unknown) => e instanceof ApiError && e.problems?.[0].field === 'name',
    );
    await assert.rejects(api.b(), TypeError);
    assert.equal(await api.c(1), 2);
    assert.equal(api.onThing, raw.onThing);
  });
});
