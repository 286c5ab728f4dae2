import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { matchShortcut, shortcutLabel } from '../../renderer/app/shortcuts';

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
  test('labels', () => {
    assert.equal(shortcutLabel('newVm', false), 'Ctrl+N');
    assert.equal(shortcutLabel('newVm', true), '⌘N');
    assert.equal(shortcutLabel('removeVm', false), 'Del');
  });
});
