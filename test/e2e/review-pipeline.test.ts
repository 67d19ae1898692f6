import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppProcess,
  freePort,
  generatePrivateKey,
  waitFor,
} from '../support/app-process.ts';
import { FakeGitHub, type FakePullRequest } from '../support/fake-github.ts';
import { FakeModel, userText } from '../support/fake-model.ts';
import { pullRequestPayload } from '../support/payloads.ts';

/**
 * The whole product over real HTTP: the server started as `npm start` runs it, a signed webhook in,
 * GitHub and the model faked by local servers, and the check run and review read back from the fake.
 */
const SECRET = 'e2e-webhook-secret';
const HEAD = '1'.repeat(40);
const BASE = '2'.repeat(40);

const clientBefore = [
  'export async function charge(order) {',
  '  return { ok: true };',
  '}',
];
const clientAfter = [
  "import { config } from './config.ts';",
  '',
  'export async function charge(order) {',
  '  const res = await fetch(`${config.paymentsUrl}/charges`, {',
  "    method: 'POST',",
  '    body: JSON.stringify({ amount: order.total }),',
  '  });',
  '  return res.json();',
  '}',
];

function pullRequest(number: number): FakePullRequest {
  return {
    owner: 'acme',
    repo: 'orders',
    number,
    headSha: HEAD,
    baseSha: BASE,
    files: [
      {
        filename: 'src/payments/client.ts',
        status: 'modified',
        additions: 7,
        deletions: 1,
        patch: [
          '@@ -1,3 +1,9 @@',
          "+import { config } from './config.ts';",
          '+',
          ' export async function charge(order) {',
          '-  return { ok: true };',
          '+  const res = await fetch(`${config.paymentsUrl}/charges`, {',
          "+    method: 'POST',",
          '+    body: JSON.stringify({ amount: order.total }),',
          '+  });',
          '+  return res.json();',
          ' }',
        ].join('\n'),
      },
      {
        filename: 'README.md',
        status: 'modified',
        additions: 1,
        deletions: 0,
        patch: '@@ -1 +1,2 @@\n # Orders\n+Now with payments.',
      },
    ],
    contents: {
      [BASE]: { 'src/payments/client.ts': `${clientBefore.join('\n')}\n` },
      [HEAD]: {
        'src/payments/client.ts': `${clientAfter.join('\n')}\n`,
        'README.md': '# Orders\nNow with payments.\n',
      },
    },
  };
}

