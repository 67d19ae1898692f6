import nock from 'nock';
import { Probot } from 'probot';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DraftFinding } from '../../src/core/finding.ts';
import type {
  ModelReviewer,
  ModelReviewRequest,
} from '../../src/core/ports.ts';
import { emptyUsage } from '../../src/core/usage.ts';
import { ShutdownError } from '../../src/github/review/abort-reasons.ts';
import { createArchitectApp } from '../../src/github/app.ts';
import type { ReviewQueue } from '../../src/github/queue/review-queue.ts';
import type { ReviewerOptions } from '../../src/github/review/run-review-job.ts';
import {
  API,
  mockApp,
  mockCheckRuns,
  mockConfig,
  mockInstallationToken,
  mockNoConfig,
  mockPullRequest,
  mockRecord,
  OWNER,
  ownRun,
  recorder,
  REPO_PATH,
  TEST_PRIVATE_KEY,
  testProbotOctokit,
} from './github-mock.ts';
import { pullRequestExample } from './webhook-examples.ts';

const PR = 2; // the example payloads' pull request
const CHECK_ID = 42;
const CHECK_URL = `https://github.com/${OWNER}/Hello-World/runs/${CHECK_ID}`;
const SQL_PATCH = [
  '@@ -1 +1,4 @@',
  " import { db } from '../db';",
  '+export async function createOrder(input: { id: string }) {',
  "+  return db.query(`insert into orders values ('${input.id}')`);",
  '+}',
].join('\n');
const BACKEND_FILE = {
  sha: 'f'.repeat(40),
  filename: 'src/orders/create-order.ts',
  status: 'added',
  additions: 3,
  deletions: 0,
  changes: 3,
  patch: SQL_PATCH,
};
const README_FILE = {
  sha: 'e'.repeat(40),
  filename: 'README.md',
  status: 'modified',
  additions: 1,
  deletions: 1,
  changes: 2,
  patch: '@@ -1 +1 @@\n-Hello\n+Hello World',
};

const SQL_INJECTION: DraftFinding = {
  lens: 'security',
  severity: 'high',
  ruleId: 'security/model',
  source: 'model',
  path: 'src/orders/create-order.ts',
  lines: { start: 3, end: 3, side: 'RIGHT' },
  title: 'SQL built from request input',
  body: 'The order id is interpolated into the SQL text; use a bound parameter.',
};

/** A stand-in for the Anthropic adapter: returns canned findings or fails, and records what it was asked. */
function fakeReviewer(
  behaviour: (request: ModelReviewRequest) => Promise<DraftFinding[]>,
): ModelReviewer & { requests: ModelReviewRequest[] } {
  const requests: ModelReviewRequest[] = [];
  return {
    model: 'fake-model',
    requests,
    async review(request) {
      requests.push(request);
      const findings = await behaviour(request);
      return {
        findings,
        usage: {
          ...emptyUsage('fake-model'),
          requests: 1,
          inputTokens: 1200,
          outputTokens: 80,
        },
        droppedItems: 0,
      };
    },
  };
}

/** Resolves when the model is asked; rejects with the abort reason, as the real adapter does. */
function blockingReviewer() {
  let called!: () => void;
  const asked = new Promise<void>((resolve) => (called = resolve));
  const reviewer = fakeReviewer(
    (request) =>
      new Promise<DraftFinding[]>((_, reject) => {
        called();
        request.signal.addEventListener(
          'abort',
          () => reject(request.signal.reason),
          { once: true },
        );
      }),
  );
  return { reviewer, asked };
}

let queue: ReviewQueue;
let probot: Probot;
let createReviewer: ReturnType<
  typeof vi.fn<(options: ReviewerOptions) => ModelReviewer | undefined>
>;

