import { describe, expect, it } from 'vitest';
import type { Lens } from '../../../../src/core/finding.ts';
import type { ReviewResult } from '../../../../src/core/review.ts';
import { emptyUsage } from '../../../../src/core/usage.ts';
import {
  examinedBy,
  stillUnreviewed,
} from '../../../../src/github/history/examined.ts';
import { addedFile, changeSet } from '../../../support/change-set.ts';

function result(
  files: ReviewResult['coverage']['files'],
  model: ReviewResult['coverage']['model']['status'] = 'completed',
): ReviewResult {
  return {
    headSha: 'a'.repeat(40),
    findings: [],
    coverage: {
      files,
      notes: [],
      model: { status: model, chunksTotal: 1, chunksReviewed: 1 },
      complete: true,
      unlistedFiles: 0,
    },
    usage: emptyUsage(),
    summaries: [],
    gate: { conclusion: 'success', reason: '', blocking: [] },
  };
}

const lenses = new Set<Lens>(['security']);
const set = changeSet([
  addedFile('src/a.ts', ['a']),
  addedFile('src/b.ts', ['b']),
  {
    path: 'src/gone.ts',
    status: 'removed',
    additions: 0,
    deletions: 1,
    patch: '@@ -1 +0,0 @@\n-x',
  },
]);
const reviewed = [
  { path: 'src/a.ts', status: 'reviewed' as const, reasons: [] },
  {
    path: 'src/b.ts',
    status: 'partial' as const,
    reasons: ['the model request for this file failed'],
  },
  { path: 'src/gone.ts', status: 'reviewed' as const, reasons: [] },
];

describe('examinedBy', () => {
  it('counts every analysed file for analyzers, but only fully model-reviewed selected files for the model', () => {
    const examined = examinedBy(
      result(reviewed, 'partial'),
      set,
      lenses,
      new Set(['src/a.ts', 'src/b.ts']),
      ['src/old.ts'],
    );
    expect([...examined.analyzerPaths].sort()).toEqual([
      'src/a.ts',
      'src/b.ts',
      'src/gone.ts',
    ]);
    expect([...examined.modelPaths]).toEqual(['src/a.ts']);
    // Deleted by the pull request, or no longer in it at all.
    expect([...examined.gonePaths].sort()).toEqual([
      'src/gone.ts',
      'src/old.ts',
    ]);
  });

  it('credits the model with nothing when it did not run', () => {
    for (const status of [
      'not-configured',
      'skipped',
      'failed',
      'disabled',
    ] as const) {
      expect(
        examinedBy(result(reviewed, status), set, lenses, undefined, [])
          .modelPaths.size,
      ).toBe(0);
    }
  });

  it('proves nothing left the pull request when the file listing was cut short', () => {
    const partial = { ...set, listingComplete: false };
    expect([
      ...examinedBy(result(reviewed), partial, lenses, undefined, [
        'src/old.ts',
      ]).gonePaths,
    ]).toEqual(['src/gone.ts']);
  });
});

describe('stillUnreviewed', () => {
  it('keeps what the model still owes a look, dropping files that left the pull request', () => {
    const examined = examinedBy(
      result(reviewed, 'partial'),
      set,
      lenses,
      new Set(['src/a.ts', 'src/b.ts']),
      [],
    );
    expect(
      stillUnreviewed(
        ['src/left.ts', 'src/b.ts'],
        ['src/a.ts', 'src/b.ts'],
        examined,
        set,
      ),
    ).toEqual(['src/b.ts']);
  });
});
