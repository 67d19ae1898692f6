import { Probot } from 'probot';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';
import { ShutdownError } from '../../src/github/review/abort-reasons.ts';
import { createArchitectApp, type ArchitectApp } from '../../src/github/app.ts';
import { FakeGitHub, type FakePullRequest } from '../support/fake-github.ts';
import { testProbotOctokit, TEST_PRIVATE_KEY } from './github-mock.ts';
import {
  checkRunEvent,
  checkSuiteEvent,
  issueCommentEvent,
  pullRequestEvent,
  reviewCommentEvent,
} from './history-payloads.ts';
import {
  CLIENT_NO_TIMEOUT,
  CLIENT_WITH_TIMEOUT,
  fakeReviewer,
  observe,
  pullRequest,
  REPO_BATCHED,
  REPO_INTERPOLATED,
  REPO_N_PLUS_ONE,
  sha,
  timeoutAnalyzer,
  version,
} from './history-fixture.ts';

/**
 * Whole pull request histories through the app in-process (Probot with throttling off) against the
 * stateful fake GitHub over HTTP: pushes, redeliveries, commands and re-runs, checking after each
 * step what a person would see on GitHub.
 */
const CLIENT = 'src/payments/client.ts';
const REPO = 'src/orders/repo.ts';

let github: FakeGitHub;
let reviewer: ReturnType<typeof fakeReviewer>;
let architect: ArchitectApp;
let probot: Probot;

async function startApp(
  options: { withModel?: boolean } = {},
): Promise<{ probot: Probot; architect: ArchitectApp }> {
  const app = createArchitectApp({
    analyzers: [timeoutAnalyzer],
    createReviewer: () => (options.withModel === false ? undefined : reviewer),
    concurrency: 2,
    jobTimeoutMs: 20_000,
  });
  const instance = new Probot({
    appId: github.app.id,
    privateKey: TEST_PRIVATE_KEY,
    baseUrl: `${github.url}/api/v3`,
    logLevel: (process.env.TEST_LOG_LEVEL ?? 'fatal') as 'fatal',
    Octokit: testProbotOctokit(),
  });
  await instance.load(app.app);
  return { probot: instance, architect: app };
}

async function deliver(
  name: string,
  payload: Record<string, any>,
  id = crypto.randomUUID(),
  target = { probot, architect },
): Promise<void> {
  await target.probot.receive({ id, name, payload } as Parameters<
    Probot['receive']
  >[0]);
  await target.architect.queue.onIdle();
}

function commentAs(pr: FakePullRequest, login: string, body: string) {
  const comment = github.addIssueComment(pr, login, body);
  return deliver('issue_comment', issueCommentEvent(pr, comment));
}

beforeAll(async () => {
  github = await new FakeGitHub().listen();
});

afterAll(async () => {
  await github.close();
});

beforeEach(async () => {
  reviewer = fakeReviewer();
  ({ probot, architect } = await startApp());
});

afterEach(async () => {
  await architect.queue.close(new ShutdownError());
  expect(github.unmatched).toEqual([]);
  expect(github.invalidBodies).toEqual([]);
});

