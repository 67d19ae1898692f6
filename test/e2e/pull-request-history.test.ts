import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMarker } from '../../src/github/history/markers.ts';
import {
  ReviewStateSchema,
  TrackedFindingSchema,
} from '../../src/github/history/review-state.ts';
import {
  checkRunEvent,
  issueCommentEvent,
  pullRequestEvent,
} from '../integration/history-payloads.ts';
import {
  AppProcess,
  freePort,
  generatePrivateKey,
  waitFor,
} from '../support/app-process.ts';
import {
  FakeGitHub,
  type FakeFile,
  type FakePullRequest,
} from '../support/fake-github.ts';
import { FakeModel } from '../support/fake-model.ts';

/**
 * A pull request's whole life against the real server (`node src/main.ts`, production throttling
 * and all), the fake GitHub and the fake model over HTTP: seven pushes (one a small edit of a
 * flagged line), a redelivery, commands by a writer and a reader, the Re-run button. After each step it checks what people would see.
 */
const SECRET = 'history-webhook-secret';
const REPO = 'src/orders/repo.ts';
const CLIENT = 'src/payments/client.ts';
const MIGRATION = 'db/migrations/002_add_status.sql';

const repoInjectable = [
  "import { db } from './db.ts';",
  '',
  'export async function ordersOf(req, res) {',
  '  const rows = await db.query(`SELECT * FROM orders WHERE user_id = ${req.query.userId}`);',
  '  res.json(rows);',
  '}',
];
const repoParameterised = repoInjectable.map((l) =>
  l.replace(
    '`SELECT * FROM orders WHERE user_id = ${req.query.userId}`)',
    "'SELECT * FROM orders WHERE user_id = $1', [req.query.userId])",
  ),
);
const clientUnchecked = [
  "import { config } from './config.ts';",
  '',
  'export async function charge(order) {',
  '  const res = await http.post(`${config.paymentsUrl}/charges`, order);',
  '  return res.json();',
  '}',
];
const clientInMemory = [
  ...clientUnchecked,
  '',
  'export async function refundsOf(customerId) {',
  '  const all = await listAllCharges();',
  '  return all.filter((c) => c.customerId === customerId && c.refunded);',
  '}',
];
const clientChecked = clientUnchecked
  .map((l) =>
    l.replace(
      '  return res.json();',
      '  if (!res.ok) throw new Error(`charge failed: ${res.status}`);\n  return res.json();',
    ),
  )
  .flatMap((l) => l.split('\n'));
const migrationNotNull = [
  'ALTER TABLE orders ADD COLUMN status text NOT NULL;',
];

function sha(n: number): string {
  return `${n}`.padStart(4, '0').padEnd(40, 'e');
}

function version(files: Record<string, string[]>): {
  files: FakeFile[];
  contents: Record<string, string>;
} {
  const entries = Object.entries(files);
  return {
    files: entries.map(([filename, lines]) => ({
      filename,
      status: 'added',
      additions: lines.length,
      deletions: 0,
      patch: [
        `@@ -0,0 +1,${lines.length} @@`,
        ...lines.map((l) => `+${l}`),
      ].join('\n'),
    })),
    contents: Object.fromEntries(
      entries.map(([path, lines]) => [path, `${lines.join('\n')}\n`]),
    ),
  };
}

/** The fake model: an unchecked provider response (API contract, high) and an in-memory filter (performance, medium). */
function respond(text: string) {
  const findings: Array<Record<string, unknown>> = [];
  for (const block of text.split('<pr_file>').slice(1)) {
    const path = /^path: (.+)$/m.exec(block)?.[1];
    if (!path) continue;
    const source = block.split('\n');
    const checked = source.some((l) => l.includes('res.ok'));
    for (const line of source) {
      const match = /^\s*(\d+) ([+ ]) (.*)$/.exec(line);
      if (!match) continue;
      const [, number, , code] = match;
      if (code!.includes('return res.json()') && !checked) {
        findings.push({
          path,
          line: Number(number),
          category: 'api-contract',
          severity: 'high',
          title: 'Provider errors are returned as success',
          body: 'A 4xx or 5xx from the provider is parsed and returned as if the charge went through.',
          fix: 'Check `res.ok` and raise a typed error.',
        });
      }
      if (code!.includes('all.filter(')) {
        findings.push({
          path,
          line: Number(number),
          category: 'performance',
          severity: 'medium',
          title: 'Filters every charge in memory',
          body: 'Loads all charges to keep a handful; filter in the query.',
        });
      }
    }
  }
  return { findings, summary: 'Reviewed the payment client.' };
}

