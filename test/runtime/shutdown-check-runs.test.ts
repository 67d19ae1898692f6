import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AppProcess,
  freePort,
  generatePrivateKey,
  waitFor,
} from '../support/app-process.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { FakeModel } from '../support/fake-model.ts';
import { pullRequestPayload } from '../support/payloads.ts';
import { backendPullRequest } from '../support/review-fixture.ts';

/**
 * SIGTERM while a GitHub request of a review is still waiting for its answer: the process must
 * not exit with the check run it opened still in progress.
 */
const SECRET = 'shutdown-secret';
const privateKey = generatePrivateKey();

describe('SIGTERM during a GitHub call', { timeout: 120_000 }, () => {
  let github: FakeGitHub;
  let model: FakeModel;
  let app: AppProcess | undefined;
  let dataDir: string;

  beforeEach(async () => {
    github = await new FakeGitHub().listen();
    model = await new FakeModel(() => ({ findings: [] })).listen();
    dataDir = mkdtempSync(join(tmpdir(), 'architect-shutdown-'));
  });
  afterEach(async () => {
    await app?.stop();
    await github.close();
    await model.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    app = new AppProcess(await freePort(), {
      APP_ID: String(github.app.id),
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: github.host,
      GHE_PROTOCOL: 'http',
      LOG_LEVEL: 'warn',
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: model.url,
      ARCHITECT_DATA_DIR: dataDir,
    });
    await app.start();
    return app;
  };

  it.each([
    // Each answer comes later than the shutdown grace period.
    [
      'the check run is being created',
      'POST /repos/{owner}/{repo}/check-runs',
      20_000,
    ],
    [
      'the changed files are being listed',
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
      20_000,
    ],
    [
      'the check runs of the head are being listed',
      'GET /repos/{owner}/{repo}/commits/{ref}/check-runs',
      20_000,
    ],
  ])(
    'completes the check run when SIGTERM arrives while %s',
    async (_what, route, slowMs) => {
      const head = 'c'.repeat(40);
      github.addPullRequest(backendPullRequest(5, head));
      github.slowAnswers.set(route, slowMs);
      const running = await start();
      const res = await running.deliver(
        'pull_request',
        pullRequestPayload('opened', {
          owner: 'acme',
          repo: 'orders',
          number: 5,
          headSha: head,
          baseSha: 'b'.repeat(40),
          changedFiles: 1,
        }),
        SECRET,
      );
      expect(res.status).toBeLessThan(300);
      await waitFor(
        () => github.requests.find((r) => r.route === route) ?? undefined,
        `a request to ${route}`,
        20_000,
        running,
      );
      await new Promise((r) => setTimeout(r, 200));
      const stoppedAt = Date.now();
      await running.stop();
      // Bounded: Docker sends SIGKILL 10 s after SIGTERM.
      expect(Date.now() - stoppedAt).toBeLessThan(10_000);
      // The first two cases have a run on GitHub whose creation the app never heard back about, or did.
      if (route !== 'GET /repos/{owner}/{repo}/commits/{ref}/check-runs')
        expect(github.checkRuns).toHaveLength(1);
      for (const run of github.checkRuns)
        expect(run).toMatchObject({
          status: 'completed',
          conclusion: 'cancelled',
        });
      expect(github.unmatched).toEqual([]);
    },
  );
});
