import { describe, expect, it } from 'vitest';
import { settledState } from '../../../../src/github/review/decide.ts';
import {
  emptyState,
  type LastRun,
} from '../../../../src/github/history/review-state.ts';
import { finding } from '../../report/build-result.ts';

const HEAD = 'a'.repeat(40);
const last: LastRun = {
  head: HEAD,
  modelNotConfigured: false,
  coverageLine: 'all files reviewed',
  modelLine: 'model reviewed everything',
};

function decision(modelEnabled = true) {
  const { v, open, waivers, fixed, cost } = emptyState();
  return {
    state: {
      next: { v, head: HEAD, open, waivers, fixed, cost, reviews: 1 },
      last,
      owed: ['src/owed.ts'],
      modelEnabled,
    },
    toComment: [
      finding({ source: 'model', path: 'src/model.ts' }),
      finding({ source: 'analyzer', path: 'src/rule.ts' }),
    ],
    threads: { resolve: ['f'.repeat(16)], reopen: [] },
  };
}

const posted = {
  posted: true,
  folded: false,
  inlineComments: 2,
  fingerprints: ['x'],
};

describe('settledState', () => {
  it('stores what the next review needs when posting and threads went well', () => {
    const state = settledState(decision(), posted, true);
    expect(state).toMatchObject({
      head: HEAD,
      reviews: 1,
      resolving: [],
      unreviewed: ['src/owed.ts'],
      last,
    });
    expect(state.truncated).toBeUndefined();
  });

  it('owes the model the files of model findings that could not be posted, and keeps unresolved threads for the next review', () => {
    const state = settledState(decision(), undefined, false);
    expect(state.unreviewed).toEqual(['src/model.ts', 'src/owed.ts']);
    expect(state.resolving).toEqual(['f'.repeat(16)]);
  });

  it('owes the model nothing when the model is turned off', () => {
    expect(settledState(decision(false), undefined, true).unreviewed).toEqual(
      [],
    );
  });
});