async function setUp(
  reviewers: Array<ModelReviewer | undefined>,
  options: { jobTimeoutMs?: number } = {},
): Promise<void> {
  let i = 0;
  createReviewer = vi.fn(
    (_options: ReviewerOptions) =>
      reviewers[Math.min(i++, reviewers.length - 1)],
  );
  const architect = createArchitectApp({
    analyzers: [],
    createReviewer,
    concurrency: 2,
    jobTimeoutMs: options.jobTimeoutMs ?? 20_000,
  });
  queue = architect.queue;
  probot = new Probot({
    appId: 1,
    privateKey: TEST_PRIVATE_KEY,
    logLevel: (process.env.TEST_LOG_LEVEL ?? 'fatal') as 'fatal',
    Octokit: testProbotOctokit(),
  });
  await probot.load(architect.app);
}

function receive(
  action: string,
  edit: (payload: Record<string, any>) => void = () => {},
  id = `delivery-${action}`,
): Promise<void> {
  const payload = pullRequestExample(action);
  edit(payload);
  return probot.receive({ id, name: 'pull_request', payload } as Parameters<
    Probot['receive']
  >[0]);
}

const HEAD = pullRequestExample('opened').pull_request.head.sha as string;

/**
 * The usual sequence up to the file listing: the app's identity, the pull request as it is now, no
 * check run yet for its head, the check run opened (and nobody else's beside it), config (none).
 */
function mockStart(
  calls: ReturnType<typeof recorder>,
  checkId = CHECK_ID,
  head = HEAD,
  options: { identity?: boolean } = {},
): nock.Scope {
  const scope = nock(API);
  if (options.identity !== false) mockApp(scope);
  mockInstallationToken(scope);
  mockPullRequest(scope, PR, (pr) => (pr.head.sha = head));
  mockCheckRuns(scope, head, []);
  scope
    .post(`${REPO_PATH}/check-runs`)
    .reply(
      calls.reply('create-check', 201, { id: checkId, html_url: CHECK_URL }),
    );
  mockCheckRuns(scope, head, [ownRun(checkId, head)]);
  mockNoConfig(scope);
  return scope;
}

/** The app's earlier comments (none), read before the review and again right before posting. */
function mockNoRecord(
  scope: nock.Scope,
  options: { posting?: boolean } = {},
): nock.Scope {
  mockRecord(scope);
  if (options.posting) {
    scope.get(`${REPO_PATH}/pulls/${PR}/comments`).query(true).reply(200, []);
    scope.get(`${REPO_PATH}/pulls/${PR}/reviews`).query(true).reply(200, []);
  }
  return scope;
}

function mockSummary(
  scope: nock.Scope,
  calls: ReturnType<typeof recorder>,
): nock.Scope {
  return scope
    .post(`${REPO_PATH}/issues/${PR}/comments`)
    .reply(calls.reply('summary', 201, { id: 501 }));
}

function mockFiles(scope: nock.Scope, files: unknown[]): nock.Scope {
  return scope
    .get(`${REPO_PATH}/pulls/${PR}/files`)
    .query({ per_page: '100', page: '1' })
    .reply(200, files);
}

function mockComplete(
  scope: nock.Scope,
  calls: ReturnType<typeof recorder>,
  checkId = CHECK_ID,
): nock.Scope {
  const path = `${REPO_PATH}/check-runs/${checkId}`;
  return scope
    .patch(path)
    .reply(calls.reply('complete-check', 200, { id: checkId }));
}

function completion(calls: ReturnType<typeof recorder>, checkId = CHECK_ID) {
  const patch = calls.calls.find(
    (c) =>
      c.method === 'complete-check' &&
      c.path.endsWith(`/check-runs/${checkId}`),
  );
  expect(patch, `check run ${checkId} was completed`).toBeDefined();
  return patch!.body as {
    status: string;
    conclusion: string;
    output: {
      title: string;
      summary: string;
      text?: string;
      annotations?: any[];
    };
  };
}

beforeEach(() => {
  nock.disableNetConnect();
});