describe('a pull request`s history', () => {
  it('posts each finding once, resolves fixed ones, answers commands, and gates on what is open and not waived', async () => {
    github.permissions.set('acme/orders:alice', 'write');
    const pr = pullRequest(1, sha(1), {
      [CLIENT]: CLIENT_NO_TIMEOUT,
      [REPO]: REPO_N_PLUS_ONE,
    });
    github.addPullRequest(pr);
    const openedDelivery = crypto.randomUUID();

    // 1. Opened: one review with both findings inline, a failing check, a summary comment.
    await deliver(
      'pull_request',
      pullRequestEvent('opened', pr),
      openedDelivery,
    );
    let seen = observe(github, pr);
    expect(seen.reviews).toHaveLength(1);
    expect(seen.inline.map((f) => f.finding.title).sort()).toEqual([
      'HTTP call without a timeout',
      'One query per order id',
    ]);
    expect(seen.run).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
    });
    expect(seen.run!.output?.title).toBe('2 high — gate failed (high)');
    expect(seen.run!.actions?.[0]?.identifier).toBe('rereview');
    expect(seen.summaries).toHaveLength(1);
    expect(seen.state).toMatchObject({ head: sha(1), reviews: 1 });
    expect(seen.state!.open).toHaveLength(2);
    expect(reviewer.paths()).toEqual([[REPO, CLIENT].sort()]);
    const timeout = seen.byTitle('HTTP call without a timeout')!;
    const nPlusOne = seen.byTitle('One query per order id')!;

    // 2. A push fixes the timeout: its thread is resolved with a reply; the model looks only at the changed file.
    github.push(pr, {
      headSha: sha(2),
      ...version({ [CLIENT]: CLIENT_WITH_TIMEOUT, [REPO]: REPO_N_PLUS_ONE }),
    });
    reviewer.requests.length = 0;
    await deliver('pull_request', pullRequestEvent('synchronize', pr));
    seen = observe(github, pr);
    expect(reviewer.paths()).toEqual([[CLIENT]]);
    expect(seen.reviews).toHaveLength(1);
    expect(seen.threadOf(timeout.comment.id)?.isResolved).toBe(true);
    expect(seen.replies(timeout.comment.id).map((r) => r.body)).toEqual([
      `Fixed in ${sha(2).slice(0, 7)}.`,
    ]);
    expect(seen.threadOf(nPlusOne.comment.id)?.isResolved).toBe(false);
    // The check of the new head still carries the open finding of the file the model did not look at again.
    expect(seen.run).toMatchObject({ conclusion: 'failure' });
    expect(seen.run!.output?.title).toBe('1 high — gate failed (high)');
    expect(seen.run!.output?.summary).toContain('Fixed by this push (1)');
    expect(seen.run!.output?.summary).toContain('Incremental review');
    expect(seen.summaries).toHaveLength(1);
    expect(seen.state!.fixed.map((f) => f.id)).toEqual([timeout.finding.id]);

    // 3. A push brings a new problem: a review with only the new finding.
    github.push(pr, {
      headSha: sha(3),
      ...version({ [CLIENT]: CLIENT_WITH_TIMEOUT, [REPO]: REPO_INTERPOLATED }),
    });
    await deliver('pull_request', pullRequestEvent('synchronize', pr));
    seen = observe(github, pr);
    expect(seen.reviews).toHaveLength(2);
    expect(seen.reviews[1]!.comments.map((c) => c.body)).toEqual([
      expect.stringContaining('SQL built from a parameter'),
    ]);
    expect(seen.duplicates).toBe(0);
    expect(seen.run!.output?.title).toBe(
      '1 high, 1 medium — gate failed (high)',
    );

    // 4. GitHub redelivers the old `opened` delivery: nothing happens.
    const before = github.writes().length;
    await deliver(
      'pull_request',
      pullRequestEvent('opened', { ...pr, headSha: sha(1) }),
      openedDelivery,
    );
    expect(github.writes().length).toBe(before);

    // 5. A writer waives the blocking finding: acknowledged, recorded, the gate passes.
    await commentAs(
      pr,
      'alice',
      `/architect ignore ${nPlusOne.finding.id} Batch size is capped at 10 ids by the API.`,
    );
    seen = observe(github, pr);
    const waiverReply = seen.replyComments.at(-1)!;
    expect(waiverReply.body).toMatch(
      new RegExp(`^@alice waived \`${nPlusOne.finding.id}\``),
    );
    expect(waiverReply.body).toContain('The gate is now **success**');
    expect(seen.state!.waivers).toEqual([
      expect.objectContaining({
        id: nPlusOne.finding.id,
        by: 'alice',
        reason: 'Batch size is capped at 10 ids by the API.',
      }),
    ]);
    expect(seen.summaries[0]!.body).toContain(
      'waived by @\u200Dalice: Batch size is capped at 10 ids by the API.',
    );
    expect(seen.run).toMatchObject({ conclusion: 'success' });
    expect(seen.runs).toHaveLength(1);

    // 6. A reader asks for a review: a polite refusal, and nothing runs.
    const requestsBefore = reviewer.requests.length;
    await commentAs(pr, 'bob', '/architect review');
    seen = observe(github, pr);
    expect(seen.replyComments.at(-1)!.body).toMatch(
      /^@bob only people with write access/,
    );
    expect(reviewer.requests.length).toBe(requestsBefore);

    // 7. The Re-run button: a full review on a new check run (the head's current verdict), nothing posted twice, the waiver still holds.
    reviewer.requests.length = 0;
    await deliver(
      'check_run',
      checkRunEvent(
        pr,
        { id: seen.run!.id, head_sha: pr.headSha },
        github.app.id,
        'alice',
      ),
    );
    seen = observe(github, pr);
    expect(reviewer.paths()).toEqual([[REPO, CLIENT].sort()]);
    expect(seen.runs.map((r) => r.status)).toEqual(['completed', 'completed']);
    expect(seen.run!.history[0]).toEqual({
      status: 'in_progress',
      conclusion: undefined,
    });
    expect(seen.run).toMatchObject({ conclusion: 'success' });
    expect(seen.reviews).toHaveLength(2);
    expect(seen.duplicates).toBe(0);

    // 8. Pushes go on: the new problem is fixed, the history is rewritten, the waived finding is fixed too.
    github.push(pr, {
      headSha: sha(4),
      ...version({ [CLIENT]: CLIENT_WITH_TIMEOUT, [REPO]: REPO_N_PLUS_ONE }),
    });
    await deliver('pull_request', pullRequestEvent('synchronize', pr));
    github.push(pr, {
      headSha: sha(5),
      force: true,
      ...version({
        [CLIENT]: [...CLIENT_WITH_TIMEOUT, ''],
        [REPO]: REPO_N_PLUS_ONE,
      }),
    });
    reviewer.requests.length = 0;
    await deliver('pull_request', pullRequestEvent('synchronize', pr));
    expect(reviewer.paths()).toEqual([[REPO, CLIENT].sort()]);
    expect(observe(github, pr).run!.output?.summary).toContain(
      'Full review (the branch history was rewritten since the last review)',
    );
    github.push(pr, {
      headSha: sha(6),
      ...version({
        [CLIENT]: [...CLIENT_WITH_TIMEOUT, ''],
        [REPO]: REPO_BATCHED,
      }),
    });
    await deliver('pull_request', pullRequestEvent('synchronize', pr));

    seen = observe(github, pr);
    expect(seen.duplicates).toBe(0);
    expect(seen.inline).toHaveLength(3);
    for (const { comment } of seen.inline) {
      expect(seen.threadOf(comment.id)?.isResolved).toBe(true);
      expect(
        seen.replies(comment.id).filter((r) => r.body.startsWith('Fixed in')),
      ).toHaveLength(1);
    }
    expect(seen.state).toMatchObject({ head: sha(6), open: [], waivers: [] });
    expect(seen.run).toMatchObject({ conclusion: 'success' });
    expect(seen.summaries).toHaveLength(1);
    expect(seen.summaries[0]!.body).toContain('No open findings.');
    // One check run per push, plus one for the Re-run on the third head; every one completed.
    const perHead = new Map<string, number>();
    for (const run of github.checkRuns)
      perHead.set(run.head_sha, (perHead.get(run.head_sha) ?? 0) + 1);
    expect([...perHead.values()].sort()).toEqual([1, 1, 1, 1, 1, 2]);
    expect(github.checkRuns.every((r) => r.status === 'completed')).toBe(true);
    // Every command was acknowledged and answered.
    const commands = github.issueComments.filter((c) => c.user.type === 'User');
    for (const command of commands) {
      expect(
        github.reactions
          .filter((r) => r.commentId === command.id)
          .map((r) => r.content)
          .sort(),
      ).toEqual(
        command.user.login === 'alice' ? ['+1', 'eyes'] : ['confused', 'eyes'],
      );
    }
  });
});

