import { describe, expect, it } from 'vitest';
import {
  describeSecret,
  maskRanges,
} from '../../../../src/analyzers/secrets/mask.ts';
import { headTextFromHunks } from '../../../../src/analyzers/secrets/head-text.ts';
import { parsePatch } from '../../../../src/core/diff/parse-patch.ts';

describe('masking helpers', () => {
  it('shows a 4-character prefix only for long values, and always the length', () => {
    expect(describeSecret('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')).toBe(
      '`ghp_…`, 40 characters',
    );
    expect(describeSecret('hunter2hunter2')).toBe('14 characters');
  });

  it('masks overlapping ranges once and keeps line breaks', () => {
    expect(
      maskRanges('ab\ncdef\ngh', [
        [1, 6],
        [4, 7],
      ]),
    ).toBe('a*\n****\ngh');
    expect(maskRanges('abc', [])).toBe('abc');
  });

  it('rebuilds head lines from hunks at their own line numbers', () => {
    const hunks = parsePatch(
      '@@ -2,2 +2,3 @@\n context\n-old\n+new one\n+new two\n@@ -10,1 +11,1 @@\n-x\n+y',
    );
    expect(headTextFromHunks(hunks).split('\n')).toEqual([
      '',
      'context',
      'new one',
      'new two',
      '',
      '',
      '',
      '',
      '',
      '',
      'y',
    ]);
  });
});
