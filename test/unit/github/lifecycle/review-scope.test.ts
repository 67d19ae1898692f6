import { describe, expect, it } from 'vitest';
import {
  needsComparison,
  selectReviewScope,
  type ScopeInput,
} from '../../../../src/github/history/review-scope.ts';

const OLD = '1'.repeat(40);
const NEW = '2'.repeat(40);
const paths = new Set(['src/a.ts', 'src/b.ts', 'src/renamed.ts']);

function input(over: Partial<ScopeInput> = {}): ScopeInput {
  return {
    forceFull: false,
    lastHead: OLD,
    head: NEW,
    stateTruncated: false,
    pullRequestPaths: paths,
    ...over,
  };
}

describe('selectReviewScope', () => {
  it('sends the model only the pull request`s files changed since the last reviewed head', () => {
    const scope = selectReviewScope(
      input({
        comparison: {
          status: 'ahead',
          complete: true,
          files: [{ path: 'src/a.ts' }, { path: 'docs/other.md' }],
        },
      }),
    );
    expect(scope).toEqual({
      kind: 'incremental',
      since: OLD,
      paths: new Set(['src/a.ts']),
    });
  });

  it('follows renames since the last review', () => {
    const scope = selectReviewScope(
      input({
        comparison: {
          status: 'ahead',
          complete: true,
          files: [{ path: 'src/renamed.ts', previousPath: 'src/old.ts' }],
        },
      }),
    );
    expect(scope.kind === 'incremental' && [...scope.paths]).toEqual([
      'src/renamed.ts',
    ]);
  });

  it('falls back to a full review when the history was rewritten or the old head is gone', () => {
    for (const comparison of [
      { status: 'diverged' as const },
      { status: 'behind' as const },
      { status: 'missing' as const },
    ]) {
      expect(selectReviewScope(input({ comparison })).kind).toBe('full');
    }
    expect(selectReviewScope(input()).kind).toBe('full');
  });

  it('is full for a first review, a request by a person, a truncated state, or too many changes to list', () => {
    expect(selectReviewScope(input({ lastHead: undefined }))).toMatchObject({
      kind: 'full',
      reason: 'first review of this pull request',
    });
    expect(selectReviewScope(input({ forceFull: true }))).toMatchObject({
      kind: 'full',
    });
    expect(selectReviewScope(input({ stateTruncated: true }))).toMatchObject({
      kind: 'full',
    });
    expect(
      selectReviewScope(
        input({ comparison: { status: 'ahead', complete: false, files: [] } }),
      ),
    ).toMatchObject({ kind: 'full' });
  });

  it('needs nothing from the model when the head was already reviewed', () => {
    expect(selectReviewScope(input({ head: OLD }))).toEqual({
      kind: 'incremental',
      since: OLD,
      paths: new Set(),
    });
  });

  it('asks GitHub for a comparison only when the answer depends on it', () => {
    expect(needsComparison(input())).toBe(true);
    expect(needsComparison(input({ forceFull: true }))).toBe(false);
    expect(needsComparison(input({ lastHead: undefined }))).toBe(false);
    expect(needsComparison(input({ head: OLD }))).toBe(false);
    expect(needsComparison(input({ stateTruncated: true }))).toBe(false);
  });
});