describe('commands', () => {
  it('explains a finding in its thread with the file around it, and adds the cost to the summary', async () => {
    github.permissions.set('acme/orders:carol', 'maintain');
    const pr = pullRequest(2, sha(20), { [REPO]: REPO_N_PLUS_ONE });
    github.addPullRequest(pr);
    await deliver('pull_request', pullRequestEvent('opened', pr));
    const finding = observe(github, pr).byTitle('One query per order id')!;
    const costBefore = observe(github, pr).state!.cost.requests;

    const question = github.addReviewReply(
      pr,
      finding.comment.id,
      'carol',
      'Why is this a problem? We only pass a few ids.\n\n/architect explain',
    );
    await deliver(
      'pull_request_review_comment',
      reviewCommentEvent(pr, {
        ...question,
        in_reply_to_id: finding.comment.id,
      }),
    );

    const request = reviewer.requests.at(-1)!;
    expect(request.lenses).toEqual(['performance']);
    expect(request.instructions).toContain(
      'deeper explanation of one earlier finding',
    );
    expect(request.description).toContain('carol: Why is this a problem?');
    expect(
      request.chunk.files[0]!.hunks[0]!.lines.some((l) =>
        l.text.includes('ids.map'),
      ),
    ).toBe(true);
    const answer = observe(github, pr).replies(finding.comment.id).at(-1)!;
    expect(answer.body).toMatch(/^@carol \*\*Explanation of `[0-9a-f]{8}`\*\*/);
    expect(answer.body).toContain('Use `WHERE id = ANY($1)`.');
    expect(observe(github, pr).state!.cost.requests).toBe(costBefore + 1);
    expect(
      github.reactions
        .filter((r) => r.commentId === question.id)
        .map((r) => r.content)
        .sort(),
    ).toEqual(['+1', 'eyes']);
  });

  it('says so when explain has no model key, and when it is not used in a finding`s thread', async () => {
    github.permissions.set('acme/orders:carol', 'write');
    const pr = pullRequest(3, sha(30), { [CLIENT]: CLIENT_NO_TIMEOUT });
    github.addPullRequest(pr);
    await architect.queue.close(new ShutdownError());
    ({ probot, architect } = await startApp({ withModel: false }));
    await deliver('pull_request', pullRequestEvent('opened', pr));
    const finding = observe(github, pr).inline[0]!;
    const question = github.addReviewReply(
      pr,
      finding.comment.id,
      'carol',
      '/architect explain',
    );
    await deliver(
      'pull_request_review_comment',
      reviewCommentEvent(pr, {
        ...question,
        in_reply_to_id: finding.comment.id,
      }),
    );
    expect(
      observe(github, pr).replies(finding.comment.id).at(-1)!.body,
    ).toMatch(/not configured on this server \(no ANTHROPIC_API_KEY\)/);

    await commentAs(pr, 'carol', '/architect explain');
    expect(observe(github, pr).replyComments.at(-1)!.body).toMatch(
      /reply with `\/architect explain` in the thread/,
    );
  });

  it('answers help and config to anyone, and bad commands with the help text; ignores bots and quoted commands', async () => {
    const pr = pullRequest(4, sha(40), { [CLIENT]: CLIENT_WITH_TIMEOUT });
    github.addPullRequest(pr);
    github.configs.set('acme/orders', 'gate:\n  severity: medium\n');
    try {
      await commentAs(pr, 'dave', '/architect help');
      expect(observe(github, pr).replyComments.at(-1)!.body).toContain(
        '`/architect ignore <finding-id> <reason>`',
      );
      await commentAs(pr, 'dave', '/architect config');
      const config = observe(github, pr).replyComments.at(-1)!.body;
      expect(config).toMatch(
        /\| `gate\.severity` \| `medium` \| repository file \(\.github\/architect\.yml\) \|/,
      );
      expect(config).toMatch(
        /\| `gate\.blocking_conclusion` \| `failure` \| default \|/,
      );
      await commentAs(pr, 'dave', '/architect frobnicate');
      const help = observe(github, pr).replyComments.at(-1)!.body;
      expect(help).toContain('Unknown command');
      expect(help).toContain('/architect help');

      const replies = observe(github, pr).replyComments.length;
      const bot = github.addIssueComment(
        pr,
        'other-app[bot]',
        '/architect review',
        'Bot',
      );
      await deliver('issue_comment', issueCommentEvent(pr, bot));
      await commentAs(pr, 'dave', '> /architect review\n\nquoting the above');
      expect(observe(github, pr).replyComments.length).toBe(replies);
      expect(github.reactions.filter((r) => r.commentId === bot.id)).toEqual(
        [],
      );
    } finally {
      github.configs.delete('acme/orders');
    }
  });

  it('runs a command once even when GitHub delivers it twice', async () => {
    github.permissions.set('acme/orders:alice', 'write');
    const pr = pullRequest(5, sha(50), { [CLIENT]: CLIENT_NO_TIMEOUT });
    github.addPullRequest(pr);
    const comment = github.addIssueComment(
      pr,
      'alice',
      '/architect review security',
    );
    const payload = issueCommentEvent(pr, comment);
    const id = crypto.randomUUID();
    await Promise.all([
      probot.receive({ id, name: 'issue_comment', payload } as never),
      probot.receive({ id, name: 'issue_comment', payload } as never),
    ]);
    await architect.queue.onIdle();
    await deliver('issue_comment', payload, id);
    const seen = observe(github, pr);
    expect(seen.replyComments).toHaveLength(1);
    expect(seen.replyComments[0]!.body).toMatch(
      /^@alice finished the `security` review of `[0-9a-f]{7}`/,
    );
    // The one-lens review did not run the failure-mode analyzer, so it posted nothing about timeouts.
    expect(seen.inline).toEqual([]);
    expect(seen.runs).toHaveLength(1);
  });

  it('takes a waiver on an id nobody has with a helpful answer', async () => {
    github.permissions.set('acme/orders:alice', 'write');
    const pr = pullRequest(6, sha(60), { [CLIENT]: CLIENT_NO_TIMEOUT });
    github.addPullRequest(pr);
    await deliver('pull_request', pullRequestEvent('opened', pr));
    const id = observe(github, pr).inline[0]!.finding.id;
    await commentAs(pr, 'alice', '/architect ignore deadbeef because');
    expect(observe(github, pr).replyComments.at(-1)!.body).toBe(
      `@alice no open finding has the id \`deadbeef\`. Open findings: \`${id}\`.`,
    );
    await commentAs(pr, 'alice', `/architect unignore ${id}`);
    expect(observe(github, pr).replyComments.at(-1)!.body).toContain(
      'is not waived',
    );
    await commentAs(pr, 'alice', `/architect ignore ${id} accepted`);
    expect(observe(github, pr).run).toMatchObject({ conclusion: 'success' });
    await commentAs(pr, 'alice', `/architect unignore ${id}`);
    expect(observe(github, pr).replyComments.at(-1)!.body).toContain(
      'counts toward the gate again',
    );
    expect(observe(github, pr).run).toMatchObject({ conclusion: 'failure' });
  });
});