afterEach(async () => {
  await queue?.close(new ShutdownError());
  const pending = nock.pendingMocks();
  nock.cleanAll();
  nock.enableNetConnect();
  expect(pending).toEqual([]);
});

describe('pull_request webhooks', () => {
  it('reviews a backend change: check in progress, one review with the inline comment, summary comment, check failed by the gate', async () => {
    const reviewer = fakeReviewer(async () => [SQL_INJECTION]);
    await setUp([reviewer]);
    const calls = recorder();
    const scope = mockStart(calls);
    mockFiles(scope, [BACKEND_FILE]);
    mockNoRecord(scope, { posting: true });
    scope
      .post(`${REPO_PATH}/pulls/${PR}/reviews`)
      .reply(calls.reply('review', 200, { id: 7 }));
    mockSummary(scope, calls);
    mockComplete(scope, calls);

    await receive('opened');
    await queue.onIdle();

    // The verdict comes first: neither the review nor the summary comment delays a required check.
    expect(calls.calls.map((c) => c.method)).toEqual([
      'create-check',
      'complete-check',
      'review',
      'summary',
    ]);
    const example = pullRequestExample('opened');
    expect(calls.calls[0]!.body).toMatchObject({
      name: 'Backend Architect',
      status: 'in_progress',
      head_sha: example.pull_request.head.sha,
      external_id: `${HEAD}/push/working`,
    });

    const review = calls.calls[2]!.body;
    expect(review).toMatchObject({
      event: 'COMMENT',
      commit_id: example.pull_request.head.sha,
    });
    expect(review.comments).toHaveLength(1);
    expect(review.comments[0]).toMatchObject({
      path: 'src/orders/create-order.ts',
      line: 3,
      side: 'RIGHT',
    });
    expect(review.comments[0].start_line).toBeUndefined();
    expect(review.comments[0].body).toContain('SQL built from request input');
    expect(review.comments[0].body).toMatch(
      /<!-- backend-architect:finding \{.*\} -->$/,
    );

    expect(calls.calls[3]!.body.body).toMatch(/^## Backend Architect/);
    expect(calls.calls[3]!.body.body).toMatch(
      /<!-- backend-architect:state \{.*\} -->$/,
    );

    const done = completion(calls);
    expect(done).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      external_id: `${HEAD}/push/reviewed`,
    });
    expect(done.output.annotations).toHaveLength(1);
    expect(done.output.annotations![0]).toMatchObject({
      path: 'src/orders/create-order.ts',
      start_line: 3,
      end_line: 3,
    });

    expect(createReviewer).toHaveBeenCalledWith(
      expect.objectContaining({
        model: 'claude-sonnet-5-5',
        maxOutputTokens: 4096,
        timeoutMs: 120_000,
      }),
    );
    // The pull request's own text reaches the model only as untrusted context.
    expect(reviewer.requests[0]!.title).toBe(example.pull_request.title);
  });

  it('reads the config, the history and the files while its check run is being created', async () => {
    await setUp([fakeReviewer(async () => [])]);
    const calls = recorder();
    // GitHub answers the check run only once every read the review needs has been asked for:
    // reads that waited for the check run would never be sent.
    const asked = new Set<string>();
    let allAsked!: () => void;
    const readsSent = new Promise<void>((resolve) => (allAsked = resolve));
    const ask = (what: string) => {
      asked.add(what);
      if (asked.size === 4) allAsked();
    };
    const scope = nock(API);
    mockApp(scope);
    mockInstallationToken(scope);
    mockPullRequest(scope, PR, (pr) => (pr.head.sha = HEAD));
    mockCheckRuns(scope, HEAD, []);
    scope.post(`${REPO_PATH}/check-runs`).reply(async (request: Request) => {
      const waited = await Promise.race([
        readsSent.then(() => 'sent' as const),
        new Promise<'not sent'>((r) => setTimeout(() => r('not sent'), 5000)),
      ]);
      if (waited === 'not sent')
        return [500, { message: `only asked: ${[...asked].join(', ')}` }];
      return calls.reply('create-check', 201, {
        id: CHECK_ID,
        html_url: CHECK_URL,
      })(request);
    });
    mockCheckRuns(scope, HEAD, [ownRun(CHECK_ID, HEAD)]);
    scope
      .get(`${REPO_PATH}/contents/.github%2Farchitect.yml`)
      .reply(() => (ask('config'), [404, { message: 'Not Found' }]))
      .get(`/repos/${OWNER}/.github/contents/.github%2Farchitect.yml`)
      .reply(404, { message: 'Not Found' })
      .get(`${REPO_PATH}/pulls/${PR}/files`)
      .query({ per_page: '100', page: '1' })
      .reply(() => (ask('files'), [200, [BACKEND_FILE]]))
      .get(`${REPO_PATH}/pulls/${PR}/comments`)
      .query({ per_page: '100', page: '1' })
      .reply(() => (ask('inline comments'), [200, []]))
      .get(`${REPO_PATH}/pulls/${PR}/reviews`)
      .query({ per_page: '100', page: '1' })
      .reply(200, [])
      .get(`${REPO_PATH}/issues/${PR}/comments`)
      .query({ per_page: '100', page: '1' })
      .reply(() => (ask('comments'), [200, []]));
    mockSummary(scope, calls);
    mockComplete(scope, calls);

    await receive('opened');
    await queue.onIdle();

    expect(calls.calls.map((c) => c.method)).toEqual([
      'create-check',
      'complete-check',
      'summary',
    ]);
    expect(completion(calls).conclusion).toBe('success');
  });

  it('does nothing for a head that was already reviewed, or an event about an older head', async () => {
    await setUp([fakeReviewer(async () => [])]);
    const scope = nock(API);
    mockApp(scope);
    mockInstallationToken(scope);
    mockPullRequest(scope, PR);
    mockCheckRuns(scope, HEAD, [
      {
        ...ownRun(CHECK_ID, HEAD),
        status: 'completed',
        conclusion: 'success',
        external_id: `${HEAD}/push/reviewed`,
      },
    ]);
    await receive('opened');
    await queue.onIdle();

    mockPullRequest(scope, PR, (pr) => (pr.head.sha = 'f'.repeat(40)));
    await receive('synchronize');
    await queue.onIdle();
    expect(createReviewer).not.toHaveBeenCalled();
  });

  it('skips a pull request with no backend files without calling the model', async () => {
    await setUp([fakeReviewer(async () => [SQL_INJECTION])]);
    const calls = recorder();
    const scope = mockStart(calls);
    mockFiles(scope, [README_FILE]);
    mockNoRecord(scope);
    mockComplete(scope, calls);

    await receive('opened');
    await queue.onIdle();

    const done = completion(calls);
    expect(done.conclusion).toBe('skipped');
    expect(done.output.summary).toMatch(/No backend files changed/);
    expect(createReviewer).not.toHaveBeenCalled();
    expect(calls.calls.some((c) => c.method === 'review')).toBe(false);
  });

  it('completes `neutral` (review incomplete), never `success`, when the model fails', async () => {
    await setUp([
      fakeReviewer(async () => Promise.reject(new Error('529 overloaded'))),
    ]);
    const calls = recorder();
    const scope = mockStart(calls);
    mockFiles(scope, [BACKEND_FILE]);
    mockNoRecord(scope);
    mockSummary(scope, calls);
    mockComplete(scope, calls);

    await receive('opened');
    await queue.onIdle();

    const done = completion(calls);
    expect(done.conclusion).toBe('neutral');
    expect(done.output.title).toMatch(/incomplete/i);
    expect(done.output.summary).toMatch(/incomplete/i);
    expect(done.output.summary).toContain('529 overloaded');
  });

  it('completes `neutral` saying the AI review is not configured when there is no API key', async () => {
    await setUp([undefined]);
    const calls = recorder();
    const scope = mockStart(calls);
    mockFiles(scope, [BACKEND_FILE]);
    mockNoRecord(scope);
    mockSummary(scope, calls);
    mockComplete(scope, calls);

    await receive('opened');
    await queue.onIdle();

    const done = completion(calls);
    expect(done.conclusion).toBe('neutral');
    expect(`${done.output.title}\n${done.output.summary}`).toMatch(
      /not configured/i,
    );
  });

  it('completes the check with a reason when GitHub fails listing the files', async () => {
    await setUp([fakeReviewer(async () => [])]);
    const calls = recorder();
    const scope = mockStart(calls);
    scope
      .get(`${REPO_PATH}/pulls/${PR}/files`)
      .query(true)
      .reply(500, { message: 'Internal Server Error' });
    // Read alongside the files; whether they are asked before the failure stops the review is a race.
    for (const path of [
      `/pulls/${PR}/comments`,
      `/pulls/${PR}/reviews`,
      `/issues/${PR}/comments`,
    ])
      scope.get(`${REPO_PATH}${path}`).query(true).optionally().reply(200, []);
    mockComplete(scope, calls);

    await receive('opened');
    await queue.onIdle();

    const done = completion(calls);
    expect(done.status).toBe('completed');
    expect(done.conclusion).toBe('neutral');
    expect(done.output.title).toBe('Review failed');
    expect(done.output.summary).toContain('Internal Server Error');
  });

  it('starts nothing, leaving nothing in progress, when the app cannot learn who it is', async () => {
    await setUp([fakeReviewer(async () => [])]);
    nock(API).get('/app').reply(500, { message: 'boom' });
    await receive('opened');
    await queue.onIdle();
    expect(createReviewer).not.toHaveBeenCalled();
  });

  it('reports an invalid config file in the check summary and reviews with the defaults', async () => {
    await setUp([fakeReviewer(async () => [])]);
    const calls = recorder();
    const scope = nock(API);
    mockApp(scope);
    mockInstallationToken(scope);
    mockPullRequest(scope, PR);
    mockCheckRuns(scope, HEAD, []);
    scope
      .post(`${REPO_PATH}/check-runs`)
      .reply(
        calls.reply('create-check', 201, { id: CHECK_ID, html_url: CHECK_URL }),
      );
    mockCheckRuns(scope, HEAD, [ownRun(CHECK_ID, HEAD)]);
    mockConfig(scope, 'gate:\n  severity: blocker\n');
    mockFiles(scope, [BACKEND_FILE]);
    mockNoRecord(scope);
    mockSummary(scope, calls);
    mockComplete(scope, calls);

    await receive('opened');
    await queue.onIdle();

    const done = completion(calls);
    expect(done.conclusion).toBe('success');
    expect(done.output.summary).toMatch(/Configuration problems/);
    expect(done.output.summary).toContain('gate.severity');
    expect(createReviewer).toHaveBeenCalledTimes(1);
  });

  it('skips a draft pull request with default config, before listing files', async () => {
    await setUp([fakeReviewer(async () => [SQL_INJECTION])]);
    const calls = recorder();
    const scope = nock(API);
    mockApp(scope);
    mockInstallationToken(scope);
    mockPullRequest(scope, PR, (pr) => (pr.draft = true));
    mockCheckRuns(scope, HEAD, []);
    scope
      .post(`${REPO_PATH}/check-runs`)
      .reply(
        calls.reply('create-check', 201, { id: CHECK_ID, html_url: CHECK_URL }),
      );
    mockCheckRuns(scope, HEAD, [ownRun(CHECK_ID, HEAD)]);
    mockNoConfig(scope);
    mockComplete(scope, calls);

    await receive('opened', (payload) => (payload.pull_request.draft = true));
    await queue.onIdle();

    const done = completion(calls);
    expect(done.conclusion).toBe('skipped');
    expect(done.output.title).toBe('Draft pull request');
    expect((done as { external_id?: string }).external_id).toBe(
      `${HEAD}/push/ended`,
    );
    expect(createReviewer).not.toHaveBeenCalled();
  });

  it('reviews a draft when the config says review_drafts: true', async () => {
    await setUp([fakeReviewer(async () => [])]);
    const calls = recorder();
    const scope = nock(API);
    mockApp(scope);
    mockInstallationToken(scope);
    mockPullRequest(scope, PR, (pr) => (pr.draft = true));
    mockCheckRuns(scope, HEAD, []);
    scope
      .post(`${REPO_PATH}/check-runs`)
      .reply(calls.reply('create-check', 201, { id: CHECK_ID }));
    mockCheckRuns(scope, HEAD, [ownRun(CHECK_ID, HEAD)]);
    mockConfig(scope, 'review_drafts: true\n');
    mockFiles(scope, [BACKEND_FILE]);
    mockNoRecord(scope);
    mockSummary(scope, calls);
    mockComplete(scope, calls);

    await receive('opened', (payload) => (payload.pull_request.draft = true));
    await queue.onIdle();

    expect(completion(calls).conclusion).toBe('success');
  });

  it('cancels the running review when a newer push arrives, then reviews the newer head', async () => {
    const first = blockingReviewer();
    await setUp([first.reviewer, fakeReviewer(async () => [])]);
    const calls = recorder();
    const newerSha = '1234567'.padEnd(40, 'a');
    const scope = mockStart(calls, 42);
    mockFiles(scope, [BACKEND_FILE]);
    mockNoRecord(scope);
    mockComplete(scope, calls, 42);
    mockPullRequest(scope, PR, (pr) => (pr.head.sha = newerSha));
    mockCheckRuns(scope, newerSha, []);
    scope
      .post(`${REPO_PATH}/check-runs`)
      .reply(calls.reply('create-check', 201, { id: 43 }));
    mockCheckRuns(scope, newerSha, [ownRun(43, newerSha)]);
    mockNoConfig(scope);
    mockFiles(scope, [BACKEND_FILE]);
    mockNoRecord(scope);
    mockSummary(scope, calls);
    mockComplete(scope, calls, 43);

    await receive('opened');
    await first.asked;
    await receive(
      'synchronize',
      (payload) => (payload.pull_request.head.sha = newerSha),
      'delivery-newer',
    );
    await queue.onIdle();

    const cancelled = completion(calls, 42);
    expect(cancelled.conclusion).toBe('cancelled');
    expect(cancelled.output.summary).toBe(
      'Superseded by a newer push (1234567)',
    );
    expect(
      calls.calls.filter((c) => c.method === 'create-check')[1]!.body.head_sha,
    ).toBe(newerSha);
    expect(completion(calls, 43).conclusion).toBe('success');
    // The newer review started only after the older one completed its check run.
    const order = calls.calls.map(
      (c) => `${c.method}:${c.body?.head_sha ?? c.path.split('/').pop()}`,
    );
    expect(order.indexOf('complete-check:42')).toBeLessThan(
      order.indexOf(`create-check:${newerSha}`),
    );
    expect(queue.stats()).toMatchObject({ superseded: 1 });
  });

  it('completes running reviews as cancelled on shutdown', async () => {
    const blocked = blockingReviewer();
    await setUp([blocked.reviewer]);
    const calls = recorder();
    const scope = mockStart(calls);
    mockFiles(scope, [BACKEND_FILE]);
    mockNoRecord(scope);
    mockComplete(scope, calls);

    await receive('opened');
    await blocked.asked;
    await queue.close(new ShutdownError());

    const done = completion(calls);
    expect(done.conclusion).toBe('cancelled');
    expect(done.output.summary).toBe(
      'The server shut down before the review finished; push again or re-run.',
    );
  });

  it('completes as timed_out when the review exceeds the job timeout', async () => {
    const blocked = blockingReviewer();
    await setUp([blocked.reviewer], { jobTimeoutMs: 1500 });
    const calls = recorder();
    const scope = mockStart(calls);
    mockFiles(scope, [BACKEND_FILE]);
    mockNoRecord(scope);
    mockComplete(scope, calls);

    await receive('opened');
    await queue.onIdle();

    const done = completion(calls);
    expect(done.conclusion).toBe('timed_out');
    expect(done.output.summary).toMatch(/did not finish within 2 seconds/);
  });

  it('stays within 5 + ceil(findings / 50) writes on a first review, even when GitHub rejects the first review', async () => {
    const lines = Array.from(
      { length: 120 },
      (_, i) => `+export const v${i} = ${i};`,
    );
    const bigFile = {
      ...BACKEND_FILE,
      filename: 'src/constants.ts',
      additions: 120,
      patch: [`@@ -0,0 +1,120 @@`, ...lines].join('\n'),
    };
    const findings: DraftFinding[] = lines.map((_, i) => ({
      ...SQL_INJECTION,
      path: 'src/constants.ts',
      severity: 'medium',
      title: `Finding ${i}`,
      lines: { start: i + 1, end: i + 1, side: 'RIGHT' },
    }));
    await setUp([fakeReviewer(async () => findings)]);
    const calls = recorder();
    const scope = mockStart(calls);
    mockFiles(scope, [bigFile]);
    mockNoRecord(scope, { posting: true });
    scope
      .post(`${REPO_PATH}/pulls/${PR}/reviews`)
      .reply(
        calls.reply('review', 422, {
          message: 'Unprocessable Entity',
          errors: ['Line could not be resolved'],
        }),
      )
      .post(`${REPO_PATH}/pulls/${PR}/reviews`)
      .reply(calls.reply('review', 200, { id: 8 }));
    mockSummary(scope, calls);
    mockComplete(scope, calls)
      .patch(`${REPO_PATH}/check-runs/${CHECK_ID}`)
      .times(2)
      .reply(calls.reply('complete-check', 200, { id: CHECK_ID }));

    await receive('opened');
    await queue.onIdle();

    // Verdict with the first 50 annotations, the review (retried once), the summary, then the other annotations.
    expect(calls.calls.map((c) => c.method)).toEqual([
      'create-check',
      'complete-check',
      'review',
      'review',
      'summary',
      'complete-check',
      'complete-check',
    ]);
    expect(calls.calls.length).toBeLessThanOrEqual(5 + Math.ceil(120 / 50));
    expect(calls.calls[2]!.body.comments).toHaveLength(50);
    expect(calls.calls[3]!.body.comments).toEqual([]);
    const annotations = calls.calls
      .filter((c) => c.method === 'complete-check')
      .map((c) => c.body.output.annotations.length);
    expect(annotations).toEqual([50, 50, 20]);
    expect(calls.calls[1]!.body).toMatchObject({
      status: 'completed',
      conclusion: 'success',
    });
  });

  it('rejects a payload that does not have the expected shape with a 400 and its reason, making no requests', async () => {
    await setUp([fakeReviewer(async () => [])]);
    const rejected = receive('opened', (payload) => {
      payload.pull_request.head.sha = 'not-a-sha';
    });
    await expect(rejected).rejects.toMatchObject({
      errors: [
        expect.objectContaining({
          status: 400,
          message: expect.stringContaining('pull_request.head.sha'),
        }),
      ],
    });
    const missing = receive(
      'opened',
      (payload) => {
        delete payload.pull_request.head;
      },
      'delivery-no-head',
    );
    await expect(missing).rejects.toMatchObject({
      errors: [
        expect.objectContaining({
          status: 400,
          message: expect.stringContaining('pull_request.head'),
        }),
      ],
    });
    await queue.onIdle();
    expect(queue.stats()).toMatchObject({
      completed: 0,
      running: 0,
      queued: 0,
    });
  });
});
