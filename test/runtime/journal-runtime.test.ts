import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error the parser ships no type declarations
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import {
  AppProcess,
  freePort,
  generatePrivateKey,
  waitFor,
  fakeAppEnv,
} from '../support/app-process.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { FakeModel } from '../support/fake-model.ts';
import { pullRequestPayload } from '../support/payloads.ts';
import { backendPullRequest } from '../support/review-fixture.ts';
import { issueCommentEvent } from '../integration/history-payloads.ts';

/** The embedded runtime over real files: the SQLite journal in the app's data directory. */
const SECRET = 'journal-secret';
const privateKey = generatePrivateKey();
const BASE = 'b'.repeat(40);
const finding = {
  path: 'src/payments/client.ts',
  line: 2,
  category: 'failure-modes',
  severity: 'medium',
  title: 'Payment call has no timeout',
  body: 'A hung provider holds the request.',
  fix: 'Pass a signal with a deadline.',
};

describe('embedded runtime (SQLite journal)', { timeout: 120_000 }, () => {
  let github: FakeGitHub;
  let model: FakeModel;
  let app: AppProcess;
  let port: number;

  beforeEach(async () => {
    github = await new FakeGitHub().listen();
    model = await new FakeModel(() => ({ findings: [finding] })).listen();
    port = await freePort();
  });
  afterEach(async () => {
    await app?.stop();
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

  it('kill -9 mid-review, restart: the review resumes, its check run completes and the review is posted once', async () => {
    const head = '1'.repeat(40);
    github.addPullRequest(backendPullRequest(11, head));
    model.delayMs = 60_000;
    app = new AppProcess(port, env());
    await app.start();
    expect(
      (await app.deliver('pull_request', opened(11, head), SECRET)).status,
    ).toBeLessThan(300);
    await waitFor(
      () => (model.requests.length > 0 ? true : undefined),
      'the model call',
      20_000,
      app,
    );
    await app.kill9();
    expect(github.checkRuns.map((r) => r.status)).toEqual(['in_progress']);

    model.delayMs = 0;
    app = new AppProcess(port, env({ ARCHITECT_DATA_DIR: app.dataDir }));
    await app.start();
    const done = await waitFor(
      () =>
        github.checkRuns.find(
          (r) => r.status === 'completed' && r.conclusion !== 'cancelled',
        ),
      'the resumed verdict',
      30_000,
      app,
    );
    await waitFor(
      () => (github.reviews.length > 0 ? true : undefined),
      'the review',
      20_000,
      app,
    );
    expect(done.conclusion).toBe('success');
    // The orphaned run was completed as cancelled by the sweep at start; the resumed review's verdict is
    // a newer run (a completed run never goes back to in progress), so the head ends with one current verdict.
    expect(github.checkRuns.map((r) => r.conclusion)).toEqual([
      'cancelled',
      'success',
    ]);
    expect(github.checkRuns.at(-1)).toBe(done);
    await new Promise((r) => setTimeout(r, 500));
    expect(github.reviews).toHaveLength(1);
    expect(github.unmatched).toEqual([]);
    expect(app.output.join('')).toContain(
      'resuming a delivery accepted before the restart',
    );
  });

  it('the sweep at start completes a check run orphaned by a kill, with a reason, even when no review resumes it', async () => {
    const head = '2'.repeat(40);
    const pr = backendPullRequest(12, head);
    github.addPullRequest(pr);
    model.delayMs = 60_000;
    app = new AppProcess(port, env());
    await app.start();
    await app.deliver('pull_request', opened(12, head), SECRET);
    await waitFor(
      () => (model.requests.length > 0 ? true : undefined),
      'the model call',
      20_000,
      app,
    );
    await app.kill9();
    // Closed meanwhile: the resumed delivery finds nothing to review and never touches the run.
    pr.state = 'closed';
    app = new AppProcess(port, env({ ARCHITECT_DATA_DIR: app.dataDir }));
    await app.start();
    const run = await waitFor(
      () => github.checkRuns.find((r) => r.status === 'completed'),
      'the sweep',
      20_000,
      app,
    );
    expect(run.conclusion).toBe('cancelled');
    expect(run.output?.summary).toContain('stopped before it finished');
    expect(github.reviews).toHaveLength(0);
  });

  it('a spent installation budget: the model does not run (not even for /architect review by a maintainer) and the check says which budget and when it resets; /metrics parses', async () => {
    const first = '3'.repeat(40);
    const second = '4'.repeat(40);
    github.addPullRequest(backendPullRequest(13, first));
    const secondPr = backendPullRequest(14, second);
    github.addPullRequest(secondPr);
    const metricsPort = await freePort();
    app = new AppProcess(
      port,
      env({
        ARCHITECT_BUDGET_DAILY_USD: '0.001',
        METRICS_PORT: String(metricsPort),
      }),
    );
    await app.start();
    await app.deliver('pull_request', opened(13, first), SECRET);
    await waitFor(
      () =>
        github.checkRuns.find(
          (r) => r.head_sha === first && r.status === 'completed',
        ),
      'the first review',
      30_000,
      app,
    );
    expect(model.requests).toHaveLength(1);

    await app.deliver('pull_request', opened(14, second), SECRET);
    const spent = await waitFor(
      () =>
        github.checkRuns.find(
          (r) => r.head_sha === second && r.status === 'completed',
        ),
      'the second review',
      30_000,
      app,
    );
    expect(model.requests).toHaveLength(1);
    expect(spent.conclusion).toBe('neutral');
    const tomorrow = new Date(Date.now() + 86_400_000)
      .toISOString()
      .slice(0, 10);
    expect(spent.output?.summary).toContain(
      "the installation's daily budget of $0.0010 is spent",
    );
    expect(spent.output?.summary).toContain(`resets at ${tomorrow}T00:00:00Z`);

    // A maintainer asking for the review does not buy more budget.
    github.permissions.set('acme/orders:maintainer', 'maintain');
    const comment = github.addIssueComment(
      secondPr,
      'maintainer',
      '/architect review',
    );
    await app.deliver(
      'issue_comment',
      issueCommentEvent(secondPr, comment),
      SECRET,
    );
    const again = await waitFor(
      () =>
        github.checkRuns.find(
          (r) =>
            r.head_sha === second &&
            r.id > spent.id &&
            r.status === 'completed',
        ),
      'the re-review',
      30_000,
      app,
    );
    expect(model.requests).toHaveLength(1);
    expect(again.output?.summary).toContain(
      "the installation's daily budget of $0.0010 is spent",
    );

    const onWebPort = await fetch(`${app.url}/metrics`);
    expect(onWebPort.status).toBe(200);
    expect(onWebPort.headers.get('content-type')).toContain('text/plain');
    await onWebPort.arrayBuffer();
    const text = await (
      await fetch(`http://127.0.0.1:${metricsPort}/metrics`)
    ).text();
    const families = parsePrometheusTextFormat(text) as Array<{
      name: string;
      type: string;
      metrics: Array<{
        value?: string;
        labels?: Record<string, string>;
        buckets?: Record<string, string>;
        count?: string;
      }>;
    }>;
    const family = (name: string) => families.find((f) => f.name === name);
    expect(
      family('architect_webhook_deliveries_total')?.metrics,
    ).toContainEqual(
      expect.objectContaining({
        labels: { event: 'pull_request', outcome: 'accepted' },
        value: '2',
      }),
    );
    expect(
      Number(family('architect_webhook_ack_seconds')?.metrics[0]?.count),
    ).toBe(3);
    expect(
      Number(family('architect_model_requests_total')?.metrics[0]?.value),
    ).toBe(1);
    expect(family('architect_model_tokens_total')?.metrics).toContainEqual(
      expect.objectContaining({ labels: { kind: 'input' }, value: '1200' }),
    );
    expect(family('architect_budget_exhausted_total')).toBeDefined();
    expect(family('architect_review_duration_seconds')?.type).toBe('HISTOGRAM');
    expect(family('architect_queue_jobs')?.metrics).toContainEqual(
      expect.objectContaining({ labels: { state: 'waiting' }, value: '0' }),
    );
    expect(family('architect_findings_total')?.metrics.length).toBeGreaterThan(
      0,
    );
    expect(
      family('architect_github_requests_total')?.metrics.length,
    ).toBeGreaterThan(0);
    expect(family('architect_budget_remaining')?.metrics).toContainEqual(
      expect.objectContaining({
        labels: { scope: 'installation', period: 'day', unit: 'usd' },
        value: '0',
      }),
    );
  });
});
