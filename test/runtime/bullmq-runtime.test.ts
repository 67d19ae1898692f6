import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';
import {
  AppProcess,
  freePort,
  generatePrivateKey,
  waitFor,
} from '../support/app-process.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { FakeModel } from '../support/fake-model.ts';
import { pullRequestPayload } from '../support/payloads.ts';
import { RedisServer } from '../support/redis-server.ts';
import { backendPullRequest, pushTo } from '../support/review-fixture.ts';

/** The distributed runtime against a real redis-server: one web process and two workers. */
const SECRET = 'bullmq-secret';
const privateKey = generatePrivateKey();
const BASE = 'b'.repeat(40);

describe('BullMQ runtime (real Redis)', { timeout: 90_000 }, () => {
  const redis = new RedisServer();
  let github: FakeGitHub;
  let model: FakeModel;
  let web: AppProcess;
  let workers: AppProcess[] = [];

  beforeAll(async () => {
    await redis.start();
  });
  afterAll(async () => {
    await redis.stop();
  });
  beforeEach(async () => {
    await redis.flush();
    github = await new FakeGitHub().listen();
    model = await new FakeModel(() => ({ findings: [] })).listen();
    const env = (role: string) => ({
      APP_ID: String(github.app.id),
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: github.host,
      GHE_PROTOCOL: 'http',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: model.url,
      REDIS_URL: redis.url,
      ARCHITECT_ROLE: role,
      ARCHITECT_CONCURRENCY: '1',
      ARCHITECT_STALLED_MS: '2000',
      ARCHITECT_JOB_ATTEMPTS: '2',
      ARCHITECT_RETRY_DELAY_MS: '200',
    });
    web = new AppProcess(await freePort(), env('web'));
    workers = [
      new AppProcess(await freePort(), env('worker')),
      new AppProcess(await freePort(), env('worker')),
    ];
    await Promise.all([
      web.start(60_000),
      ...workers.map((w) => w.start(60_000)),
    ]);
  }, 90_000);
  afterEach(async () => {
    await Promise.all([web?.stop(), ...workers.map((w) => w.stop())]);
    await github.close();
    await model.close();
  });

  /** The worker whose queue is running a review, as its /healthz says. */
  const busyWorker = async (): Promise<AppProcess> => {
    for (let i = 0; i < 200; i++) {
      for (const worker of workers) {
        const health = (await (
          await fetch(`${worker.url}/healthz`)
        ).json()) as { queue: { running: number } };
        if (health.queue.running > 0) return worker;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('no worker took the job');
  };

  it('kill -9 of the worker running a review: the other worker finishes it, one review, no run left open', async () => {
    const head = '5'.repeat(40);
    github.addPullRequest(backendPullRequest(21, head, { repo: 'billing' }));
    model.delayMs = 60_000;
    const res = await web.deliver(
      'pull_request',
      pullRequestPayload('opened', {
        owner: 'acme',
        repo: 'billing',
        number: 21,
        headSha: head,
        baseSha: BASE,
        changedFiles: 1,
      }),
      SECRET,
    );
    expect(res.status).toBeLessThan(300);
    await waitFor(
      () => (model.requests.length > 0 ? true : undefined),
      'the model call',
      20_000,
      web,
    );
    const victim = await busyWorker();
    await victim.kill9();
    model.delayMs = 0;
    const done = await waitFor(
      () =>
        github.checkRuns.find(
          (r) => r.status === 'completed' && r.conclusion === 'success',
        ),
      'the verdict from the other worker',
      40_000,
      workers.find((w) => w !== victim) ?? web,
    );
    await waitFor(
      () => (github.reviews.length > 0 ? true : undefined),
      'the review',
      20_000,
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(done.head_sha).toBe(head);
    expect(github.checkRuns.filter((r) => r.status !== 'completed')).toEqual(
      [],
    );
    expect(github.reviews).toHaveLength(1);
    expect(github.unmatched).toEqual([]);
  }, 90_000);

  it('a newer push cancels the older review running on another worker', async () => {
    const first = '6'.repeat(40);
    const second = '7'.repeat(40);
    const pr = backendPullRequest(22, first, { repo: 'ledger' });
    github.addPullRequest(pr);
    model.delayMs = 60_000;
    await web.deliver(
      'pull_request',
      pullRequestPayload('opened', {
        owner: 'acme',
        repo: 'ledger',
        number: 22,
        headSha: first,
        baseSha: BASE,
        changedFiles: 1,
      }),
      SECRET,
    );
    await waitFor(
      () => (model.requests.length > 0 ? true : undefined),
      'the first model call',
      20_000,
      web,
    );
    const older = await busyWorker();
    model.delayMs = 0;
    github.push(pr, pushTo(pr, second));
    await web.deliver(
      'pull_request',
      pullRequestPayload('synchronize', {
        owner: 'acme',
        repo: 'ledger',
        number: 22,
        headSha: second,
        baseSha: BASE,
        changedFiles: 1,
      }),
      SECRET,
    );
    const cancelled = await waitFor(
      () =>
        github.checkRuns.find(
          (r) => r.head_sha === first && r.status === 'completed',
        ),
      'the older review to end',
      30_000,
      older,
    );
    expect(cancelled.conclusion).toBe('cancelled');
    expect(cancelled.output?.summary).toMatch(/Superseded by a newer push/);
    const newer = await waitFor(
      () =>
        github.checkRuns.find(
          (r) => r.head_sha === second && r.status === 'completed',
        ),
      'the newer review',
      30_000,
      web,
    );
    expect(newer.conclusion).toBe('success');
  }, 90_000);

  it('a delivery that keeps failing is retried, then dead-lettered with a plain "review failed" check run', async () => {
    const head = '8'.repeat(40);
    github.addPullRequest(backendPullRequest(23, head, { repo: 'audit' }));
    // GitHub does not retry a 404; every attempt fails to read the pull request.
    github.failures.set('GET /repos/{owner}/{repo}/pulls/{pull_number}', 404);
    await web.deliver(
      'pull_request',
      pullRequestPayload('opened', {
        owner: 'acme',
        repo: 'audit',
        number: 23,
        headSha: head,
        baseSha: BASE,
        changedFiles: 1,
      }),
      SECRET,
    );
    const run = await waitFor(
      () =>
        github.checkRuns.find(
          (r) => r.head_sha === head && r.status === 'completed',
        ),
      'the dead-letter check run',
      30_000,
      web,
    );
    expect(run).toMatchObject({
      conclusion: 'neutral',
      output: { title: 'Review failed' },
    });
    expect(run.output?.summary).toMatch(/failed 2 times and was given up/);
    // Retried, and bounded: nothing more once given up (a busy machine may add one stalled re-run).
    const reads = () =>
      github.requests.filter(
        (r) => r.route === 'GET /repos/{owner}/{repo}/pulls/{pull_number}',
      ).length;
    const atDeadLetter = reads();
    expect(atDeadLetter).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 1500));
    expect(reads()).toBe(atDeadLetter);
    expect(github.checkRuns).toHaveLength(1);
  });
});
