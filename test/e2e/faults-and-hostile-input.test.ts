import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppProcess,
  freePort,
  generatePrivateKey,
  waitFor,
} from '../support/app-process.ts';
import { FakeGitHub, type FakePullRequest } from '../support/fake-github.ts';
import { FakeModel, type Responder } from '../support/fake-model.ts';
import { pullRequestPayload } from '../support/payloads.ts';

/**
 * The real server against the fake GitHub and the fake model, with the faults and hostile input
 * that once made it lose a review, show green for an unread answer, post a secret or answer 500.
 */
const SECRET = 'faults-webhook-secret';
const BASE = '2'.repeat(40);
const FILE = 'src/billing/notify.ts';
// Secret-shaped values built at run time, so no scanner flags this file.
const AWS_KEY_ID = ['AKIA', 'QWERTYUIOPASDFGH'].join('');
const SLACK_WEBHOOK = [
  'https://hooks.slack.com/services/',
  'T0ABCDEFG/B0ABCDEFG/',
  'abcdefghijklmnopqrstuvwx',
].join('');
const GUESSED_TOKEN = ['ghp_', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'].join('');
// A secret only by where it stands (an assignment to a password): known by value once the scanner saw it.
const PASSWORD = ['Tr0ub4dor', '-and-', 'horse3'].join('');

const plain = [
  "import { post } from './http.ts';",
  "import { config } from './config.ts';",
  '',
  '',
  '',
  'export async function notify(text: string) {',
  '  return post(config.slackUrl, { text, key: config.awsKeyId });',
  '}',
];
const withSecrets = plain.map((line, i) =>
  i === 2
    ? `const SLACK_URL = '${SLACK_WEBHOOK}';`
    : i === 3
      ? `const AWS_ACCESS_KEY_ID = '${AWS_KEY_ID}';`
      : i === 4
        ? `const DB_PASSWORD = '${PASSWORD}';`
        : line,
);

function pullRequest(
  number: number,
  headSha: string,
  source: string[],
): FakePullRequest {
  return {
    owner: 'acme',
    repo: 'billing',
    number,
    headSha,
    baseSha: BASE,
    title: `Billing notifications (case ${number})`,
    files: [
      {
        filename: FILE,
        status: 'added',
        additions: source.length,
        deletions: 0,
        patch: [
          `@@ -0,0 +1,${source.length} @@`,
          ...source.map((l) => `+${l}`),
        ].join('\n'),
      },
    ],
    contents: { [headSha]: { [FILE]: `${source.join('\n')}\n` } },
  };
}

const modelFinding = {
  path: FILE,
  line: 7,
  category: 'failure-mode',
  severity: 'medium',
  title: 'Notification failures are not handled',
  body: 'A failed post rejects the caller; retry or log it.',
};

describe('faults and hostile input against the real server', () => {
  const github = new FakeGitHub();
  const answers = new Map<number, ReturnType<Responder>>();
  // Each test decides its own answer; the pull request's title names the case.
  const model = new FakeModel(
    (_body, text) =>
      answers.get(Number(/\(case (\d+)\)/.exec(text)?.[1])) ?? { findings: [] },
  );
  let app: AppProcess;

  async function review(number: number, headSha: string, source = plain) {
    const pr = pullRequest(number, headSha, source);
    github.addPullRequest(pr);
    const res = await app.deliver(
      'pull_request',
      pullRequestPayload('opened', {
        owner: 'acme',
        repo: 'billing',
        number,
        headSha,
        baseSha: BASE,
        changedFiles: 1,
        title: pr.title,
      }),
      SECRET,
    );
    expect(res.status).toBeLessThan(300);
    const run = await waitFor(
      () =>
        github.checkRuns.find(
          (r) => r.head_sha === headSha && r.status === 'completed',
        ),
      `the check run of #${number}`,
      60_000,
      app,
    );
    // The summary comment is the last write of a review.
    await waitFor(
      () =>
        github.issueComments.find(
          (c) => c.pull === number && c.user.login === github.bot.login,
        ),
      `the summary comment of #${number}`,
      30_000,
      app,
    );
    return run;
  }

  beforeAll(async () => {
    await github.listen();
    await model.listen();
    app = new AppProcess(await freePort(), {
      APP_ID: String(github.app.id),
      PRIVATE_KEY: generatePrivateKey(),
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: github.host,
      GHE_PROTOCOL: 'http',
      LOG_LEVEL: 'info',
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

  it('retries writes GitHub refuses with a secondary rate limit, honouring retry-after, and loses nothing', async () => {
    answers.set(41, { findings: [modelFinding] });
    github.latencyMs = 150;
    github.secondaryRateLimit(
      'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
    );
    github.secondaryRateLimit(
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
    );
    github.secondaryRateLimit(
      'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}',
    );
    try {
      const run = await review(41, '4'.repeat(40));
      await waitFor(
        () => github.reviews.find((r) => r.pull === 41),
        'the review of #41',
        30_000,
        app,
      );
      expect(github.reviews.filter((r) => r.pull === 41)).toHaveLength(1);
      expect(
        github.reviews
          .find((r) => r.pull === 41)!
          .comments.some((c) =>
            c.body.includes('Notification failures are not handled'),
          ),
      ).toBe(true);
      expect(
        github.issueComments.filter(
          (c) => c.pull === 41 && c.user.login === github.bot.login,
        ),
      ).toHaveLength(1);
      expect(run.conclusion).toBeDefined();
      expect(run.output?.summary ?? '').not.toMatch(/could not be posted/);
      // Each refused request was sent again, no sooner than GitHub asked.
      for (const route of [
        'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
        'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      ]) {
        const sent = github.requests.filter(
          (r) =>
            r.route === route &&
            (r.path.includes('/pulls/41/') || r.path.includes('/issues/41/')),
        );
        expect(sent).toHaveLength(2);
        expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(1000);
      }
      expect([...github.faults.values()].flat()).toEqual([]);
    } finally {
      github.latencyMs = 0;
    }
  }, 90_000);

  it('says so in the check run when the rate limit outlasts the retries', async () => {
    answers.set(42, { findings: [modelFinding] });
    github.secondaryRateLimit(
      'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
      10,
    );
    try {
      const run = await review(42, '5'.repeat(40));
      await waitFor(
        () =>
          run.output?.summary?.includes('could not be posted')
            ? true
            : undefined,
        'the posting problem in the check run',
        60_000,
        app,
      );
      expect(github.reviews.some((r) => r.pull === 42)).toBe(false);
      const sent = github.requests.filter(
        (r) =>
          r.route ===
            'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews' &&
          r.path.includes('/pulls/42/'),
      );
      // Bounded: the first attempt and a few retries, not one per fault.
      expect(sent.length).toBeGreaterThan(1);
      expect(sent.length).toBeLessThan(10);
    } finally {
      github.faults.clear();
    }
  }, 90_000);

  it('waits for an exhausted quota only as long as its budget allows: a reset an hour away does not hold the review', async () => {
    answers.set(47, { findings: [modelFinding] });
    const reset = String(Math.ceil(Date.now() / 1000) + 3600);
    github.faults.set(
      'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
      [
        {
          status: 403,
          body: {
            message: 'API rate limit exceeded for installation ID 4242.',
          },
          headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
        },
      ],
    );
    try {
      const run = await review(47, 'b'.repeat(40));
      await waitFor(
        () =>
          run.output?.summary?.includes('could not be posted')
            ? true
            : undefined,
        'the posting problem in the check run',
        30_000,
        app,
      );
      expect(github.reviews.some((r) => r.pull === 47)).toBe(false);
    } finally {
      github.faults.clear();
    }
  }, 60_000);

  it('counts a tool answer that cannot be read as a failed chunk, never as a clean review', async () => {
    answers.set(43, {
      rawInput: '{"findings": [{"path": "src/billing/notify.ts", "line": 7,',
    });
    const run = await review(43, '6'.repeat(40));
    expect(run.conclusion).toBe('neutral');
    expect(run.output?.summary).toMatch(/AI review (failed|partial)/i);
    answers.set(44, { rawInput: 'No problems found.' });
    const other = await review(44, '7'.repeat(40));
    expect(other.conclusion).toBe('neutral');
    expect(other.output?.summary).toMatch(/could not be read/);
  }, 90_000);

  it('masks secrets the model quotes, and secret-shaped strings it makes up, in everything it writes', async () => {
    answers.set(45, {
      findings: [
        {
          ...modelFinding,
          severity: 'high',
          category: 'security',
          title: `Slack webhook ${SLACK_WEBHOOK} receives the AWS key`,
          body: `The key ${AWS_KEY_ID} and the URL ${SLACK_WEBHOOK} are in the source. The deploy token is probably ${GUESSED_TOKEN}.`,
          fix: `Rotate ${AWS_KEY_ID} and ${PASSWORD}, and read them from the environment.`,
        },
      ],
    });
    const run = await review(45, '8'.repeat(40), withSecrets);
    await waitFor(
      () => github.reviews.find((r) => r.pull === 45),
      'the review of #45',
      30_000,
      app,
    );
    const written = JSON.stringify([
      github.writes().map((w) => w.body),
      run.output,
      run.annotations,
    ]);
    expect(written).toContain('receives the AWS key');
    for (const secret of [
      AWS_KEY_ID,
      SLACK_WEBHOOK,
      'abcdefghijklmnopqrstuvwx',
      GUESSED_TOKEN,
      PASSWORD,
    ]) {
      expect(written).not.toContain(secret);
      expect(app.output.join('')).not.toContain(secret);
    }
  }, 90_000);

  it('answers 400 to a signed delivery whose body is not JSON, and writes nothing', async () => {
    const before = github.requests.length;
    const res = await app.deliverRaw(
      'pull_request',
      '{"action": "opened", "pull_request": ',
      SECRET,
    );
    expect(res.status).toBe(400);
    expect((await res.text()).split('\n').filter(Boolean)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(github.requests.length).toBe(before);
  });

  it('answers 400 to a pull_request delivery without pull_request.head, and writes nothing', async () => {
    const payload = pullRequestPayload('opened', {
      owner: 'acme',
      repo: 'billing',
      number: 46,
      headSha: '9'.repeat(40),
      baseSha: BASE,
      changedFiles: 1,
    });
    delete payload.pull_request.head;
    const before = github.requests.length;
    const res = await app.deliver('pull_request', payload, SECRET);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toMatch(/pull_request\.head/);
    expect(text.split('\n').filter(Boolean)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(github.requests.length).toBe(before);
    expect(app.output.join('')).toMatch(/pull_request\.head/);
  });

  it('made no request the fake does not know and sent only bodies GitHub accepts', () => {
    expect(github.unmatched).toEqual([]);
    expect(github.invalidBodies).toEqual([]);
  });
});
