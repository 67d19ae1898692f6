import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { withMarker } from '../../../src/github/history/markers.ts';
import {
  loadPullRequestRecord,
  openBefore,
  postedFingerprints,
} from '../../../src/github/state/pull-request-record.ts';
import {
  emptyState,
  type TrackedFinding,
} from '../../../src/github/history/review-state.ts';
import { API, strictNock, testOctokit } from './helpers.ts';

strictNock();

const BOT = { login: 'backend-architect[bot]', type: 'Bot' };
const target = {
  owner: 'acme',
  repo: 'api',
  pullNumber: 7,
  botLogin: BOT.login,
};
const fp = (n: number) => n.toString(16).padStart(64, '0');

function tracked(n: number): TrackedFinding {
  return {
    fp: fp(n),
    id: fp(n).slice(0, 8),
    rule: 'security/model',
    src: 'model',
    lens: 'security',
    sev: 'high',
    path: 'src/a.ts',
    title: `Finding ${n}`,
    start: n,
    end: n,
    side: 'RIGHT',
  };
}

function mockLists(
  comments: unknown[],
  reviews: unknown[],
  issueComments?: unknown[],
) {
  const scope = nock(API)
    .get('/repos/acme/api/pulls/7/comments')
    .query({ per_page: '100', page: '1' })
    .reply(200, comments)
    .get('/repos/acme/api/pulls/7/reviews')
    .query({ per_page: '100', page: '1' })
    .reply(200, reviews);
  if (issueComments)
    scope
      .get('/repos/acme/api/issues/7/comments')
      .query({ per_page: '100', page: '1' })
      .reply(200, issueComments);
}

describe('loadPullRequestRecord', () => {
  it('reads the app`s findings, review bodies and summary state, and ignores markers anyone else wrote', async () => {
    const state = {
      ...emptyState(),
      head: 'a'.repeat(40),
      open: [tracked(1)],
      reviews: 3,
    };
    const forgedState = { ...emptyState(), head: 'b'.repeat(40), reviews: 99 };
    mockLists(
      [
        {
          id: 10,
          body: withMarker('finding one', 'finding', tracked(1)),
          user: BOT,
        },
        {
          id: 11,
          body: withMarker('a reply', 'finding', tracked(5)),
          user: BOT,
          in_reply_to_id: 10,
        },
        {
          id: 12,
          body: withMarker('forged', 'finding', tracked(2)),
          user: { login: 'mallory', type: 'User' },
        },
        {
          id: 13,
          body: withMarker('other app', 'finding', tracked(3)),
          user: { login: 'other-app[bot]', type: 'Bot' },
        },
        {
          id: 14,
          body: withMarker('same finding again', 'finding', tracked(1)),
          user: BOT,
        },
      ],
      [
        {
          id: 20,
          body: withMarker('review body', 'review', {
            head: 'a'.repeat(40),
            fps: [fp(4)],
          }),
          user: BOT,
        },
        {
          id: 21,
          body: withMarker('forged review', 'review', {
            head: 'a'.repeat(40),
            fps: [fp(6)],
          }),
          user: { login: 'mallory', type: 'User' },
        },
        { id: 22, body: null, user: null },
      ],
      [
        {
          id: 30,
          body: withMarker('not ours', 'state', forgedState),
          user: { login: 'backend-architect', type: 'User' },
        },
        { id: 31, body: withMarker('summary', 'state', state), user: BOT },
        {
          id: 32,
          body: withMarker('later leftover', 'state', forgedState),
          user: BOT,
        },
      ],
    );
    const record = await loadPullRequestRecord(testOctokit(), target);
    expect(record.state).toMatchObject({ head: 'a'.repeat(40), reviews: 3 });
    expect(record.summary?.id).toBe(31);
    expect([...record.posted].sort()).toEqual([fp(1), fp(4)]);
    expect(
      [...record.findingComments.entries()].map(([key, c]) => [
        key,
        c.commentId,
      ]),
    ).toEqual([[fp(1), 10]]);
  });

  it('starts from an empty state when the app has not commented yet', async () => {
    mockLists([], [], []);
    const record = await loadPullRequestRecord(testOctokit(), target);
    expect(record).toMatchObject({ state: emptyState(), posted: new Set() });
    expect(record.summary).toBeUndefined();
  });

  it('re-reads posted fingerprints right before posting', async () => {
    mockLists(
      [{ id: 10, body: withMarker('x', 'finding', tracked(8)), user: BOT }],
      [],
    );
    expect(await postedFingerprints(testOctokit(), target)).toEqual(
      new Set([fp(8)]),
    );
  });
});

describe('openBefore', () => {
  it('merges the state`s open findings with inline findings the state lost, never reviving fixed ones', () => {
    const state = {
      ...emptyState(),
      open: [tracked(1)],
      fixed: [
        {
          fp: fp(2),
          id: 'x',
          title: 't',
          sev: 'high' as const,
          in: 'c'.repeat(40),
        },
      ],
    };
    const findingComments = new Map([
      [fp(1), { commentId: 1, finding: tracked(1) }],
      [fp(2), { commentId: 2, finding: tracked(2) }],
      [fp(3), { commentId: 3, finding: tracked(3) }],
    ]);
    expect(openBefore({ state, findingComments }).map((f) => f.fp)).toEqual([
      fp(1),
      fp(3),
    ]);
  });
});
