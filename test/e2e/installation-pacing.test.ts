import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppProcess,
  freePort,
  generatePrivateKey,
  waitFor,
} from '../support/app-process.ts';
import {
  FakeGitHub,
  type FakePullRequest,
  type RecordedRequest,
} from '../support/fake-github.ts';
import { FakeModel } from '../support/fake-model.ts';
import { pullRequestPayload } from '../support/payloads.ts';

/**
 * GitHub paces writes per installation: the server started as `npm start` runs it, with Probot's
 * throttling as configured for production, reviews pull requests of two installations at once.
 */
const SECRET = 'pacing-webhook-secret';
const BASE = 'b'.repeat(40);
/**
 * The throttle spaces writes when it lets them go; a busy event loop or reads ahead of them in the
 * installation's queue can move their arrival at the fake by this much.
 */
const ARRIVAL_JITTER_MS = 100;

const INSTALLATIONS = [
  { id: 101, owner: 'alpha' },
  { id: 202, owner: 'beta' },
];
const PULLS_PER_INSTALLATION = 2;

function pullRequest(owner: string, number: number): FakePullRequest {
  const headSha = `${owner === 'alpha' ? 'a' : 'c'}${String(number % 10).repeat(39)}`;
  return {
    owner,
    repo: 'orders',
    number,
    headSha,
    baseSha: BASE,
    files: [
      {
        filename: 'src/orders/handler.ts',
        status: 'added',
        additions: 3,
        deletions: 0,
        patch:
          '@@ -0,0 +1,3 @@\n+export async function handle(req, res) {\n+  return res.json(await db.find(req.params.id));\n+}',
      },
    ],
    contents: { [headSha]: {}, [BASE]: {} },
  };
}

function writesOf(writes: RecordedRequest[], owner: string) {
  return writes
    .filter((w) => w.path.startsWith(`/repos/${owner}/`))
    .sort((a, b) => a.at - b.at);
}

function gaps(writes: RecordedRequest[]): number[] {
  return writes.slice(1).map((w, i) => w.at - writes[i]!.at);
}

describe('write pacing per installation', () => {
  const github = new FakeGitHub();
  const model = new FakeModel(() => ({ findings: [] }));
  let app: AppProcess;

  beforeAll(async () => {
    await github.listen();
    await model.listen();
    app = new AppProcess(await freePort(), {
      APP_ID: '12345',
      PRIVATE_KEY: generatePrivateKey(),
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: github.host,
      GHE_PROTOCOL: 'http',
      LOG_LEVEL: 'warn',
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: model.url,
      ARCHITECT_CONCURRENCY: String(
        INSTALLATIONS.length * PULLS_PER_INSTALLATION,
      ),
    });
    await app.start();
  });

  afterAll(async () => {
    await app?.stop();
    await github.close();
    await model.close();
  });

  it("paces each installation's writes a second apart without making one installation wait for another's", async () => {
    const heads: string[] = [];
    for (let n = 1; n <= PULLS_PER_INSTALLATION; n++)
      for (const [i, { id, owner }] of INSTALLATIONS.entries()) {
        // Numbers differ across installations too: the fake keeps comments by number alone.
        const number = 10 * i + n;
        const pr = pullRequest(owner, number);
        heads.push(pr.headSha);
        github.addPullRequest(pr);
        const res = await app.deliver(
          'pull_request',
          pullRequestPayload('opened', {
            owner,
            repo: 'orders',
            number,
            headSha: pr.headSha,
            baseSha: BASE,
            changedFiles: 1,
            installationId: id,
          }),
          SECRET,
        );
        expect(res.status).toBe(202);
      }
    await waitFor(
      () =>
        heads.every((head) =>
          github.checkRuns.some(
            (r) => r.head_sha === head && r.status === 'completed',
          ),
        ) && github.issueComments.length === heads.length
          ? true
          : undefined,
      'every check run completed and every summary comment written',
      40_000,
      app,
    );

    const writes = github.writes();
    const [alpha, beta] = INSTALLATIONS.map((i) => writesOf(writes, i.owner));
    // Each review opens a check run, completes it and writes its summary comment.
    for (const own of [alpha!, beta!]) {
      expect(own.length).toBe(3 * PULLS_PER_INSTALLATION);
      // A second between any two writes of one installation ...
      expect(Math.min(...gaps(own))).toBeGreaterThanOrEqual(
        1000 - ARRIVAL_JITTER_MS,
      );
      // ... and three between the writes that notify people (comments).
      const comments = own.filter((w) =>
        w.route?.startsWith('POST /repos/{owner}/{repo}/issues/'),
      );
      expect(comments.length).toBe(PULLS_PER_INSTALLATION);
      expect(Math.min(...gaps(comments))).toBeGreaterThanOrEqual(
        3000 - ARRIVAL_JITTER_MS,
      );
    }
    // The installations' first check runs open together: neither queues behind the other's writes.
    expect(Math.abs(alpha![0]!.at - beta![0]!.at)).toBeLessThan(500);
    // Writes of one installation interleave with the other's, closer together than one pace allows.
    const acrossInstallations = alpha!.map((a) =>
      Math.min(...beta!.map((b) => Math.abs(a.at - b.at))),
    );
    expect(
      acrossInstallations.filter((gap) => gap < 1000 - ARRIVAL_JITTER_MS)
        .length,
    ).toBeGreaterThanOrEqual(2);
    expect(github.unmatched).toEqual([]);
  }, 60_000);
});
