import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { defaultLibraryPath } from '../../../../main/node/library/paths';

test('default library location per platform, GLAUNCH_HOME first', () => {
  assert.equal(
    defaultLibraryPath({ env: {}, platform: 'linux', home: '/home/u' }),
    '/home/u/.local/share/glaunch',
  );
  assert.equal(
    defaultLibraryPath({ env: { XDG_DATA_HOME: '/data' }, platform: 'linux', home: '/home/u' }),
    '/data/glaunch',
  );
  assert.equal(
    defaultLibraryPath({ env: { XDG_DATA_HOME: 'relative' }, platform: 'linux', home: '/home/u' }),
    '/home/u/.local/share/glaunch',
  );
  assert.equal(
    defaultLibraryPath({ env: {}, platform: 'darwin', home: '/Users/u' }),
    '/Users/u/Library/Application Support/Glaunch/VMs',
  );
  assert.equal(
    defaultLibraryPath({
      env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' },
      platform: 'win32',
      home: 'C:\\Users\\u',
    }),
    'C:\\Users\\u\\AppData\\Roaming\\Glaunch\\VMs',
  );
  assert.equal(
    defaultLibraryPath({ env: { GLAUNCH_HOME: '/srv/vms' }, platform: 'linux', home: '/home/u' }),
    '/srv/vms',
  );
  assert.equal(
    defaultLibraryPath({ env: { GLAUNCH_HOME: 'rel' }, platform: 'linux', home: '/home/u' }),
    path.resolve('rel'),
  );
});