describe('a pull request`s life against the real server', () => {
  const github = new FakeGitHub();
  const model = new FakeModel((_body, text) => respond(text));
  let app: AppProcess;
  let pr: FakePullRequest;

  const bot = () => github.bot.login;
  const inline = () =>
    github.reviewComments
      .filter(
        (c) =>
          c.pull === pr.number &&
          c.user.login === bot() &&
          c.in_reply_to_id === undefined,
      )
      .map((c) => ({
        comment: c,
        finding: readMarker(c.body, 'finding', TrackedFindingSchema)!,
      }));
  const byTitle = (title: string) =>
    inline().find((f) => f.finding.title === title)!;
  const resolved = (commentId: number) =>
    github.threads.find((t) => t.rootCommentId === commentId)?.isResolved;
  const fixedReplies = (commentId: number) =>
    github.reviewComments.filter(
      (c) => c.in_reply_to_id === commentId && c.body.startsWith('Fixed in'),
    );
  const summaries = () =>
    github.issueComments.filter(
      (c) =>
        c.pull === pr.number &&
        c.user.login === bot() &&
        readMarker(c.body, 'state', ReviewStateSchema),
    );
  const state = () =>
    readMarker(summaries()[0]?.body, 'state', ReviewStateSchema);
  const runsOf = (head: string) =>
    github.checkRuns.filter((r) => r.head_sha === head);
  const duplicates = () =>
    inline().length - new Set(inline().map((f) => f.finding.fp)).size;

  async function push(
    n: number,
    files: Record<string, string[]>,
    options: {
      force?: boolean;
      action?: 'opened' | 'synchronize';
      delivery?: ReturnType<typeof crypto.randomUUID>;
    } = {},
  ): Promise<void> {
    if (options.action !== 'opened')
      github.push(pr, {
        headSha: sha(n),
        force: options.force,
        ...version(files),
      });
    const res = await app.deliver(
      'pull_request',
      pullRequestEvent(options.action ?? 'synchronize', pr),
      SECRET,
      options.delivery,
    );
    expect(res.status).toBeLessThan(300);
    await waitFor(
      () =>
        runsOf(pr.headSha).find(
          (r) =>
            r.status === 'completed' && r.external_id?.endsWith('/reviewed'),
        ),
      `the review of push ${n}`,
      60_000,
      app,
    );
    // The summary comment is saved right after the check run completes.
    await waitFor(
      () => (state()?.head === pr.headSha ? true : undefined),
      `the summary of push ${n}`,
      20_000,
      app,
    );
  }

  async function command(login: string, body: string): Promise<string> {
    const comment = github.addIssueComment(pr, login, body);
    await app.deliver('issue_comment', issueCommentEvent(pr, comment), SECRET);
    await waitFor(
      () =>
        github.reactions.find(
          (r) =>
            r.commentId === comment.id &&
            (r.content === '+1' || r.content === 'confused'),
        ),
      `the answer to "${body}"`,
      60_000,
      app,
    );
    return github.issueComments
      .filter(
        (c) =>
          c.pull === pr.number &&
          c.user.login === bot() &&
          c.id > comment.id &&
          !readMarker(c.body, 'state', ReviewStateSchema),
      )
      .at(-1)!.body;
  }

  beforeAll(async () => {
    await github.listen();
    await model.listen();
    // The failure-mode lens is off so the scenario does not depend on which analyzers ship.
    github.configs.set('acme/orders', 'lenses:\n  failure-mode: false\n');
    github.permissions.set('acme/orders:alice', 'write');
    app = new AppProcess(await freePort(), {
      APP_ID: String(github.app.id),
      PRIVATE_KEY: generatePrivateKey(),
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: github.host,
      GHE_PROTOCOL: 'http',
      LOG_LEVEL: 'warn',
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

  it('posts every finding once, resolves what pushes fix, answers every command, and gates on open unwaived findings', async () => {
    const v1 = version({ [REPO]: repoInjectable, [CLIENT]: clientUnchecked });
    pr = {
      owner: 'acme',
      repo: 'orders',
      number: 21,
      headSha: sha(1),
      baseSha: '0'.repeat(40),
      files: v1.files,
      contents: { [sha(1)]: v1.contents },
    };
    github.addPullRequest(pr);
    const openedDelivery = crypto.randomUUID();

    // Push 1 (opened): the analyzer's SQL injection and the model's unchecked response, in one review.
    await push(1, {}, { action: 'opened', delivery: openedDelivery });
    expect(github.reviews.filter((r) => r.pull === pr.number)).toHaveLength(1);
    expect(
      inline().map((f) => [f.finding.path, f.finding.title, f.finding.sev]),
    ).toEqual(
      expect.arrayContaining([
        [
          REPO,
          'SQL injection: `db.query` runs SQL built by string interpolation',
          'high',
        ],
        [CLIENT, 'Provider errors are returned as success', 'high'],
      ]),
    );
    expect(inline()).toHaveLength(2);
    expect(runsOf(sha(1))).toMatchObject([
      {
        status: 'completed',
        conclusion: 'failure',
        output: { title: '2 high — gate failed (high)' },
      },
    ]);
    expect(summaries()).toHaveLength(1);
    const injection = byTitle(
      'SQL injection: `db.query` runs SQL built by string interpolation',
    );
    const unchecked = byTitle('Provider errors are returned as success');

    // Push 2 fixes the injection: resolved with a reply; the model looks only at the changed file.
    const modelCalls = model.reviewRequests.length;
    await push(2, { [REPO]: repoParameterised, [CLIENT]: clientUnchecked });
    expect(
      model.reviewRequests
        .slice(modelCalls)
        .map((r) => JSON.stringify(r.body.messages).includes(CLIENT)),
    ).toEqual([false]);
    expect(resolved(injection.comment.id)).toBe(true);
    expect(fixedReplies(injection.comment.id).map((c) => c.body)).toEqual([
      `Fixed in ${sha(2).slice(0, 7)}.`,
    ]);
    expect(resolved(unchecked.comment.id)).toBe(false);
    expect(runsOf(sha(2))).toMatchObject([
      {
        conclusion: 'failure',
        output: { title: '1 high — gate failed (high)' },
      },
    ]);
    expect(inline()).toHaveLength(2);

    // Push 2b edits the flagged line; the model repeats its finding there: the thread stays open, no "Fixed", nothing new.
    const clientCommented = clientUnchecked.map((l) =>
      l === '  return res.json();'
        ? '  return res.json(); // the provider`s answer'
        : l,
    );
    await push(21, { [REPO]: repoParameterised, [CLIENT]: clientCommented });
    expect(fixedReplies(unchecked.comment.id)).toEqual([]);
    expect(resolved(unchecked.comment.id)).toBe(false);
    expect(github.reviews.filter((r) => r.pull === pr.number)).toHaveLength(1);
    expect(inline()).toHaveLength(2);
    expect(state()!.open.map((f) => f.fp)).toEqual([unchecked.finding.fp]);
    expect(runsOf(sha(21))).toMatchObject([
      {
        conclusion: 'failure',
        output: { title: '1 high — gate failed (high)' },
      },
    ]);

    // Push 3 brings a new problem: one more comment, nothing repeated.
    await push(3, { [REPO]: repoParameterised, [CLIENT]: clientInMemory });
    expect(github.reviews.filter((r) => r.pull === pr.number)).toHaveLength(2);
    expect(
      inline()
        .map((f) => f.finding.title)
        .sort(),
    ).toEqual([
      'Filters every charge in memory',
      'Provider errors are returned as success',
      'SQL injection: `db.query` runs SQL built by string interpolation',
    ]);
    expect(runsOf(sha(3))).toMatchObject([
      {
        conclusion: 'failure',
        output: { title: '1 high, 1 medium — gate failed (high)' },
      },
    ]);

    // GitHub redelivers the first delivery: the app reads the pull request, sees it moved on, writes nothing.
    const writes = github.writes().length;
    const reads = github.requests.length;
    await app.deliver(
      'pull_request',
      pullRequestEvent('opened', { ...pr, headSha: sha(1) }),
      SECRET,
      openedDelivery,
    );
    await waitFor(
      () =>
        github.requests
          .slice(reads)
          .find((r) => r.path === `/repos/acme/orders/pulls/${pr.number}`),
      'the redelivery to be looked at',
      20_000,
      app,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(github.writes().length).toBe(writes);

    // A writer waives the blocking finding: recorded where everyone sees it, and the gate passes.
    const waived = await command(
      'alice',
      `/architect ignore ${unchecked.finding.id} The gateway maps provider errors to exceptions before this code runs.`,
    );
    expect(waived).toBe(
      `@alice waived \`${unchecked.finding.id}\` (Provider errors are returned as success): it stays listed but no longer counts toward the gate. Reason recorded: The gateway maps provider errors to exceptions before this code runs.. The gate is now **success**: No unwaived findings at or above the gate severity (high); 1 waived.`,
    );
    expect(state()!.waivers).toMatchObject([
      { id: unchecked.finding.id, by: 'alice' },
    ]);
    expect(summaries()[0]!.body).toContain(
      'waived by @\u200Dalice: The gateway maps provider errors to exceptions before this code runs.',
    );
    expect(runsOf(sha(3))).toMatchObject([
      {
        conclusion: 'success',
        output: { title: '1 medium (1 waived) — passed' },
      },
    ]);

    // A reader cannot spend the budget: a polite refusal and no model call.
    const calls = model.reviewRequests.length;
    expect(await command('bob', '/architect review')).toMatch(
      /^@bob only people with write access to this repository can run `\/architect review`/,
    );
    expect(model.reviewRequests.length).toBe(calls);

    // The Re-run button: a full review on a new check run, in progress until its verdict (GitHub never
    // moves a completed run back); nothing new posted; the waiver holds.
    const run = runsOf(sha(3))[0]!;
    const rerun = crypto.randomUUID();
    model.delayMs = 400;
    await app.deliver(
      'check_run',
      checkRunEvent(
        pr,
        { id: run.id, head_sha: sha(3) },
        github.app.id,
        'alice',
      ),
      SECRET,
      rerun,
    );
    const rerunRun = await waitFor(
      () =>
        runsOf(sha(3)).find((r) =>
          r.external_id?.startsWith(`${sha(3)}/rerun-${rerun}/`),
        ),
      'the re-run`s check run',
      60_000,
      app,
    );
    expect(rerunRun.id).toBeGreaterThan(run.id);
    expect(rerunRun.history[0]).toEqual({
      status: 'in_progress',
      conclusion: undefined,
    });
    await waitFor(
      () =>
        rerunRun.external_id === `${sha(3)}/rerun-${rerun}/reviewed`
          ? rerunRun
          : undefined,
      'the re-run',
      60_000,
      app,
    );
    model.delayMs = 0;
    await waitFor(
      () => (state()?.reviews === 5 ? true : undefined),
      'the summary of the re-run',
      20_000,
      app,
    );
    expect(model.reviewRequests.length).toBe(calls + 1);
    // The checks on the head end with exactly one current verdict: the newest run's.
    expect(runsOf(sha(3)).map((r) => r.status)).toEqual([
      'completed',
      'completed',
    ]);
    expect(runsOf(sha(3)).at(-1)).toBe(rerunRun);
    expect(rerunRun.conclusion).toBe('success');
    expect(duplicates()).toBe(0);
    expect(inline()).toHaveLength(3);

    // Push 4 removes the in-memory filter; push 5 rewrites history and adds a risky migration; push 6 fixes the rest.
    await push(4, { [REPO]: repoParameterised, [CLIENT]: clientUnchecked });
    expect(resolved(byTitle('Filters every charge in memory').comment.id)).toBe(
      true,
    );
    await push(
      5,
      {
        [REPO]: repoParameterised,
        [CLIENT]: clientUnchecked,
        [MIGRATION]: migrationNotNull,
      },
      { force: true },
    );
    expect(runsOf(sha(5))[0]!.output?.summary).toContain(
      'Full review (the branch history was rewritten since the last review)',
    );
    expect(runsOf(sha(5))).toMatchObject([{ conclusion: 'failure' }]);
    const migrationFindings = inline().filter(
      (f) => f.finding.path === MIGRATION,
    );
    expect(migrationFindings.map((f) => f.finding.rule)).toContain(
      'schema/adding-required-field',
    );
    await push(6, { [REPO]: repoParameterised, [CLIENT]: clientChecked });

    // The whole history: every finding posted once, every fixed finding's thread resolved once, nothing open.
    expect(duplicates()).toBe(0);
    for (const { comment } of inline()) {
      expect(resolved(comment.id)).toBe(true);
      expect(fixedReplies(comment.id)).toHaveLength(1);
    }
    expect(state()).toMatchObject({
      head: sha(6),
      open: [],
      waivers: [],
      reviews: 8,
    });
    expect(runsOf(sha(6))).toMatchObject([
      { conclusion: 'success', output: { title: 'No findings — passed' } },
    ]);
    expect(summaries()).toHaveLength(1);
    for (const n of [1, 2, 21, 4, 5, 6]) expect(runsOf(sha(n))).toHaveLength(1);
    expect(github.checkRuns.filter((r) => r.status !== 'completed')).toEqual(
      [],
    );
    expect(github.unmatched).toEqual([]);
    expect(github.invalidBodies).toEqual([]);
  }, 240_000);
});
