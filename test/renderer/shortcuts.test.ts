import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { matchShortcut, shortcutLabel, worksInConsole } from '../../renderer/app/shortcuts';

const key = (
  k: string,
  mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {},
) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('shortcuts', () => {
  test('Ctrl on Linux/Windows, Command on macOS', () => {
    assert.equal(matchShortcut(key('n', { ctrlKey: true }), false), 'newVm');
    assert.equal(matchShortcut(key('N', { ctrlKey: true }), false), 'newVm');
    assert.equal(matchShortcut(key('n', { metaKey: true }), true), 'newVm');
    assert.equal(matchShortcut(key('n', { metaKey: true }), false), null);
    assert.equal(matchShortcut(key('s', { ctrlKey: true }), false), 'settings');
    assert.equal(matchShortcut(key('d', { ctrlKey: true }), false), 'cloneVm');
    assert.equal(matchShortcut(key('Delete'), false), 'removeVm');
    assert.equal(matchShortcut(key('n'), false), null);
    assert.equal(matchShortcut(key('n', { ctrlKey: true, shiftKey: true }), false), null);
  });
  test('machine commands use Ctrl+Shift and leave plain Ctrl+letters to the console', () => {
    assert.equal(matchShortcut(key('S', { ctrlKey: true, shiftKey: true }), false), 'startVm');
    assert.equal(matchShortcut(key('p', { ctrlKey: true, shiftKey: true }), false), 'pauseVm');
    assert.equal(matchShortcut(key('f', { metaKey: true, shiftKey: true }), true), 'powerOffVm');
    assert.equal(matchShortcut(key('h', { ctrlKey: true, shiftKey: true }), false), 'shutdownVm');
    assert.equal(worksInConsole('startVm'), true);
    assert.equal(worksInConsole('cloneVm'), false);
    assert.equal(shortcutLabel('resetVm', false), 'Ctrl+Shift+E');
    assert.equal(shortcutLabel('resetVm', true), '⇧⌘E');
  });
  test('labels', () => {
    assert.equal(shortcutLabel('newVm', false), 'Ctrl+N');
    assert.equal(shortcutLabel('newVm', true), '⌘N');
    assert.equal(shortcutLabel('removeVm', false), 'Del');
  });
});
