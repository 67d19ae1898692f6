import nock from 'nock';
import { ProbotOctokit } from 'probot';
import { afterEach, describe, expect, it } from 'vitest';
import {
  rateLimitRetry,
  rateLimitWaitMs,
} from '../../../src/github/client/rate-limit-retry.ts';

const API = 'https://api.github.test';
// Probot's own pacing and retries off: only the plugin under test retries.
const RetryingOctokit = ProbotOctokit.defaults({
  throttle: { enabled: false },
  retry: { enabled: false },
}).plugin(rateLimitRetry);

function client(options: { retries?: number; maxTotalWaitMs?: number } = {}) {
  return new RetryingOctokit({
    baseUrl: API,
    auth: { token: 'ghs_test' },
    rateLimitRetry: { retries: 3, maxTotalWaitMs: 5000, ...options },
  } as ConstructorParameters<typeof ProbotOctokit>[0]);
}

const secondary = {
  message:
    'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
};

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('rateLimitWaitMs', () => {
  const error = (
    status: number,
    headers: Record<string, string>,
    message = 'Forbidden',
  ) => ({ status, message, response: { headers, data: { message } } });

  it('honours retry-after, then x-ratelimit-reset (one second past), then the fallback for a bare secondary limit', () => {
    expect(rateLimitWaitMs(error(403, { 'retry-after': '2' }), 0, 60_000)).toBe(
      2000,
    );
    expect(
      rateLimitWaitMs(
        error(403, {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': '100',
        }),
        97_000,
        60_000,
      ),
    ).toBe(4000);
    expect(rateLimitWaitMs(error(403, {}, secondary.message), 0, 60_000)).toBe(
      60_000,
    );
    expect(rateLimitWaitMs(error(429, {}), 0, 1000)).toBe(1000);
  });

  it('does not take other refusals for rate limits', () => {
    expect(
      rateLimitWaitMs(
        error(
          403,
          { 'x-ratelimit-remaining': '4000' },
          'Resource not accessible by integration',
        ),
        0,
        60_000,
      ),
    ).toBeUndefined();
    expect(
      rateLimitWaitMs(error(422, { 'retry-after': '1' }), 0, 60_000),
    ).toBeUndefined();
    expect(
      rateLimitWaitMs(new Error('socket hang up'), 0, 60_000),
    ).toBeUndefined();
  });
});

describe('rateLimitRetry as an Octokit plugin', () => {
  it('sends a write again after retry-after and returns its answer', async () => {
    nock(API)
      .post('/repos/o/r/issues/1/comments')
      .reply(403, secondary, { 'retry-after': '0' })
      .post('/repos/o/r/issues/1/comments', { body: 'hello' })
      .reply(201, { id: 7 });
    const { data } = await client().request(
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      { owner: 'o', repo: 'r', issue_number: 1, body: 'hello' },
    );
    expect(data).toEqual({ id: 7 });
  });

  it('gives up after its retries, with GitHub`s error', async () => {
    nock(API)
      .post('/repos/o/r/issues/1/comments')
      .times(3)
      .reply(403, secondary, { 'retry-after': '0' });
    await expect(
      client({ retries: 2 }).request(
        'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
        { owner: 'o', repo: 'r', issue_number: 1, body: 'x' },
      ),
    ).rejects.toMatchObject({ status: 403 });
  });

  it('does not wait longer than its total budget: a reset an hour away fails at once', async () => {
    const reset = String(Math.ceil(Date.now() / 1000) + 3600);
    nock(API)
      .post('/repos/o/r/check-runs')
      .reply(
        403,
        { message: 'API rate limit exceeded' },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
      );
    const started = Date.now();
    await expect(
      client().request('POST /repos/{owner}/{repo}/check-runs', {
        owner: 'o',
        repo: 'r',
        name: 'x',
        head_sha: 'a',
      }),
    ).rejects.toMatchObject({ status: 403 });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('stops waiting when the caller`s signal aborts', async () => {
    nock(API)
      .post('/repos/o/r/issues/1/comments')
      .reply(403, secondary, { 'retry-after': '30' });
    const controller = new AbortController();
    const request = client({ maxTotalWaitMs: 60_000 }).request(
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      {
        owner: 'o',
        repo: 'r',
        issue_number: 1,
        body: 'x',
        request: { signal: controller.signal },
      },
    );
    setTimeout(() => controller.abort(new Error('superseded')), 50);
    await expect(request).rejects.toThrow('superseded');
  });
});
