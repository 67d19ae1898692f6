import { describe, expect, it } from 'vitest';
import {
  addedLines,
  parsePatch,
  removedLines,
} from '../../../src/core/diff/parse-patch.ts';

describe('parsePatch', () => {
  it('numbers added, removed and context lines from the hunk header', () => {
    const hunks = parsePatch(
      [
        '@@ -10,3 +10,4 @@ export function handler(req) {',
        ' a',
        '-b',
        '+c',
        '+d',
        ' e',
      ].join('\n'),
    );
    expect(hunks).toHaveLength(1);
    expect(hunks[0]!.section).toBe('export function handler(req) {');
    expect(hunks[0]!.lines).toEqual([
      { kind: 'ctx', oldLine: 10, newLine: 10, text: 'a' },
      { kind: 'del', oldLine: 11, text: 'b' },
      { kind: 'add', newLine: 11, text: 'c' },
      { kind: 'add', newLine: 12, text: 'd' },
      { kind: 'ctx', oldLine: 12, newLine: 13, text: 'e' },
    ]);
  });

  it('handles several hunks and omitted counts', () => {
    const hunks = parsePatch(
      ['@@ -1 +1 @@', '-x', '+y', '@@ -20,2 +20,3 @@', ' p', '+q', ' r'].join(
        '\n',
      ),
    );
    expect(
      hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines]),
    ).toEqual([
      [1, 1, 1, 1],
      [20, 2, 20, 3],
    ]);
    expect([...addedLines(hunks)]).toEqual([1, 21]);
    expect([...removedLines(hunks)]).toEqual([1]);
  });

  it('ignores "no newline at end of file" markers', () => {
    const hunks = parsePatch(
      [
        '@@ -1,2 +1,2 @@',
        ' a',
        '-b',
        '\\ No newline at end of file',
        '+b',
        '+',
        '\\ No newline at end of file',
      ].join('\n'),
    );
    expect(hunks[0]!.lines.map((l) => l.kind)).toEqual([
      'ctx',
      'del',
      'add',
      'add',
    ]);
    expect(hunks[0]!.lines.at(-1)).toEqual({
      kind: 'add',
      newLine: 3,
      text: '',
    });
  });

  it('parses a new file and a deleted file', () => {
    const added = parsePatch(['@@ -0,0 +1,2 @@', '+one', '+two'].join('\n'));
    expect([...addedLines(added)]).toEqual([1, 2]);
    const deleted = parsePatch(['@@ -1,2 +0,0 @@', '-one', '-two'].join('\n'));
    expect([...removedLines(deleted)]).toEqual([1, 2]);
    expect(addedLines(deleted).size).toBe(0);
  });

  it('skips git headers before the first hunk and a trailing newline after the last', () => {
    const patch = [
      'diff --git a/x.ts b/y.ts',
      'similarity index 90%',
      'rename from x.ts',
      'rename to y.ts',
      '--- a/x.ts',
      '+++ b/y.ts',
      '@@ -5,2 +5,2 @@',
      ' k',
      '-v',
      '+w',
      '',
    ].join('\n');
    const hunks = parsePatch(patch);
    expect(hunks).toHaveLength(1);
    expect(hunks[0]!.lines).toHaveLength(3);
  });

  it('keeps an empty context line inside a hunk', () => {
    const hunks = parsePatch(
      ['@@ -1,3 +1,3 @@', ' a', '', '-b', '+c'].join('\n'),
    );
    expect(hunks[0]!.lines.map((l) => l.kind)).toEqual([
      'ctx',
      'ctx',
      'del',
      'add',
    ]);
    expect(hunks[0]!.lines[3]).toEqual({ kind: 'add', newLine: 3, text: 'c' });
  });

  it('returns no hunks for an absent patch', () => {
    expect(parsePatch(undefined)).toEqual([]);
    expect(parsePatch('')).toEqual([]);
  });
});
