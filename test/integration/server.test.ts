import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  ModelReviewer,
  ModelReviewRequest,
} from '../../src/core/ports.ts';
import { createLogger } from '../../src/server/create-logger.ts';
import { loadServerEnv, type ServerEnv } from '../../src/server/env.ts';
import {
  startServer,
  type RunningServer,
} from '../../src/server/start-server.ts';
import {
  API,
  mockApp,
  mockCheckRuns,
  mockInstallationToken,
  mockNoConfig,
  mockPullRequest,
  mockRecord,
  ownRun,
  recorder,
  REPO_PATH,
  TEST_PRIVATE_KEY,
  testProbotOctokit,
} from './github-mock.ts';
import { pullRequestExample } from './webhook-examples.ts';

const SECRET = 'a-real-webhook-secret';
const BACKEND_FILE = {
  filename: 'src/app.ts',
  status: 'modified',
  additions: 1,
  deletions: 0,
  changes: 1,
  patch: '@@ -1 +1,2 @@\n export {};\n+export const x = 1;',
};

let running: RunningServer | undefined;
let base = '';

function env(): ServerEnv {
  const checked = loadServerEnv({
    APP_ID: '1',
    PRIVATE_KEY: TEST_PRIVATE_KEY,
    WEBHOOK_SECRET: SECRET,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ARCHITECT_DATA_DIR: mkdtempSync(join(tmpdir(), 'architect-server-')),
  });
  if (!checked.ok) throw new Error(checked.problems.join('; '));
  return checked.env;
}

/** Waits for the model call, then holds it until the review is aborted. */
function blockingReviewer(): { reviewer: ModelReviewer; asked: Promise<void> } {
  let called!: () => void;
  const asked = new Promise<void>((resolve) => (called = resolve));
  const reviewer: ModelReviewer = {
    model: 'fake-model',
    review: (request: ModelReviewRequest) =>
      new Promise((_, reject) => {
        called();
        request.signal.addEventListener(
          'abort',
          () => reject(request.signal.reason),
          { once: true },
        );
      }),
  };
  return { reviewer, asked };
}

async function start(reviewer?: ModelReviewer): Promise<void> {
  const log = await createLogger({ level: 'silent' });
  running = await startServer(
    env(),
    {
      analyzers: [],
      createReviewer: () => reviewer,
      Octokit: testProbotOctokit(),
    },
    log,
  );
  base = `http://127.0.0.1:${running.port}`;
}

function deliver(payload: unknown, signature?: string): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`${base}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-github-delivery': crypto.randomUUID(),
      'x-hub-signature-256':
        signature ??
        `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    },
    body,
  });
}

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});

afterEach(async () => {
  await running?.shutdown();
  running = undefined;
  const pending = nock.pendingMocks();
  nock.cleanAll();
  nock.enableNetConnect();
  expect(pending).toEqual([]);
});

describe('server', () => {
  it('answers /healthz with the queue stats', async () => {
    await start();
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      queue: { accepting: true, running: 0, queued: 0, concurrency: 2 },
    });
  });

  it('rejects a webhook with a bad signature (401) and does nothing else', async () => {
    await start();
    const response = await deliver(
      pullRequestExample('opened'),
      `sha256=${'0'.repeat(64)}`,
    );
    expect(response.status).toBe(401);
    await running!.queue.onIdle();
    expect(running!.queue.stats()).toMatchObject({ completed: 0, failed: 0 });
  });

  it('answers a signed webhook at once and reviews in the background; shutdown cancels the review, turns /healthz to 503 and refuses deliveries with 503', async () => {
    const blocked = blockingReviewer();
    await start(blocked.reviewer);
    const calls = recorder();
    const head = pullRequestExample('opened').pull_request.head.sha as string;
    const scope = nock(API);
    mockApp(scope);
    mockInstallationToken(scope);
    mockPullRequest(scope, 2);
    mockCheckRuns(scope, head, []);
    scope
      .post(`${REPO_PATH}/check-runs`)
      .reply(calls.reply('create-check', 201, { id: 5 }));
    mockCheckRuns(scope, head, [ownRun(5, head)]);
    mockNoConfig(scope);
    mockRecord(scope);
    scope
      .get(`${REPO_PATH}/pulls/2/files`)
      .query(true)
      .reply(200, [BACKEND_FILE]);
    // Slow enough to observe the server while it cancels.
    scope
      .patch(`${REPO_PATH}/check-runs/5`)
      .delay(300)
      .reply(calls.reply('complete-check', 200, { id: 5 }));

    const started = performance.now();
    const response = await deliver(pullRequestExample('opened'));
    expect(response.status).toBe(202);
    expect(performance.now() - started).toBeLessThan(1000);

    await blocked.asked;
    const stopping = running!.shutdown();
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'shutting-down' });
    // Refused, so GitHub records the delivery as failed and it can be redelivered.
    const refused = await deliver(pullRequestExample('opened'));
    expect(refused.status).toBe(503);
    await stopping;

    const done = calls.calls.find((c) => c.method === 'complete-check')!.body;
    expect(done).toMatchObject({
      status: 'completed',
      conclusion: 'cancelled',
    });
    expect(done.output.summary).toMatch(/server shut down/);
  });
});
