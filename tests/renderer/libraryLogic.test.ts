import { describe, expect, it } from 'vitest';
import { formatDuration, resolutionBadge } from '../../renderer/src/lib/format';
import { parsePathList } from '../../renderer/src/features/library/pathList';
import { applyClick, clickKind } from '../../renderer/src/features/library/selection';
import { cueAt, parseSpriteVtt } from '../../renderer/src/lib/spriteVtt';

// The Library screen's pure parts, checked directly (no browser): sprite VTT parsing, selection, formatting.

const VTT = `WEBVTT

00:00:00.000 --> 00:00:01.000
sprite.jpg#xywh=0,0,160,90

00:00:01.000 --> 00:00:02.500
sprite.jpg#xywh=160,0,160,90

00:00:02.500 --> 00:00:04.000
sprite.jpg#xywh=0,90,160,90

garbage --> nonsense
sprite.jpg#xywh=1,2,3,4
`;

describe('sprite sheet VTT', () => {
  it('parses tiles, skips malformed cues and finds the tile for a fraction of the video', () => {
    const sheet = parseSpriteVtt(VTT);
    expect(sheet.cues).toHaveLength(3);
    expect(sheet.width).toBe(320);
    expect(sheet.height).toBe(180);
    expect(cueAt(sheet, 0)).toMatchObject({ x: 0, y: 0 });
    expect(cueAt(sheet, 0.3)).toMatchObject({ x: 160, y: 0 }); // 1.2 s of 4 s
    expect(cueAt(sheet, 0.99)).toMatchObject({ x: 0, y: 90 });
    expect(cueAt(sheet, 1.5)).toMatchObject({ x: 0, y: 90 }); // clamped to the end
    expect(cueAt(sheet, -1)).toMatchObject({ x: 0, y: 0 });
    expect(cueAt(parseSpriteVtt('WEBVTT\n'), 0.5)).toBeNull();
  });

  it('accepts CRLF files and hour-less timestamps', () => {
    const sheet = parseSpriteVtt('WEBVTT\r\n\r\n00:00.000 --> 00:02.000\r\nsprite.jpg#xywh=0,0,100,50\r\n');
    expect(sheet.cues).toEqual([{ start: 0, end: 2, x: 0, y: 0, w: 100, h: 50 }]);
  });
});

describe('multi-select', () => {
  const ids = [10, 11, 12, 13, 14];
  const idAt = (i: number) => ids[i];
  const none = { selected: new Set<number>(), anchor: null };

  it('click selects one, Ctrl-click toggles, Shift-click selects the range from the anchor', () => {
    let s = applyClick(none, 'plain', 1, 11, idAt);
    expect([...s.selected]).toEqual([11]);
    s = applyClick(s, 'toggle', 3, 13, idAt);
    expect([...s.selected].sort()).toEqual([11, 13]);
    s = applyClick(s, 'toggle', 3, 13, idAt);
    expect([...s.selected]).toEqual([11]);
    s = applyClick(applyClick(none, 'plain', 1, 11, idAt), 'range', 4, 14, idAt);
    expect([...s.selected].sort()).toEqual([11, 12, 13, 14]);
    // Shift-click again from the same anchor, backwards, replaces the range.
    s = applyClick(s, 'range', 0, 10, idAt);
    expect([...s.selected].sort()).toEqual([10, 11]);
    // Ctrl+Shift adds a range to what is selected.
    s = applyClick({ selected: new Set([14]), anchor: 0 }, 'range-add', 1, 11, idAt);
    expect([...s.selected].sort()).toEqual([10, 11, 14]);
  });

  it('a range covers only loaded rows', () => {
    const s = applyClick({ selected: new Set(), anchor: 0 }, 'range', 4, 14, (i) => (i === 2 ? undefined : ids[i]));
    expect([...s.selected].sort()).toEqual([10, 11, 13, 14]);
  });

  it('maps modifier keys to the click kind (Cmd counts as Ctrl)', () => {
    expect(clickKind({ shiftKey: false, ctrlKey: false, metaKey: false })).toBe('plain');
    expect(clickKind({ shiftKey: false, ctrlKey: false, metaKey: true })).toBe('toggle');
    expect(clickKind({ shiftKey: true, ctrlKey: false, metaKey: false })).toBe('range');
    expect(clickKind({ shiftKey: true, ctrlKey: true, metaKey: false })).toBe('range-add');
  });
});

describe('formatting and the path field', () => {
  it('formats durations and resolution badges as people read them', () => {
    expect(formatDuration(75.4)).toBe('1:15');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(0.4)).toBe('0:00');
    expect(formatDuration(null)).toBe('–:––');
    expect(resolutionBadge(3840, 2160)).toBe('4K');
    expect(resolutionBadge(1080, 1920)).toBe('1080p'); // portrait phone video
    expect(resolutionBadge(1280, 720)).toBe('720p');
    expect(resolutionBadge(320, 240)).toBe('240p');
    expect(resolutionBadge(null, null)).toBeNull();
  });

  it('reads pasted paths one per line, unquoted', () => {
    expect(parsePathList(' /a/b c \n\n"/quoted path/x.mp4"\r\n\'/single\'\n')).toEqual(['/a/b c', '/quoted path/x.mp4', '/single']);
    expect(parsePathList('   ')).toEqual([]);
  });
});
