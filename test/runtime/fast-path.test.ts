import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/runtime/sqlite-store.ts';
import {
  AppProcess,
  freePort,
  generatePrivateKey,
  sign,
  waitFor,
  fakeAppEnv,
} from '../support/app-process.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { FakeModel } from '../support/fake-model.ts';
import { pullRequestPayload } from '../support/payloads.ts';
import { RedisServer } from '../support/redis-server.ts';
import { backendPullRequest } from '../support/review-fixture.ts';

/**
 * The webhook fast path as GitHub meets it: the app process answers from the journal (or the queue)
 * before any handler runs, and what it refuses leaves no trace.
 */
const SECRET = 'fast-path-secret';
const privateKey = generatePrivateKey();
const BASE = 'b'.repeat(40);

/** The deliveries the app's journal holds right now, read as another process would. */
function journaled(app: AppProcess): string[] {
  const db = new DatabaseSync(join(app.dataDir, DATABASE_FILE), {
    readOnly: true,
  });
  try {
    return (
      db.prepare('SELECT id FROM deliveries').all() as Array<{ id: string }>
    ).map((row) => row.id);
  } finally {
    db.close();
  }
}

describe('webhook fast path', { timeout: 120_000 }, () => {
  let github: FakeGitHub;
  let model: FakeModel;
  let app: AppProcess | undefined;
  const others: AppProcess[] = [];

  beforeEach(async () => {
    github = await new FakeGitHub().listen();
    model = await new FakeModel(() => ({ findings: [] })).listen();
  });
  afterEach(async () => {
    await Promise.all([app?.stop(), ...others.splice(0).map((o) => o.stop())]);
    app = undefined;
    await github.close();
    await model.close();
  });

  const env = (extra: Record<string, string> = {}) =>
    fakeAppEnv({ github, model, privateKey, secret: SECRET }, extra);
  const opened = (number: number, head: string) =>
    pullRequestPayload('opened', {
      owner: 'acme',
      repo: 'orders',
      number,
      headSha: head,
      baseSha: BASE,
      changedFiles: 1,
    });
  const started = async (extra: Record<string, string> = {}) => {
    const proc = new AppProcess(await freePort(), env(extra));
    await proc.start();
    return proc;
  };

  it('a bad signature is 401 and nothing is journaled or requested', async () => {
    app = await started();
    const body = JSON.stringify(opened(31, '3'.repeat(40)));
    const res = await fetch(`${app.url}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': randomUUID(),
        // Signed with another secret: a forged delivery.
        'x-hub-signature-256': sign('not-the-secret', body),
      },
      body,
    });
    expect(res.status).toBe(401);
    expect((await res.text()).split('\n').filter(Boolean)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(journaled(app)).toEqual([]);
    expect(github.requests).toEqual([]);
  });

  it('a malformed payload is 400 with its reason, and nothing is journaled or requested', async () => {
    app = await started();
    const payload = opened(32, '4'.repeat(40));
    payload.pull_request.number = 'thirty-two';
    const res = await app.deliver('pull_request', payload, SECRET);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toMatch(/pull_request\.number/);
    expect(text.split('\n').filter(Boolean)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(journaled(app)).toEqual([]);
    expect(github.requests).toEqual([]);
  });

  it('a valid delivery is answered (202) from the journal before its review starts, and a redelivery of it changes nothing: one review', async () => {
    const head = '5'.repeat(40);
    github.addPullRequest(backendPullRequest(33, head));
    app = await started();
    const delivery = randomUUID();
    const res = await app.deliver(
      'pull_request',
      opened(33, head),
      SECRET,
      delivery,
    );
    // Read before anything else runs here: the app has journaled it and not yet asked GitHub a thing.
    const requestsAtAnswer = github.requests.length;
    expect(res.status).toBe(202);
    expect(requestsAtAnswer).toBe(0);
    expect(journaled(app)).toEqual([delivery]);
    const again = await app.deliver(
      'pull_request',
      opened(33, head),
      SECRET,
      delivery,
    );
    expect(again.status).toBe(202);
    expect(await again.text()).toMatch(/already accepted/);

    const run = await waitFor(
      () => github.checkRuns.find((r) => r.status === 'completed'),
      'the verdict',
      30_000,
      app,
    );
    expect(run.conclusion).toBe('success');
    await waitFor(
      () => (github.reviews.length > 0 ? true : undefined),
      'the review',
      20_000,
      app,
    );
    await waitFor(
      () => (journaled(app!).length === 0 ? true : undefined),
      'the journal entry to go once the work ended',
      10_000,
      app,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(github.checkRuns).toHaveLength(1);
    expect(github.reviews).toHaveLength(1);
    expect(model.reviewRequests).toHaveLength(1);
  });

  it('kill -9 right after the 202, restart: the journaled delivery is reviewed once', async () => {
    const head = '6'.repeat(40);
    github.addPullRequest(backendPullRequest(34, head));
    // The first process must not get far: the model holds its answer past the kill.
    model.delayMs = 60_000;
    app = await started();
    const delivery = randomUUID();
    const res = await app.deliver(
      'pull_request',
      opened(34, head),
      SECRET,
      delivery,
    );
    expect(res.status).toBe(202);
    await app.kill9();
    expect(journaled(app)).toEqual([delivery]);
    expect(github.reviews).toEqual([]);

    model.delayMs = 0;
    const dataDir = app.dataDir;
    app = await started({ ARCHITECT_DATA_DIR: dataDir });
    const done = await waitFor(
      () =>
        github.checkRuns.find(
          (r) => r.status === 'completed' && r.conclusion !== 'cancelled',
        ),
      'the verdict after the restart',
      30_000,
      app,
    );
    expect(done.conclusion).toBe('success');
    await waitFor(
      () => (github.reviews.length > 0 ? true : undefined),
      'the review',
      20_000,
      app,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(github.reviews).toHaveLength(1);
    // Whatever the first process had opened was completed; no run is left in progress.
    expect(github.checkRuns.every((r) => r.status === 'completed')).toBe(true);
    expect(app.output.join('')).toContain(
      'resuming a delivery accepted before the restart',
    );
  });

  it('with BullMQ the web process answers 202 from the queue while no worker runs; a worker started later reviews it once', async () => {
    const redis = await new RedisServer().start();
    try {
      const head = '7'.repeat(40);
      github.addPullRequest(backendPullRequest(35, head));
      const queued = { REDIS_URL: redis.url, ARCHITECT_CONCURRENCY: '1' };
      app = await started({ ...queued, ARCHITECT_ROLE: 'web' });
      const delivery = randomUUID();
      const res = await app.deliver(
        'pull_request',
        opened(35, head),
        SECRET,
        delivery,
      );
      expect(res.status).toBe(202);
      const redelivered = await app.deliver(
        'pull_request',
        opened(35, head),
        SECRET,
        delivery,
      );
      expect(redelivered.status).toBe(202);
      await new Promise((r) => setTimeout(r, 300));
      // Nothing runs handlers on the web process: no GitHub request until a worker takes the job.
      expect(github.requests).toEqual([]);

      const worker = await started({ ...queued, ARCHITECT_ROLE: 'worker' });
      others.push(worker);
      const done = await waitFor(
        () => github.checkRuns.find((r) => r.status === 'completed'),
        'the verdict from the worker',
        30_000,
        worker,
      );
      expect(done.conclusion).toBe('success');
      await waitFor(
        () => (github.reviews.length > 0 ? true : undefined),
        'the review',
        20_000,
        worker,
      );
      await new Promise((r) => setTimeout(r, 500));
      expect(github.checkRuns).toHaveLength(1);
      expect(github.reviews).toHaveLength(1);
    } finally {
      await Promise.all(others.splice(0).map((o) => o.stop()));
      await app?.stop();
      app = undefined;
      await redis.stop();
    }
  });
});
