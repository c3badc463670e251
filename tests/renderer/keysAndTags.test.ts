import { describe, expect, it } from 'vitest';
import { tagsThatFit } from '../../renderer/src/features/library/tagFit';
import { screenKeyDigit } from '../../renderer/src/lib/screenKeys';
import { groupsForScreen, type ShortcutHelp } from '../../renderer/src/app/shortcuts';

const key = (over: Partial<KeyboardEvent>) => ({ ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, key: '', code: '', ...over });

describe('screen keys: Ctrl/Cmd+n in the window, Alt+Shift+n in a browser', () => {
  it('the window takes Ctrl or Cmd with a digit, nothing else', () => {
    expect(screenKeyDigit(key({ ctrlKey: true, key: '3', code: 'Digit3' }), true)).toBe('3');
    expect(screenKeyDigit(key({ metaKey: true, key: '8', code: 'Digit8' }), true)).toBe('8');
    expect(screenKeyDigit(key({ altKey: true, shiftKey: true, key: '#', code: 'Digit3' }), true)).toBeNull();
    expect(screenKeyDigit(key({ ctrlKey: true, shiftKey: true, key: '#', code: 'Digit3' }), true)).toBeNull();
  });

  it('a browser leaves Ctrl+n (tab switching) and Alt+n (Linux tab switching) alone and reads the physical digit', () => {
    expect(screenKeyDigit(key({ ctrlKey: true, key: '2', code: 'Digit2' }), false)).toBeNull();
    expect(screenKeyDigit(key({ altKey: true, key: '2', code: 'Digit2' }), false)).toBeNull();
    // Shift turns the key into "@" (and Option into "™" on a Mac): the code is still Digit2.
    expect(screenKeyDigit(key({ altKey: true, shiftKey: true, key: '@', code: 'Digit2' }), false)).toBe('2');
    expect(screenKeyDigit(key({ altKey: true, shiftKey: true, key: 'Q', code: 'KeyQ' }), false)).toBeNull();
  });
});

describe('tags that fit a card', () => {
  it('keeps every tag when all fit, with no "+N"', () => {
    expect(tagsThatFit([40, 50, 30], 128, 4, 20)).toBe(3);
  });
  it('keeps whole tags and leaves room for "+N"', () => {
    // 40+4+50 = 94, +4+20 = 118 ≤ 120; a third tag would not leave room for "+1".
    expect(tagsThatFit([40, 50, 30], 120, 4, 20)).toBe(2);
    expect(tagsThatFit([40, 50, 30], 100, 4, 20)).toBe(1);
  });
  it('keeps the first tag (it ends with an ellipsis) rather than only "+N"', () => {
    expect(tagsThatFit([300, 20], 100, 4, 20)).toBe(1);
    expect(tagsThatFit([], 100, 4, 20)).toBe(0);
  });
});

describe('the ? overlay lists the current screen first', () => {
  const list: ShortcutHelp[] = [
    { keys: ['?'], does: 'help', where: 'Anywhere' },
    { keys: ['J'], does: 'next', where: 'Library' },
    { keys: ['F'], does: 'full', where: 'Video page' },
  ];
  it('the Library with its video views, then the rest', () => {
    expect(groupsForScreen(list, 'Library')).toEqual([['Library', 'Video page'], ['Anywhere']]);
  });
  it('a screen without keys of its own starts with the app-wide ones', () => {
    expect(groupsForScreen(list, 'Monitor')).toEqual([['Anywhere'], ['Library', 'Video page']]);
  });
});