describe('who triggers spending, and skipping', () => {
  it('holds the AI review of a fork`s pull request for a maintainer, and runs it on their command', async () => {
    github.permissions.set('acme/orders:alice', 'admin');
    const pr = pullRequest(
      7,
      sha(70),
      { [REPO]: REPO_N_PLUS_ONE },
      {
        headRepo: 'stranger/orders',
        authorAssociation: 'NONE',
        author: 'stranger',
      },
    );
    github.addPullRequest(pr);
    await deliver('pull_request', pullRequestEvent('opened', pr));
    let seen = observe(github, pr);
    expect(reviewer.requests).toEqual([]);
    expect(seen.run).toMatchObject({ conclusion: 'neutral' });
    expect(seen.run!.output?.title).toBe(
      'No findings — AI review awaits a maintainer',
    );
    expect(seen.run!.output?.summary).toContain(
      'The AI review awaits a maintainer: it comes from a fork',
    );

    // The stranger cannot start it.
    await commentAs(pr, 'stranger', '/architect review');
    expect(reviewer.requests).toEqual([]);

    await commentAs(pr, 'alice', '/architect review');
    seen = observe(github, pr);
    expect(reviewer.paths()).toEqual([[REPO]]);
    expect(seen.inline.map((f) => f.finding.title)).toEqual([
      'One query per order id',
    ]);
    expect(seen.run).toMatchObject({ conclusion: 'failure' });
    expect(seen.runs.map((r) => r.conclusion)).toEqual(['neutral', 'failure']);
  });

  it('keeps findings below comments.min_severity out of the review but counts them in the check run', async () => {
    github.configs.set('acme/orders', 'comments:\n  min_severity: high\n');
    try {
      const pr = pullRequest(15, sha(150), { [REPO]: REPO_INTERPOLATED });
      github.addPullRequest(pr);
      await deliver('pull_request', pullRequestEvent('opened', pr));
      const seen = observe(github, pr);
      expect(seen.byTitle('SQL built from a parameter')).toBeUndefined();
      expect(
        seen.run!.annotations.some((a) =>
          JSON.stringify(a).includes('SQL built from a parameter'),
        ),
      ).toBe(true);
      expect(seen.state!.open.map((f) => f.title)).toContain(
        'SQL built from a parameter',
      );

      // Pushing again does not post it either, nor repeat anything.
      github.push(pr, {
        headSha: sha(151),
        ...version({
          [REPO]: REPO_INTERPOLATED,
          [CLIENT]: CLIENT_WITH_TIMEOUT,
        }),
      });
      await deliver('pull_request', pullRequestEvent('synchronize', pr));
      const again = observe(github, pr);
      expect(again.byTitle('SQL built from a parameter')).toBeUndefined();
      expect(again.duplicates).toBe(0);
    } finally {
      github.configs.delete('acme/orders');
    }
  });

  it('fails closed on a held review when the repository says so', async () => {
    github.configs.set(
      'acme/orders',
      'gate:\n  incomplete_conclusion: failure\n',
    );
    try {
      const pr = pullRequest(
        8,
        sha(80),
        { [CLIENT]: CLIENT_WITH_TIMEOUT },
        { authorAssociation: 'FIRST_TIME_CONTRIBUTOR' },
      );
      github.addPullRequest(pr);
      await deliver('pull_request', pullRequestEvent('opened', pr));
      expect(observe(github, pr).run).toMatchObject({ conclusion: 'failure' });
      expect(observe(github, pr).run!.output?.title).toBe(
        'No findings — AI review awaits a maintainer',
      );
    } finally {
      github.configs.delete('acme/orders');
    }
  });

  it('skips a pull request with the skip label or title tag, and reviews it once the label is removed', async () => {
    const pr = pullRequest(
      9,
      sha(90),
      { [CLIENT]: CLIENT_NO_TIMEOUT },
      { labels: ['skip-architect'] },
    );
    github.addPullRequest(pr);
    await deliver('pull_request', pullRequestEvent('opened', pr));
    expect(observe(github, pr).run).toMatchObject({ conclusion: 'skipped' });
    expect(observe(github, pr).reviews).toEqual([]);

    pr.labels = [];
    await deliver(
      'pull_request',
      pullRequestEvent('unlabeled', pr, 'skip-architect'),
    );
    expect(observe(github, pr).run).toMatchObject({ conclusion: 'failure' });
    expect(observe(github, pr).runs.map((r) => r.conclusion)).toEqual([
      'skipped',
      'failure',
    ]);

    const titled = pullRequest(
      10,
      sha(100),
      { [CLIENT]: CLIENT_NO_TIMEOUT },
      { title: 'Hotfix [skip architect]' },
    );
    github.addPullRequest(titled);
    await deliver('pull_request', pullRequestEvent('opened', titled));
    expect(observe(github, titled).run).toMatchObject({
      conclusion: 'skipped',
    });
  });
});