describe('review pipeline end to end', () => {
  const github = new FakeGitHub();
  const model = new FakeModel((_body, text) =>
    text.includes('src/payments/client.ts')
      ? {
          findings: [
            {
              path: 'src/payments/client.ts',
              line: 5,
              end_line: 6,
              category: 'security',
              severity: 'high',
              title: 'Charge amount comes from the caller',
              body: 'The amount is whatever the order object says; a tampered order pays less. <img src=x onerror=alert(1)> cc @octocat',
              fix: 'Recompute the total from stored line items before charging.',
            },
            {
              path: 'src/payments/client.ts',
              line: 400,
              category: 'api-contract',
              severity: 'medium',
              title: 'Response shape is not documented',
              body: 'Document it.',
            },
            {
              path: 'src/payments/client.ts',
              line: 'four',
              category: 'security',
              severity: 'high',
              title: 'malformed item',
              body: 'dropped',
            },
          ],
          summary: 'Adds a payment call.',
        }
      : { findings: [] },
  );
  let app: AppProcess;
  const privateKey = generatePrivateKey();

  const baseEnv = () => ({
    APP_ID: '12345',
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: github.host,
    GHE_PROTOCOL: 'http',
    LOG_LEVEL: 'warn',
  });

  beforeAll(async () => {
    await github.listen();
    await model.listen();
    app = new AppProcess(await freePort(), {
      ...baseEnv(),
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: model.url,
    });
    await app.start();
  });

  afterAll(async () => {
    await app?.stop();
    await github.close();
    await model.close();
  });

  it('answers the webhook at once, then completes a gating check run and posts one review', async () => {
    github.addPullRequest(pullRequest(7));
    const started = Date.now();
    const res = await app.deliver(
      'pull_request',
      pullRequestPayload('opened', {
        owner: 'acme',
        repo: 'orders',
        number: 7,
        headSha: HEAD,
        baseSha: BASE,
        changedFiles: 2,
      }),
      SECRET,
    );
    expect(res.status).toBeLessThan(300);
    expect(Date.now() - started).toBeLessThan(2000);

    const run = await waitFor(
      () =>
        github.checkRuns.find(
          (r) => r.head_sha === HEAD && r.status === 'completed',
        ),
      'the check run to complete',
      30_000,
      app,
    );
    expect(run.name).toBe('Backend Architect');
    expect(run.history[0]).toEqual({
      status: 'in_progress',
      conclusion: undefined,
    });
    expect(run.conclusion).toBe('failure');
    expect(run.output?.title).toMatch(/high/i);
    expect(run.output?.summary).toMatch(/Failure modes/);
    expect(run.output?.summary).toMatch(/AI review completed/);
    expect(run.annotations.length).toBeGreaterThanOrEqual(2);

    const review = await waitFor(
      () => github.reviews.find((r) => r.pull === 7),
      'the review',
      10_000,
      app,
    );
    expect(github.reviews.filter((r) => r.pull === 7)).toHaveLength(1);
    expect(review.event).toBe('COMMENT');
    expect(review.commit_id).toBe(HEAD);
    const inline = review.comments.find((c) =>
      c.body.includes('Charge amount comes from the caller'),
    );
    expect(inline).toMatchObject({
      path: 'src/payments/client.ts',
      line: 6,
      start_line: 5,
      side: 'RIGHT',
    });
    // The deterministic analyzers ran too: the fetch without a timeout is theirs, not the model's.
    expect(
      review.comments.some((c) =>
        c.body.includes('failure-mode/http-call-without-timeout'),
      ),
    ).toBe(true);
    // Untrusted model text is rendered inert: no raw HTML, no live mention.
    expect(inline!.body).not.toContain('<img');
    expect(inline!.body).not.toMatch(/(^|[^`\w])@octocat/);
    // The finding outside the diff is not lost: it is in the review body.
    expect(review.body).toContain('Response shape is not documented');
    expect(JSON.stringify(review)).not.toContain('malformed item');

    // The model saw the diff as delimited data under the cached system prompt, through the report tool.
    const request = model.requests[0]!.body;
    expect(request.tools?.map((t) => t.name)).toContain('report_findings');
    expect(JSON.stringify(request.system)).toContain('ephemeral');
    // Grounding: the model is told what the analyzers already found, so it does not repeat it.
    expect(userText(request)).toContain(
      'failure-mode/http-call-without-timeout',
    );
    expect(
      model.requests.every(
        (r) =>
          r.headers['x-api-key'] === 'sk-ant-test' ||
          r.headers.authorization === 'Bearer sk-ant-test',
      ),
    ).toBe(true);

    const writes = github
      .writes()
      .filter(
        (w) => w.path.includes('/check-runs') || w.path.includes('/reviews'),
      );
    const findings = run.annotations.length;
    expect(writes.length).toBeLessThanOrEqual(4 + Math.ceil(findings / 50));
    expect(github.unmatched).toEqual([]);
    expect(github.invalidBodies).toEqual([]);
  });

  it('rejects a delivery with a bad signature and does nothing', async () => {
    const before = github.requests.length;
    const res = await app.deliver(
      'pull_request',
      pullRequestPayload('opened', {
        owner: 'acme',
        repo: 'orders',
        number: 8,
        headSha: HEAD,
        baseSha: BASE,
        changedFiles: 1,
      }),
      'wrong-secret',
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    await new Promise((r) => setTimeout(r, 300));
    expect(github.requests.length).toBe(before);
  });

  it('skips a pull request with no backend changes without calling the model', async () => {
    const pr = pullRequest(9);
    pr.files = pr.files.filter((f) => f.filename === 'README.md');
    pr.headSha = '9'.repeat(40);
    github.addPullRequest(pr);
    const calls = model.requests.length;
    await app.deliver(
      'pull_request',
      pullRequestPayload('opened', {
        owner: 'acme',
        repo: 'orders',
        number: 9,
        headSha: pr.headSha,
        baseSha: BASE,
        changedFiles: 1,
      }),
      SECRET,
    );
    const run = await waitFor(
      () =>
        github.checkRuns.find(
          (r) => r.head_sha === pr.headSha && r.status === 'completed',
        ),
      'the skipped check run',
      20_000,
      app,
    );
    expect(run.conclusion).toBe('skipped');
    expect(model.requests.length).toBe(calls);
    expect(github.reviews.some((r) => r.pull === 9)).toBe(false);
  });

  it('serves a readiness probe', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
  });

  it('without a model key still runs and says the AI review is not configured', async () => {
    const other = new AppProcess(await freePort(), baseEnv());
    await other.start();
    try {
      const pr = pullRequest(10);
      pr.headSha = 'a'.repeat(40);
      pr.contents[pr.headSha] = pr.contents[HEAD]!;
      github.addPullRequest(pr);
      await other.deliver(
        'pull_request',
        pullRequestPayload('opened', {
          owner: 'acme',
          repo: 'orders',
          number: 10,
          headSha: pr.headSha,
          baseSha: BASE,
          changedFiles: 2,
        }),
        SECRET,
      );
      const run = await waitFor(
        () =>
          github.checkRuns.find(
            (r) => r.head_sha === pr.headSha && r.status === 'completed',
          ),
        'the check run',
        20_000,
        other,
      );
      expect(['neutral', 'failure']).toContain(run.conclusion);
      expect(run.output?.summary ?? '').toMatch(/not configured/i);
    } finally {
      await other.stop();
    }
  });

  it('refuses to start with the default webhook secret, or without credentials in production', async () => {
    const insecure = await AppProcess.runOnce({
      APP_ID: '1',
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: 'development',
      PORT: String(await freePort()),
    });
    expect(insecure.code).not.toBe(0);
    expect(insecure.output).toMatch(/WEBHOOK_SECRET/);
    const missing = await AppProcess.runOnce({
      NODE_ENV: 'production',
      PORT: String(await freePort()),
    });
    expect(missing.code).not.toBe(0);
    expect(missing.output).toMatch(/APP_ID/);
  });
});
