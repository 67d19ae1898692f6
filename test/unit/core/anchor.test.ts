import { describe, expect, it } from 'vitest';
import {
  anchorRange,
  MAX_ANCHOR_SHIFT,
} from '../../../src/core/diff/anchor.ts';
import { parsePatch } from '../../../src/core/diff/parse-patch.ts';

// Two hunks: head lines 10-14 and 40-42; base lines 10-13 and 38-40.
const hunks = parsePatch(
  [
    '@@ -10,4 +10,5 @@ class A',
    ' a',
    '-b',
    '+b2',
    '+b3',
    ' c',
    ' d',
    '@@ -38,3 +40,3 @@',
    ' x',
    '-y',
    '+z',
    ' w',
  ].join('\n'),
);

describe('anchorRange', () => {
  it('keeps a single line inside a hunk', () => {
    expect(anchorRange(hunks, { start: 12, end: 12, side: 'RIGHT' })).toEqual({
      kind: 'inline',
      side: 'RIGHT',
      line: 12,
    });
  });

  it('keeps a multi-line range inside one hunk', () => {
    expect(anchorRange(hunks, { start: 11, end: 13, side: 'RIGHT' })).toEqual({
      kind: 'inline',
      side: 'RIGHT',
      startLine: 11,
      line: 13,
    });
  });

  it('clamps a range that spans two hunks to the hunk holding its end', () => {
    expect(anchorRange(hunks, { start: 12, end: 41, side: 'RIGHT' })).toEqual({
      kind: 'inline',
      side: 'RIGHT',
      startLine: 40,
      line: 41,
    });
  });

  it('clamps a range that starts in a hunk and runs past it', () => {
    expect(anchorRange(hunks, { start: 13, end: 20, side: 'RIGHT' })).toEqual({
      kind: 'inline',
      side: 'RIGHT',
      startLine: 13,
      line: 14,
    });
  });

  it('moves a finding just outside a hunk to the nearest line and says from where', () => {
    expect(anchorRange(hunks, { start: 16, end: 16, side: 'RIGHT' })).toEqual({
      kind: 'inline',
      side: 'RIGHT',
      line: 14,
      movedFrom: 16,
    });
    expect(
      anchorRange(hunks, {
        start: 14 + MAX_ANCHOR_SHIFT + 1,
        end: 14 + MAX_ANCHOR_SHIFT + 1,
        side: 'RIGHT',
      }).kind,
    ).toBe('file');
  });

  it('sends findings far from the diff to the file level', () => {
    expect(anchorRange(hunks, { start: 100, end: 100, side: 'RIGHT' })).toEqual(
      { kind: 'file', reason: 'line 100 is outside the diff' },
    );
  });

  it('anchors removed lines on the LEFT side with base numbering', () => {
    expect(anchorRange(hunks, { start: 39, end: 39, side: 'LEFT' })).toEqual({
      kind: 'inline',
      side: 'LEFT',
      line: 39,
    });
    // Head line 42 exists on the right, but on the left the second hunk ends at 40.
    expect(anchorRange(hunks, { start: 42, end: 42, side: 'LEFT' })).toEqual({
      kind: 'inline',
      side: 'LEFT',
      line: 40,
      movedFrom: 42,
    });
  });

  it('puts findings without lines, or on files without hunks, at file level', () => {
    expect(anchorRange(hunks, undefined).kind).toBe('file');
    expect(anchorRange([], { start: 1, end: 1, side: 'RIGHT' })).toEqual({
      kind: 'file',
      reason: 'the file has no diff to comment on',
    });
  });

  it('normalises a reversed range', () => {
    expect(anchorRange(hunks, { start: 13, end: 11, side: 'RIGHT' })).toEqual({
      kind: 'inline',
      side: 'RIGHT',
      startLine: 11,
      line: 13,
    });
  });
});
