// IPC: sender checks, argument validation, and the preload's client over a fake ipcRenderer
// wired to the real handler, as Electron would wire them.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  handleIpcCall,
  untrustedSenderReason,
  type IpcSenderFacts,
} from '../../../../main/node/desktop/ipc-guard';
import { createIpcApi, type IpcRendererLike } from '../../../../main/common/ipc-client';
import { IPC_EVENT_CHANNEL, IPC_PREFIX } from '../../../../main/common/ipc';
import { createApiService } from '../../../../main/node/api/service';
import { VmLibrary } from '../../../../main/node/library/library';
import { APP_ORIGIN } from '../../../../main/node/desktop/app-protocol';
import { tmpDir } from '../../helpers/tmp';

const app = { mainWindowId: 7, origins: [APP_ORIGIN] };
const good: IpcSenderFacts = {
  senderId: 7,
  frameUrl: 'app://glaunch/index.html',
  isMainFrame: true,
};

describe('IPC sender check', () => {
  test('accepts the main window top frame on app://glaunch', () => {
    assert.equal(untrustedSenderReason(good, app), null);
  });
  test('refuses other windows, iframes, foreign pages, missing frames', () => {
    assert.match(untrustedSenderReason({ ...good, senderId: 8 }, app)!, /main window/);
    assert.match(untrustedSenderReason(good, { ...app, mainWindowId: undefined })!, /main window/);
    assert.match(untrustedSenderReason({ ...good, isMainFrame: false }, app)!, /top frame/);
    assert.match(
      untrustedSenderReason({ ...good, frameUrl: 'https://evil.example/' }, app)!,
      /not the app/,
    );
    assert.match(
      untrustedSenderReason({ ...good, frameUrl: 'file:///etc/index.html' }, app)!,
      /not the app/,
    );
    assert.match(
      untrustedSenderReason({ ...good, frameUrl: 'app://glaunch.evil/index.html' }, app)!,
      /not the app/,
    );
    assert.match(untrustedSenderReason({ ...good, frameUrl: null }, app)!, /gone/);
    assert.match(untrustedSenderReason({ ...good, frameUrl: 'nonsense' }, app)!, /bad frame URL/);
  });
});

describe('IPC handler and preload client', () => {
  const lib = new VmLibrary(path.join(tmpDir(), 'lib'));
  const api = createApiService({
    library: lib,
    mode: 'electron',
    pickFile: async () => '/picked.iso',
  });
  const listeners = new Set<(e: unknown, ...a: unknown[]) => void>();
  let sender = good;
  const fake: IpcRendererLike = {
    invoke: async (channel, ...args) => {
      // structuredClone: what crosses a real IPC boundary is a copy.
      const out = await handleIpcCall(
        api,
        channel.slice(IPC_PREFIX.length),
        structuredClone(args),
        sender,
        app,
      );
      return structuredClone(out);
    },
    on: (ch, l) => ch === IPC_EVENT_CHANNEL && listeners.add(l),
    removeListener: (_ch, l) => listeners.delete(l),
  };
  const client = createIpcApi(fake);
  api.onLibraryChanged(() => listeners.forEach((l) => l({}, 'libraryChanged')));

  test('calls round-trip and events arrive until unsubscribed', async () => {
    let events = 0;
    const off = client.onLibraryChanged(() => events++);
    const c = await client.createVm({ name: 'IPC', cpuModel: 'e8c', memoryMiB: 1024 });
    assert.equal(c.name, 'IPC');
    assert.equal((await client.listVms()).length, 1);
    assert.equal(await client.pickFile({}), '/picked.iso');
    assert.equal((await client.getAppInfo()).mode, 'electron');
    assert.equal(events, 1);
    off();
    await client.deleteVm('IPC', { deleteFiles: true });
    assert.equal(events, 1);
  });
  test('menu commands reach onMenuCommand', () => {
    const got: string[] = [];
    const off = client.onMenuCommand!((c) => got.push(c));
    listeners.forEach((l) => l({}, 'menuCommand', 'newVm'));
    listeners.forEach((l) => l({}, 'libraryChanged'));
    off();
    assert.deepEqual(got, ['newVm']);
  });
  test('invalid arguments reject with ApiErrorData naming the field', async () => {
    await assert.rejects(
      client.createVm({ name: 'X', cpuModel: 'e8c', memoryMiB: 'lots' as unknown as number }),
      (e: unknown) => {
        const d = e as { code: string; problems: { field: string }[] };
        assert.equal(d.code, 'validation');
        assert.equal(d.problems[0].field, 'memoryMiB');
        return true;
      },
    );
    await assert.rejects(client.renameVm('A', 'bad/name'), { code: 'validation' });
    await assert.rejects((client.getVm as (...a: unknown[]) => Promise<unknown>)(), {
      code: 'validation',
    });
    await assert.rejects(client.setPreferences({ theme: 'neon' as 'dark' }), {
      code: 'validation',
    });
    await assert.rejects(client.getVm('nothing'), { code: 'not_found' });
  });
  test('an untrusted sender gets nothing', async () => {
    sender = { ...good, frameUrl: 'https://evil.example/' };
    try {
      await assert.rejects(client.listVms(), (e: unknown) =>
        /refused/.test((e as { message: string }).message),
      );
    } finally {
      sender = good;
    }
  });
  test('unknown method names are refused', async () => {
    const out = await handleIpcCall(api, 'dropDatabase', [], good, app);
    assert.ok(!out.ok && out.error.code === 'validation');
  });
  test('preferences are validated and stored', async () => {
    assert.deepEqual(await client.getPreferences(), { language: 'en', theme: 'system' });
    assert.deepEqual(await client.setPreferences({ language: 'ru' }), {
      language: 'ru',
      theme: 'system',
    });
    assert.deepEqual(await client.setPreferences({ theme: 'dark' }), {
      language: 'ru',
      theme: 'dark',
    });
  });
});
