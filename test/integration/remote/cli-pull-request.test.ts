import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { FakeGitHub } from '../../support/fake-github.ts';
import { captureIo } from '../../unit/cli/cli-io.ts';
import { headOf, pullRequest } from './pull-request-fixture.ts';

/**
 * `architect review --pr` against the fake GitHub over HTTP, through `@octokit/rest`: requests the
 * fake does not know fail the test, and so do request bodies GitHub's API description rejects.
 */
describe('architect review --pr', () => {
  const github = new FakeGitHub();
  let dir: string;
  const env = (extra: NodeJS.ProcessEnv = {}) => ({
    GITHUB_TOKEN: 'ghs_cli_token',
    GITHUB_API_URL: `${github.url}/api/v3`,
    ...extra,
  });
  const run = (args: string[], extra?: NodeJS.ProcessEnv) => {
    const cli = captureIo(env(extra));
    return main(['review', ...args], cli.io, {
      createReviewer: () => undefined,
      signal: new AbortController().signal,
    }).then((code) => ({ code, stdout: cli.stdout(), stderr: cli.stderr() }));
  };

  beforeAll(async () => {
    await github.listen();
    dir = await mkdtemp(join(tmpdir(), 'architect-pr-'));
  });
  afterEach(() => {
    expect(github.unmatched).toEqual([]);
    expect(github.invalidBodies).toEqual([]);
  });
  afterAll(async () => {
    await github.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reviews a pull request read-only and prints the report like a local review', async () => {
    github.addPullRequest(pullRequest(1));
    const result = await run(['--pr', 'acme/orders#1', '--format', 'json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      headSha: string;
      findings: Array<{ ruleId: string; path: string }>;
      gate: { conclusion: string };
    };
    expect(report.headSha).toBe(headOf(1));
    expect(report.gate.conclusion).toBe('failure');
    const rules = report.findings.map((f) => f.ruleId);
    expect(rules).toContain('schema/require-concurrent-index-creation');
    expect(rules).toContain('failure-mode/http-call-without-timeout');
    expect(result.stderr).toContain('nothing was written to GitHub');
    // Read-only: the change set came from the API (files, contents at both commits, the config), and nothing was written.
    const routes = new Set(github.requests.map((r) => r.route));
    expect(routes).toContain(
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
    );
    expect(routes).toContain('GET /repos/{owner}/{repo}/contents/{path}');
    expect(github.writes()).toEqual([]);
    expect(github.requests.every((r) => r.auth === 'installation')).toBe(true);
  });

  it('takes a pull request URL, a local config and --fail-on, and writes SARIF to a file', async () => {
    github.addPullRequest(pullRequest(2));
    const config = join(dir, 'architect.yml');
    await writeFile(config, 'lenses:\n  schema: false\n');
    const output = join(dir, 'out', 'review.sarif');
    const result = await run([
      '--pr',
      'https://github.com/acme/orders/pull/2',
      '--config',
      config,
      '--fail-on',
      'medium',
      '--format',
      'sarif',
      '--output',
      output,
    ]);
    const { readFile } = await import('node:fs/promises');
    const sarif = JSON.parse(await readFile(output, 'utf8')) as {
      version: string;
      runs: Array<{ results: Array<{ ruleId: string }> }>;
    };
    expect(sarif.version).toBe('2.1.0');
    const rules = sarif.runs[0]!.results.map((r) => r.ruleId);
    expect(rules).toContain('failure-mode/http-call-without-timeout');
    expect(rules.some((r) => r.startsWith('schema/'))).toBe(false);
    // The timeout finding is medium: with --fail-on medium the gate fails.
    expect(result.code).toBe(1);
    expect(github.writes()).toEqual([]);
  });

  it('posts what the app posts, and a second run on the same head posts nothing', async () => {
    const pr = pullRequest(3);
    github.addPullRequest(pr);
    const first = await run([
      '--pr',
      'acme/orders#3',
      '--post',
      '--format',
      'markdown',
    ]);
    expect(first.stderr).toContain('posting as backend-architect[bot]');
    expect(first.code).toBe(1);
    expect(first.stdout).toContain(
      'Index on `orders` is built without CONCURRENTLY',
    );

    const runs = github.checkRuns.filter((r) => r.head_sha === headOf(3));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      name: 'Backend Architect',
      status: 'completed',
      conclusion: 'failure',
    });
    const reviews = github.reviews.filter((r) => r.pull === 3);
    expect(reviews).toHaveLength(1);
    expect(
      reviews[0]!.comments.some((c) =>
        c.body.includes('<!-- backend-architect:finding '),
      ),
    ).toBe(true);
    const summaries = github.issueComments.filter((c) => c.pull === 3);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.body).toContain('<!-- backend-architect:state ');

    const writes = github.writes().length;
    const second = await run(['--pr', 'acme/orders#3', '--post']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      /nothing posted: already reviewed \(check run \d+\) \(check run: failure\)/,
    );
    expect(github.writes()).toHaveLength(writes);
    expect(github.reviews.filter((r) => r.pull === 3)).toHaveLength(1);
  });

  it("posts a commit status instead of a check run with a person's token, and recognises its own posts on the next run", async () => {
    github.addPullRequest(pullRequest(6));
    github.userTokens.set('ghp_maria', {
      login: 'maria',
      type: 'User',
      id: 4242,
    });
    const first = await run(['--pr', 'acme/orders#6', '--post'], {
      GITHUB_TOKEN: 'ghp_maria',
    });
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('posting as maria');
    expect(github.checkRuns.some((r) => r.head_sha === headOf(6))).toBe(false);
    const statuses = github.statuses.filter((st) => st.sha === headOf(6));
    expect(statuses.map((st) => st.state)).toEqual(['pending', 'failure']);
    expect(statuses[1]).toMatchObject({
      context: 'Backend Architect',
      creator: { login: 'maria' },
    });
    expect(statuses[1]!.description!.length).toBeLessThanOrEqual(140);
    expect(statuses[1]!.target_url).toMatch(
      /\/acme\/orders\/pull\/6#backend-architect=/,
    );
    expect(
      github.reviews.filter((r) => r.pull === 6).map((r) => r.user.login),
    ).toEqual(['maria']);
    expect(
      github.issueComments.filter((c) => c.pull === 6).map((c) => c.user.login),
    ).toEqual(['maria']);

    const writes = github.writes().length;
    const second = await run(['--pr', 'acme/orders#6', '--post'], {
      GITHUB_TOKEN: 'ghp_maria',
    });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/nothing posted: already reviewed/);
    expect(github.writes()).toHaveLength(writes);
  });

  it('resolves the thread of a fixed finding after a push', async () => {
    const pr = pullRequest(4);
    github.addPullRequest(pr);
    expect((await run(['--pr', 'acme/orders#4', '--post'])).code).toBe(1);
    const thread = github.threads.find((t) =>
      github.reviewComments.find(
        (c) =>
          c.id === t.rootCommentId &&
          c.pull === 4 &&
          c.body.includes('CONCURRENTLY'),
      ),
    );
    expect(thread?.isResolved).toBe(false);

    const fixed =
      'CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);';
    const files = pr.files.map((f) =>
      f.filename.endsWith('.sql')
        ? { ...f, patch: `@@ -0,0 +1 @@\n+${fixed}` }
        : f,
    );
    github.push(pr, {
      headSha: '5'.repeat(40),
      files,
      contents: {
        ...pr.contents[pr.headSha]!,
        'db/migrations/002_orders_customer_idx.sql': `${fixed}\n`,
      },
    });
    const after = await run(['--pr', 'acme/orders#4', '--post']);
    expect(after.stderr).toMatch(/[1-9]\d* fixed/);
    expect(thread!.isResolved).toBe(true);
    expect(
      github.reviewComments.some(
        (c) =>
          c.pull === 4 &&
          c.in_reply_to_id === thread!.rootCommentId &&
          c.body === 'Fixed in 5555555.',
      ),
    ).toBe(true);
  });

  it('explains GitHub errors in one line and exits 2', async () => {
    github.addPullRequest(pullRequest(5));
    const oneLine = (text: string) => text.trim().split('\n');

    github.rejectedTokens.add('ghs_expired');
    const badToken = await run(['--pr', 'acme/orders#5'], {
      GITHUB_TOKEN: 'ghs_expired',
    });
    expect(badToken.code).toBe(2);
    expect(oneLine(badToken.stderr)).toEqual([
      'architect: GitHub rejected the token in GITHUB_TOKEN (401: Bad credentials); it is invalid or expired',
    ]);

    const missing = await run(['--pr', 'acme/orders#404']);
    expect(missing.code).toBe(2);
    expect(oneLine(missing.stderr)).toEqual([
      'architect: pull request acme/orders#404 not found, or the token in GITHUB_TOKEN cannot see its repository (404)',
    ]);

    const noToken = await run(
      ['--pr', 'acme/orders#5', '--token-env', 'ARCHITECT_TOKEN'],
      { GITHUB_TOKEN: '' },
    );
    expect(noToken.code).toBe(2);
    expect(oneLine(noToken.stderr)).toEqual([
      'architect: no token: set ARCHITECT_TOKEN to a token that can read acme/orders#5',
    ]);

    github.readOnlyTokens.add('ghs_read_only');
    const readOnly = await run(['--pr', 'acme/orders#5', '--post'], {
      GITHUB_TOKEN: 'ghs_read_only',
    });
    expect(readOnly.code).toBe(2);
    expect(readOnly.stderr.trim().split('\n').at(-1)).toMatch(
      /^architect: could not start the review: Resource not accessible by integration/,
    );
    expect(github.checkRuns.some((r) => r.head_sha === headOf(5))).toBe(false);

    github.rateLimitResetAt = Math.floor(Date.UTC(2030, 0, 1, 12, 30) / 1000);
    try {
      const limited = await run(['--pr', 'acme/orders#5']);
      expect(limited.code).toBe(2);
      expect(oneLine(limited.stderr)).toEqual([
        "architect: rate limited by GitHub until 12:30 UTC (the token's hourly request quota is used up); try again later",
      ]);
    } finally {
      github.rateLimitResetAt = undefined;
    }
    expect(github.writes().filter((w) => w.path.includes('/pulls/5/'))).toEqual(
      [],
    );
  });

  it('rejects a malformed reference without calling GitHub', async () => {
    const before = github.requests.length;
    const result = await run(['--pr', 'orders#5']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^architect: --pr must be owner\/repo#N or a pull request URL/,
    );
    expect(github.requests.length).toBe(before);
  });
});