describe('idempotency and trust in markers', () => {
  it('yields one review when two workers get the same delivery at once', async () => {
    const second = await startApp();
    try {
      const pr = pullRequest(11, sha(110), {
        [CLIENT]: CLIENT_NO_TIMEOUT,
        [REPO]: REPO_N_PLUS_ONE,
      });
      github.addPullRequest(pr);
      const payload = pullRequestEvent('opened', pr);
      const id = crypto.randomUUID();
      github.latencyMs = 20;
      await Promise.all([
        deliver('pull_request', payload, id),
        deliver('pull_request', payload, id, second),
      ]);
      github.latencyMs = 0;
      const seen = observe(github, pr);
      expect(seen.duplicates).toBe(0);
      expect(seen.reviews).toHaveLength(1);
      expect(seen.inline).toHaveLength(2);
      expect(seen.summaries).toHaveLength(1);
      // If both created a run before seeing the other's, the newer one repeats the older one's verdict.
      expect(seen.runs.length).toBeLessThanOrEqual(2);
      for (const run of seen.runs)
        expect(run).toMatchObject({
          status: 'completed',
          conclusion: 'failure',
          output: { title: '2 high — gate failed (high)' },
        });
    } finally {
      github.latencyMs = 0;
      await second.architect.queue.close(new ShutdownError());
    }
  });

  it('recovers on the next push when GitHub fails to take the review or to resolve a thread', async () => {
    const pr = pullRequest(14, sha(140), {
      [CLIENT]: CLIENT_NO_TIMEOUT,
      [REPO]: REPO_N_PLUS_ONE,
    });
    github.addPullRequest(pr);
    github.failures.set(
      'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
      502,
    );
    await deliver('pull_request', pullRequestEvent('opened', pr));
    github.failures.clear();
    let seen = observe(github, pr);
    expect(seen.inline).toEqual([]);
    expect(seen.run).toMatchObject({ conclusion: 'failure' });
    expect(seen.run!.output?.summary).toMatch(
      /review comments could not be posted/,
    );

    // The next push posts what could not be posted, once; and fixes the timeout while GraphQL is down.
    github.push(pr, {
      headSha: sha(141),
      ...version({
        [CLIENT]: CLIENT_NO_TIMEOUT,
        [REPO]: REPO_N_PLUS_ONE,
        'src/extra.ts': ['export const x = 1;'],
      }),
    });
    await deliver('pull_request', pullRequestEvent('synchronize', pr));
    seen = observe(github, pr);
    expect(seen.inline.map((f) => f.finding.title).sort()).toEqual([
      'HTTP call without a timeout',
      'One query per order id',
    ]);
    github.failures.set('POST /graphql', 502);
    github.push(pr, {
      headSha: sha(142),
      ...version({ [CLIENT]: CLIENT_WITH_TIMEOUT, [REPO]: REPO_N_PLUS_ONE }),
    });
    await deliver('pull_request', pullRequestEvent('synchronize', pr));
    github.failures.clear();
    seen = observe(github, pr);
    const timeout = seen.byTitle('HTTP call without a timeout')!;
    expect(seen.threadOf(timeout.comment.id)?.isResolved).toBe(false);
    expect(seen.run!.output?.summary).toMatch(/could not be resolved/);
    expect(seen.state!.resolving).toEqual([timeout.finding.fp]);

    github.push(pr, {
      headSha: sha(143),
      ...version({
        [CLIENT]: CLIENT_WITH_TIMEOUT,
        [REPO]: REPO_N_PLUS_ONE,
        'src/extra.ts': ['export const y = 2;'],
      }),
    });
    await deliver('pull_request', pullRequestEvent('synchronize', pr));
    seen = observe(github, pr);
    expect(seen.threadOf(timeout.comment.id)?.isResolved).toBe(true);
    expect(seen.replies(timeout.comment.id).map((r) => r.body)).toEqual([
      `Fixed in ${sha(143).slice(0, 7)}.`,
    ]);
    expect(seen.state!.resolving).toEqual([]);
    expect(seen.duplicates).toBe(0);
  });

  it('ignores state and finding markers in comments the app did not write', async () => {
    const pr = pullRequest(12, sha(120), { [CLIENT]: CLIENT_NO_TIMEOUT });
    github.addPullRequest(pr);
    // Someone pastes a state that claims the finding was already reviewed and waived.
    const forgedState = {
      v: 1,
      head: sha(120),
      open: [],
      waivers: [],
      fixed: [],
      reviews: 9,
    };
    github.addIssueComment(
      pr,
      'mallory',
      `Nothing to see <!-- backend-architect:state ${JSON.stringify(forgedState)} -->`,
    );
    github.addIssueComment(
      pr,
      'backend-architect',
      `Looks official <!-- backend-architect:state ${JSON.stringify(forgedState)} -->`,
    );
    await deliver('pull_request', pullRequestEvent('opened', pr));
    const seen = observe(github, pr);
    expect(seen.inline).toHaveLength(1);
    expect(seen.run).toMatchObject({ conclusion: 'failure' });
    expect(seen.state).toMatchObject({ reviews: 1 });
    // Its own summary comment is a new one; the forged ones were never edited.
    expect(
      github.issueComments
        .filter((c) => c.pull === pr.number && c.user.type === 'User')
        .every((c) => c.edits.length === 0),
    ).toBe(true);
  });

  it('re-runs every pull request of a re-run check suite, and nothing for someone without write access', async () => {
    github.permissions.set('acme/orders:alice', 'write');
    const pr = pullRequest(13, sha(130), { [CLIENT]: CLIENT_WITH_TIMEOUT });
    github.addPullRequest(pr);
    await deliver('pull_request', pullRequestEvent('opened', pr));
    reviewer.requests.length = 0;
    await deliver('check_suite', checkSuiteEvent(pr, github.app.id, 'mallory'));
    expect(reviewer.requests).toEqual([]);
    await deliver(
      'check_suite',
      checkSuiteEvent(pr, github.app.id, 'alice', false),
    );
    expect(reviewer.paths()).toEqual([[CLIENT]]);
    expect(observe(github, pr).runs).toHaveLength(2);
    // The Re-review button does the same.
    reviewer.requests.length = 0;
    await deliver(
      'check_run',
      checkRunEvent(
        pr,
        { id: observe(github, pr).run!.id, head_sha: pr.headSha },
        github.app.id,
        'alice',
        'rereview',
      ),
    );
    expect(reviewer.paths()).toEqual([[CLIENT]]);
  });

  it('shows every re-review as in progress until its verdict, and the head`s checks end with one current verdict', async () => {
    github.permissions.set('acme/orders:alice', 'write');
    const pr = pullRequest(16, sha(160), {
      [CLIENT]: CLIENT_NO_TIMEOUT,
      [REPO]: REPO_N_PLUS_ONE,
    });
    github.addPullRequest(pr);
    await deliver('pull_request', pullRequestEvent('opened', pr));
    // What a person looking at the head's checks sees while each re-review is under way.
    const during: string[][] = [];
    const review = reviewer.review.bind(reviewer);
    reviewer.review = (request) => {
      during.push(observe(github, pr).runs.map((r) => r.status));
      return review(request);
    };
    await commentAs(pr, 'alice', '/architect review');
    await deliver(
      'check_run',
      checkRunEvent(
        pr,
        { id: observe(github, pr).run!.id, head_sha: pr.headSha },
        github.app.id,
        'alice',
      ),
    );
    await deliver(
      'check_run',
      checkRunEvent(
        pr,
        { id: observe(github, pr).run!.id, head_sha: pr.headSha },
        github.app.id,
        'alice',
        'rereview',
      ),
    );
    expect(during).toEqual([
      ['completed', 'in_progress'],
      ['completed', 'completed', 'in_progress'],
      ['completed', 'completed', 'completed', 'in_progress'],
    ]);
    const seen = observe(github, pr);
    expect(seen.runs.map((r) => r.status)).toEqual([
      'completed',
      'completed',
      'completed',
      'completed',
    ]);
    expect(seen.run).toMatchObject({ conclusion: 'failure' });
    expect(seen.duplicates).toBe(0);
    expect(github.unmatched).toEqual([]);
    expect(github.invalidBodies).toEqual([]);
  });

  it('keeps a model finding`s thread open when a small edit changes its code and the model repeats it: no "Fixed", nothing new', async () => {
    const pr = pullRequest(17, sha(170), { [REPO]: REPO_N_PLUS_ONE });
    github.addPullRequest(pr);
    await deliver('pull_request', pullRequestEvent('opened', pr));
    let seen = observe(github, pr);
    const posted = seen.byTitle('One query per order id')!;
    expect(posted.finding).toMatchObject({ src: 'model', start: 4 });

    // The flagged line is edited (fewer columns) and moves down one line; the model says the same thing again.
    const edited = [
      "import { db } from './db.ts';",
      '',
      '// Loads the given orders.',
      'export async function loadOrders(ids) {',
      "  return Promise.all(ids.map((id) => db.query('SELECT id, total FROM orders WHERE id = $1', [id])));",
      '}',
    ];
    github.push(pr, { headSha: sha(171), ...version({ [REPO]: edited }) });
    await deliver('pull_request', pullRequestEvent('synchronize', pr));
    seen = observe(github, pr);
    expect(reviewer.requests.at(-1)!.chunk.files.map((f) => f.path)).toEqual([
      REPO,
    ]);
    expect(seen.replies(posted.comment.id)).toEqual([]);
    expect(seen.threadOf(posted.comment.id)?.isResolved).toBe(false);
    expect(seen.inline).toHaveLength(1);
    expect(seen.reviews).toHaveLength(1);
    expect(seen.state!.open).toEqual([
      expect.objectContaining({
        fp: posted.finding.fp,
        id: posted.finding.id,
        start: 5,
      }),
    ]);
    expect(seen.state!.fixed).toEqual([]);
    expect(seen.run).toMatchObject({ conclusion: 'failure' });
    expect(github.unmatched).toEqual([]);
  });

  it('still treats a different model finding in the same place as new, and the old one as fixed', async () => {
    const pr = pullRequest(18, sha(180), { [REPO]: REPO_N_PLUS_ONE });
    github.addPullRequest(pr);
    await deliver('pull_request', pullRequestEvent('opened', pr));
    const posted = observe(github, pr).byTitle('One query per order id')!;
    // Same line, but now the model reports something else there.
    github.push(pr, {
      headSha: sha(181),
      ...version({
        [REPO]: [
          "import { db } from './db.ts';",
          '',
          'export async function loadOrders(userId) {',
          '  return db.query(`SELECT * FROM orders WHERE user_id = ${userId}`);',
          '}',
        ],
      }),
    });
    await deliver('pull_request', pullRequestEvent('synchronize', pr));
    const seen = observe(github, pr);
    expect(seen.threadOf(posted.comment.id)?.isResolved).toBe(true);
    expect(seen.inline.map((f) => f.finding.title).sort()).toEqual([
      'One query per order id',
      'SQL built from a parameter',
    ]);
  });

  it('reopens the thread of a model finding fixed earlier when it comes back after a small edit, instead of posting it again', async () => {
    const pr = pullRequest(19, sha(190), { [REPO]: REPO_N_PLUS_ONE });
    github.addPullRequest(pr);
    await deliver('pull_request', pullRequestEvent('opened', pr));
    const posted = observe(github, pr).byTitle('One query per order id')!;
    github.push(pr, {
      headSha: sha(191),
      ...version({ [REPO]: REPO_BATCHED }),
    });
    await deliver('pull_request', pullRequestEvent('synchronize', pr));
    expect(observe(github, pr).threadOf(posted.comment.id)?.isResolved).toBe(
      true,
    );

    // The per-id query comes back, slightly different; the model reports it again.
    const back = REPO_N_PLUS_ONE.map((l) =>
      l.replace(
        "'SELECT * FROM orders WHERE id = $1'",
        "'SELECT id FROM orders WHERE id = $1'",
      ),
    );
    github.push(pr, { headSha: sha(192), ...version({ [REPO]: back }) });
    await deliver('pull_request', pullRequestEvent('synchronize', pr));
    const seen = observe(github, pr);
    expect(seen.threadOf(posted.comment.id)?.isResolved).toBe(false);
    expect(seen.inline).toHaveLength(1);
    expect(seen.state!.open).toEqual([
      expect.objectContaining({ fp: posted.finding.fp }),
    ]);
    expect(seen.state!.fixed).toEqual([]);
  });
});
