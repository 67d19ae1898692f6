import { describe, expect, it } from 'vitest';
import { annotationsFor, batches } from '../../../src/report/annotations.ts';
import { finding } from './build-result.ts';

describe('annotationsFor', () => {
  it('maps severities to annotation levels', () => {
    const levels = annotationsFor([
      finding({ severity: 'critical' }),
      finding({ severity: 'high' }),
      finding({ severity: 'medium' }),
      finding({ severity: 'low' }),
    ]).map((a) => a.annotation_level);
    expect(levels).toEqual(['failure', 'failure', 'warning', 'notice']);
  });

  it('annotates the reported head lines with title, body, fix, rule and id', () => {
    const [annotation] = annotationsFor([
      finding({
        id: 'a1b2c3d4',
        path: 'src/app.ts',
        lines: { start: 7, end: 9, side: 'RIGHT' },
        placement: { kind: 'inline', line: 9, startLine: 7, side: 'RIGHT' },
        fix: 'Do this.',
      }),
    ]);
    expect(annotation).toEqual({
      path: 'src/app.ts',
      start_line: 7,
      end_line: 9,
      annotation_level: 'failure',
      title: 'High · Data & schema: NOT NULL column without a default',
      message:
        'Existing rows have no value for `email`, so the migration fails on a non-empty table.\n\nFix: Do this.\n\nRule schema/adding-not-nullable-field · ID a1b2c3d4',
    });
  });

  it('puts whole-file and removed-line findings on line 1, saying what they are about', () => {
    const [whole, removed] = annotationsFor([
      finding({
        lines: undefined,
        placement: { kind: 'file', reason: 'about the file as a whole' },
      }),
      finding({
        lines: { start: 20, end: 22, side: 'LEFT' },
        placement: { kind: 'inline', line: 22, startLine: 20, side: 'LEFT' },
      }),
    ]);
    expect([whole!.start_line, whole!.end_line]).toEqual([1, 1]);
    expect([removed!.start_line, removed!.end_line]).toEqual([1, 1]);
    expect(
      removed!.message.startsWith(
        'About removed lines 20-22 of the base revision.\n\n',
      ),
    ).toBe(true);
  });

  it('keeps analyzer lines outside the diff but not model guesses', () => {
    const outside = {
      kind: 'file',
      reason: 'line 300 is outside the diff',
    } as const;
    const [analyzer, model] = annotationsFor([
      finding({
        lines: { start: 300, end: 300, side: 'RIGHT' },
        placement: outside,
      }),
      finding({
        source: 'model',
        ruleId: 'schema/model',
        lines: { start: 300, end: 300, side: 'RIGHT' },
        placement: outside,
      }),
    ]);
    expect(analyzer!.start_line).toBe(300);
    expect(model!.start_line).toBe(1);
    expect(
      model!.message.startsWith('About line 300, which is outside the diff.'),
    ).toBe(true);
  });

  it('lists related code in raw_details', () => {
    const [annotation] = annotationsFor([
      finding({
        related: [{ path: 'src/user.ts', line: 40, note: 'reads\nemail' }],
      }),
    ]);
    expect(annotation!.raw_details).toBe(
      'Related code:\nsrc/user.ts:40 reads email',
    );
  });

  it('respects GitHub’s limits on title and message', () => {
    const [annotation] = annotationsFor([
      finding({
        title: 'T'.repeat(1000),
        body: '€'.repeat(40_000),
        fix: '\u001b[2J',
      }),
    ]);
    expect(annotation!.title.length).toBe(255);
    expect(annotation!.title.endsWith('…')).toBe(true);
    expect(Buffer.byteLength(annotation!.message, 'utf8')).toBeLessThanOrEqual(
      65_535,
    );
    expect(annotation!.message).not.toContain('\u001b');
  });
});

describe('batches', () => {
  it('splits into groups of 50 by default', () => {
    const groups = batches(Array.from({ length: 120 }, (_, i) => i));
    expect(groups.map((g) => g.length)).toEqual([50, 50, 20]);
    expect(groups.flat()).toEqual(Array.from({ length: 120 }, (_, i) => i));
  });

  it('handles empty input and custom sizes', () => {
    expect(batches([])).toEqual([]);
    expect(batches([1, 2, 3], 2)).toEqual([[1, 2], [3]]);
  });

  it('rejects a size that would never finish', () => {
    expect(() => batches([1], 0)).toThrow(RangeError);
  });
});
