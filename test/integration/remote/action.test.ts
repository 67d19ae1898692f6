import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowCancelledError } from '../../../src/action/cancelled.ts';
import { runAction } from '../../../src/action/run-action.ts';
import { FakeGitHub } from '../../support/fake-github.ts';
import { FakeModel } from '../../support/fake-model.ts';
import { examplePayload, pullRequestPayload } from '../../support/payloads.ts';
import {
  BASE,
  headOf,
  OWNER,
  pullRequest,
  REPO,
} from './pull-request-fixture.ts';

/**
 * The GitHub Action's entry with real webhook payloads (@octokit/webhooks-examples) in
 * GITHUB_EVENT_PATH, a temporary job summary and workspace, and the fake GitHub and fake model over
 * HTTP. Unmatched requests and invalid request bodies fail every test.
 */
describe('the GitHub Action', () => {
  const github = new FakeGitHub();
  const model = new FakeModel(() => ({
    findings: [],
    summary: 'Adds a payment call.',
  }));
  let dir: string;
  let n = 0;

  interface Step {
    code: number;
    stdout: string;
    summary: string;
    outputs: string;
    workspace: string;
  }

  async function prepare(
    event: string,
    payload: unknown,
    inputs: Record<string, string> = {},
    extra: NodeJS.ProcessEnv = {},
  ) {
    const step = join(dir, `step-${++n}`);
    const workspace = join(step, 'workspace');
    await import('node:fs/promises').then((fs) =>
      fs.mkdir(workspace, { recursive: true }),
    );
    await writeFile(join(step, 'event.json'), JSON.stringify(payload));
    await writeFile(join(step, 'summary.md'), '');
    await writeFile(join(step, 'outputs.txt'), '');
    const env: NodeJS.ProcessEnv = {
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: event,
      GITHUB_EVENT_PATH: join(step, 'event.json'),
      GITHUB_STEP_SUMMARY: join(step, 'summary.md'),
      GITHUB_OUTPUT: join(step, 'outputs.txt'),
      GITHUB_WORKSPACE: workspace,
      GITHUB_API_URL: `${github.url}/api/v3`,
      GITHUB_RUN_ID: String(1000 + n),
      GITHUB_ACTOR: 'octocat',
      ANTHROPIC_BASE_URL: model.url,
      'INPUT_GITHUB-TOKEN': 'ghs_job_token',
      INPUT_POST: 'auto',
      ...Object.fromEntries(
        Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]),
      ),
      ...extra,
    };
    const read = async (code: number, stdout: string): Promise<Step> => ({
      code,
      stdout,
      summary: await readFile(join(step, 'summary.md'), 'utf8'),
      outputs: await readFile(join(step, 'outputs.txt'), 'utf8'),
      workspace,
    });
    return { env, read };
  }

  async function step(
    event: string,
    payload: unknown,
    inputs?: Record<string, string>,
    extra?: NodeJS.ProcessEnv,
  ): Promise<Step> {
    const { env, read } = await prepare(event, payload, inputs, extra);
    const out: string[] = [];
    const code = await runAction(
      env,
      {
        stdout: { write: (t: string) => out.push(t) },
        stderr: { write: () => true },
      },
      { signal: new AbortController().signal },
    );
    return read(code, out.join(''));
  }

  const payloadFor = (
    number: number,
    action: 'opened' | 'synchronize' = 'opened',
  ) =>
    pullRequestPayload(action, {
      owner: OWNER,
      repo: REPO,
      number,
      headSha: headOf(number),
      baseSha: BASE,
      changedFiles: 3,
    });

  function commentPayload(
    number: number,
    login: string,
    body: string,
    commentId: number,
  ): Record<string, any> {
    const payload = examplePayload('issue_comment', 'created');
    payload.issue.number = number;
    payload.issue.pull_request = {
      url: `${github.url}/api/v3/repos/${OWNER}/${REPO}/pulls/${number}`,
    };
    payload.comment.id = commentId;
    payload.comment.body = body;
    payload.comment.user = { ...payload.comment.user, login, type: 'User' };
    payload.repository.name = REPO;
    payload.repository.full_name = `${OWNER}/${REPO}`;
    payload.repository.owner.login = OWNER;
    return payload;
  }

  beforeAll(async () => {
    await github.listen();
    await model.listen();
    dir = await mkdtemp(join(tmpdir(), 'architect-action-'));
  });
  afterEach(() => {
    expect(github.unmatched).toEqual([]);
    expect(github.invalidBodies).toEqual([]);
  });
  afterAll(async () => {
    await github.close();
    await model.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('posts on pull_request, writes the job summary and SARIF, fails the step with the gate, and posts nothing when re-run', async () => {
    github.addPullRequest(pullRequest(21));
    const first = await step('pull_request', payloadFor(21), {
      'fail-on': 'high',
    });
    expect(first.code).toBe(1);
    const run = github.checkRuns.find((r) => r.head_sha === headOf(21));
    expect(run).toMatchObject({
      name: 'Backend Architect',
      status: 'completed',
      conclusion: 'failure',
    });
    expect(github.reviews.filter((r) => r.pull === 21)).toHaveLength(1);
    expect(
      github.issueComments.filter(
        (c) =>
          c.pull === 21 && c.body.includes('<!-- backend-architect:state '),
      ),
    ).toHaveLength(1);
    expect(first.summary).toContain('> Posted to the pull request: `failure`');
    expect(first.summary).toContain(
      'Index on `orders` is built without CONCURRENTLY',
    );
    const sarifPath = join(first.workspace, 'backend-architect.sarif');
    expect(first.outputs).toBe(`conclusion=failure\nsarif-file=${sarifPath}\n`);
    const sarif = JSON.parse(await readFile(sarifPath, 'utf8')) as {
      runs: Array<{ results: Array<{ ruleId: string }> }>;
    };
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toContain(
      'schema/require-concurrent-index-creation',
    );
    // No model key was given: the model was not called.
    expect(model.requests).toHaveLength(0);

    const writes = github.writes().length;
    const again = await step('pull_request', payloadFor(21, 'synchronize'));
    expect(again.code).toBe(1);
    expect(github.writes()).toHaveLength(writes);
    expect(again.summary).toMatch(
      /Nothing new was posted: already reviewed .*`failure`/,
    );
    expect(again.outputs).toBe('conclusion=failure\nsarif-file=\n');
  });

  it("leaves a job's own check run alone even when the job is named like the review", async () => {
    github.addPullRequest(pullRequest(28));
    // The job's check run: same app (GitHub Actions), same name, no review mark.
    github.checkRuns.push({
      id: 7,
      name: 'Backend Architect',
      head_sha: headOf(28),
      status: 'in_progress',
      started_at: new Date().toISOString(),
      annotations: [],
      history: [{ status: 'in_progress' }],
      appId: github.app.id,
    });
    const result = await step('pull_request', payloadFor(28));
    expect(result.code).toBe(1);
    const runs = github.checkRuns.filter((r) => r.head_sha === headOf(28));
    expect(runs).toHaveLength(2);
    expect(runs.find((r) => r.id === 7)).toMatchObject({
      status: 'in_progress',
      history: [{ status: 'in_progress' }],
    });
    expect(runs.find((r) => r.id !== 7)).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
    });
  });

  it('falls back to a commit status when the job token may not create check runs', async () => {
    github.addPullRequest(pullRequest(26));
    github.noChecksTokens.add('ghs_no_checks');
    const first = await step('pull_request', payloadFor(26), {
      'github-token': 'ghs_no_checks',
    });
    expect(first.code).toBe(1);
    expect(github.checkRuns.some((r) => r.head_sha === headOf(26))).toBe(false);
    const statuses = github.statuses.filter((st) => st.sha === headOf(26));
    expect(statuses.map((st) => st.state)).toEqual(['pending', 'failure']);
    expect(statuses[1]!.target_url).toMatch(
      /\/acme\/orders\/actions\/runs\/\d+#backend-architect=/,
    );
    expect(github.reviews.filter((r) => r.pull === 26)).toHaveLength(1);

    const writes = github.writes().length;
    const again = await step('pull_request', payloadFor(26, 'synchronize'), {
      'github-token': 'ghs_no_checks',
    });
    expect(again.code).toBe(1);
    expect(github.writes()).toHaveLength(writes);

    // A waiver of the one blocking finding updates the verdict on the status too.
    const comment = github.reviewComments.find(
      (c) => c.pull === 26 && c.body.includes('without CONCURRENTLY'),
    )!;
    const id = /ID `([0-9a-f]{8}(?:-\d+)?)`/.exec(comment.body)![1]!;
    github.permissions.set(`${OWNER}/${REPO}:maria`, 'write');
    const waiver = github.addIssueComment(
      github.pulls.get(`${OWNER}/${REPO}#26`)!,
      'maria',
      `/architect ignore ${id} the table has 40 rows`,
    );
    const waived = await step(
      'issue_comment',
      commentPayload(26, 'maria', waiver.body, waiver.id),
      { 'github-token': 'ghs_no_checks' },
    );
    expect(waived.code).toBe(0);
    expect(
      github.issueComments.some(
        (c) => c.pull === 26 && c.body.includes(`waived \`${id}\``),
      ),
    ).toBe(true);
    expect(
      github.statuses
        .filter((st) => st.sha === headOf(26))
        .map((st) => st.state),
    ).toEqual(['pending', 'failure', 'success']);
  });

  it('gives a fork pull request the deterministic review in the job summary and SARIF, and writes nothing', async () => {
    github.addPullRequest(
      pullRequest(22, {
        headRepo: 'mallory/orders',
        authorAssociation: 'FIRST_TIME_CONTRIBUTOR',
      }),
    );
    const payload = payloadFor(22);
    payload.pull_request.head.repo.full_name = 'mallory/orders';
    payload.pull_request.head.repo.owner.login = 'mallory';
    // GitHub gives the job of a fork pull request a read-only token and no secrets.
    github.readOnlyTokens.add('ghs_fork_token');
    const before = github.requests.length;
    const writesBefore = github.writes().length;
    const { env, read } = await prepare('pull_request', payload, {
      'github-token': 'ghs_fork_token',
    });
    // The real entry, as the runner starts it (dependencies are already installed here).
    const child = spawn(process.execPath, ['src/action/bootstrap.js'], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number>((resolve) =>
      child.on('close', (c) => resolve(c ?? -1)),
    );
    const fork = await read(code, stdout);

    expect(fork.code).toBe(1);
    expect(fork.stdout).not.toContain('::error');
    expect(github.requests.length).toBeGreaterThan(before);
    expect(
      github
        .writes()
        .slice(writesBefore)
        .map((w) => `${w.method} ${w.path}`),
    ).toEqual([]);
    expect(github.requests.slice(before).every((r) => r.method === 'GET')).toBe(
      true,
    );
    expect(github.checkRuns.some((r) => r.head_sha === headOf(22))).toBe(false);
    expect(fork.summary).toContain('This pull request comes from a fork');
    expect(fork.summary).toContain(
      'Index on `orders` is built without CONCURRENTLY',
    );
    const sarifPath = join(fork.workspace, 'backend-architect.sarif');
    expect(existsSync(sarifPath)).toBe(true);
    expect(fork.outputs).toContain(`sarif-file=${sarifPath}`);
  });

  it('reviews pull_request_target without running the model for a fork, as the app does', async () => {
    github.addPullRequest(
      pullRequest(23, {
        headRepo: 'mallory/orders',
        authorAssociation: 'CONTRIBUTOR',
      }),
    );
    const payload = payloadFor(23);
    payload.pull_request.head.repo.full_name = 'mallory/orders';
    const result = await step('pull_request_target', payload, {
      'anthropic-api-key': 'sk-ant-action',
    });
    expect(result.code).toBe(1);
    const run = github.checkRuns.find((r) => r.head_sha === headOf(23));
    expect(run?.output?.summary).toMatch(
      /AI review on hold: it comes from a fork/,
    );
    expect(model.requests).toHaveLength(0);
  });

  it('runs `/architect review` from a writer with the model, and refuses a reader without running anything', async () => {
    github.addPullRequest(pullRequest(24));
    github.permissions.set(`${OWNER}/${REPO}:maria`, 'write');
    const comment = github.addIssueComment(
      github.pulls.get(`${OWNER}/${REPO}#24`)!,
      'maria',
      '/architect review',
    );
    const result = await step(
      'issue_comment',
      commentPayload(24, 'maria', comment.body, comment.id),
      { 'anthropic-api-key': 'sk-ant-action' },
    );
    expect(result.code).toBe(1);
    expect(
      github.requests.some(
        (r) =>
          r.route ===
            'GET /repos/{owner}/{repo}/collaborators/{username}/permission' &&
          r.path.endsWith('/maria/permission'),
      ),
    ).toBe(true);
    expect(model.requests.length).toBeGreaterThan(0);
    expect(
      model.requests.every(
        (r) =>
          r.headers['x-api-key'] === 'sk-ant-action' ||
          r.headers.authorization === 'Bearer sk-ant-action',
      ),
    ).toBe(true);
    expect(
      github.checkRuns.find((r) => r.head_sha === headOf(24))?.conclusion,
    ).toBe('failure');
    const replies = github.issueComments.filter(
      (c) => c.pull === 24 && c.body.includes('finished the review'),
    );
    expect(replies).toHaveLength(1);
    expect(
      github.reactions
        .filter((r) => r.commentId === comment.id)
        .map((r) => r.content)
        .sort(),
    ).toEqual(['+1', 'eyes']);

    const calls = model.requests.length;
    const reviews = github.reviews.length;
    const other = github.addIssueComment(
      github.pulls.get(`${OWNER}/${REPO}#24`)!,
      'visitor',
      '/architect review',
    );
    const refused = await step(
      'issue_comment',
      commentPayload(24, 'visitor', other.body, other.id),
      { 'anthropic-api-key': 'sk-ant-action' },
    );
    expect(refused.code).toBe(0);
    expect(model.requests.length).toBe(calls);
    expect(github.reviews.length).toBe(reviews);
    expect(
      github.issueComments.some(
        (c) =>
          c.pull === 24 &&
          c.body.includes('@visitor') &&
          /write access/i.test(c.body),
      ),
    ).toBe(true);
    expect(refused.outputs).toBe('conclusion=\nsarif-file=\n');
  });

  it('answers `/architect explain` in a finding’s thread, and ignores diff commands on fork pull requests', async () => {
    const pr = pullRequest(29);
    github.addPullRequest(pr);
    expect((await step('pull_request', payloadFor(29))).code).toBe(1);
    const root = github.reviewComments.find(
      (c) => c.pull === 29 && c.body.includes('without CONCURRENTLY'),
    )!;
    github.permissions.set(`${OWNER}/${REPO}:maria`, 'write');
    const question = github.addReviewReply(
      pr,
      root.id,
      'maria',
      'It is a small table.\n\n/architect explain',
    );
    const payload = examplePayload('pull_request_review_comment', 'created');
    Object.assign(payload.repository, {
      name: REPO,
      full_name: `${OWNER}/${REPO}`,
    });
    payload.repository.owner.login = OWNER;
    payload.pull_request.number = 29;
    payload.pull_request.head.repo.full_name = `${OWNER}/${REPO}`;
    payload.comment = {
      ...payload.comment,
      id: question.id,
      body: question.body,
      in_reply_to_id: root.id,
      user: { ...payload.comment.user, login: 'maria', type: 'User' },
    };
    const calls = model.requests.length;
    const explained = await step('pull_request_review_comment', payload, {
      'anthropic-api-key': 'sk-ant-action',
    });
    expect(explained.code).toBe(0);
    expect(model.requests.length).toBe(calls + 1);
    const answer = github.reviewComments.filter(
      (c) =>
        c.pull === 29 &&
        c.in_reply_to_id === root.id &&
        c.user.login === github.bot.login,
    );
    expect(answer).toHaveLength(1);
    expect(answer[0]!.body).toContain('@maria');
    expect(
      github.reactions
        .filter((r) => r.subject === 'review' && r.commentId === question.id)
        .map((r) => r.content)
        .sort(),
    ).toEqual(['+1', 'eyes']);

    const before = github.requests.length;
    payload.pull_request.head.repo.full_name = 'mallory/orders';
    const fork = await step('pull_request_review_comment', payload, {
      'anthropic-api-key': 'sk-ant-action',
    });
    expect(fork.code).toBe(0);
    expect(fork.stdout).toContain(
      'commands on the diff of a fork pull request cannot be answered',
    );
    expect(github.requests.length).toBe(before);
  });

  it('completes the check run as cancelled when the runner cancels the step', async () => {
    github.addPullRequest(pullRequest(27));
    const { env, read } = await prepare('pull_request', payloadFor(27));
    const controller = new AbortController();
    github.latencyMs = 20;
    const watch = setInterval(() => {
      if (github.checkRuns.some((r) => r.head_sha === headOf(27)))
        controller.abort(new WorkflowCancelledError());
    }, 2);
    try {
      const code = await runAction(
        env,
        { stdout: { write: () => true }, stderr: { write: () => true } },
        { signal: controller.signal },
      );
      const result = await read(code, '');
      expect(result.summary).toMatch(
        /ended without findings to report: Review cancelled.*`cancelled`/,
      );
    } finally {
      clearInterval(watch);
      github.latencyMs = 0;
    }
    const run = github.checkRuns.find((r) => r.head_sha === headOf(27));
    expect(run).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
    expect(run!.output?.summary).toContain('The workflow run was cancelled');
    expect(github.reviews.some((r) => r.pull === 27)).toBe(false);
  });

  it('ignores events it does not handle and reports bad inputs in one line', async () => {
    const before = github.requests.length;
    const closed = await step('pull_request', {
      ...payloadFor(25),
      action: 'closed',
    });
    expect(closed.code).toBe(0);
    expect(closed.stdout).toContain(
      '::notice title=Backend Architect::Nothing to do: nothing to review for pull_request.closed.',
    );
    const labeled = examplePayload('pull_request', 'labeled');
    expect((await step('pull_request', labeled)).stdout).toContain(
      'only the `skip-architect` label changes the review',
    );
    const onIssue = commentPayload(25, 'maria', '/architect review', 1);
    delete onIssue.issue.pull_request;
    expect((await step('issue_comment', onIssue)).code).toBe(0);
    const bad = await step('pull_request', payloadFor(25), {
      'fail-on': 'urgent',
    });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe(
      '::error title=Backend Architect::fail-on must be one of critical, high, medium, low (got "urgent")\n',
    );
    expect(github.requests.length).toBe(before);

    github.rejectedTokens.add('ghs_revoked');
    github.addPullRequest(pullRequest(25));
    const revoked = await step('pull_request', payloadFor(25), {
      'github-token': 'ghs_revoked',
    });
    expect(revoked.code).toBe(2);
    expect(revoked.stdout.trim().split('\n')).toEqual([
      '::error title=Backend Architect::GitHub rejected the token in the github-token input (401: Bad credentials); it is invalid or expired',
    ]);
  });
});
