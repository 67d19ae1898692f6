import type { Context } from 'probot';
import { z } from 'zod';
import { REREVIEW_ACTION, CHECK_RUN_NAME } from '../checks/check-run.ts';
import { canWrite } from '../commands/command-source.ts';
import { requestSignal, type GitHubClient } from '../client/github-client.ts';
import type { IdentityResolver } from '../client/identity.ts';
import { parseCheckRunEvent, parseCheckSuiteEvent } from './payloads.ts';
import type { ReviewQueue } from '../queue/review-queue.ts';
import { jobKey, shortSha, type ReviewJob } from '../review/review-job.ts';
import {
  enqueueReview,
  NotAcceptingError,
  type RunJob,
} from '../queue/enqueue-review.ts';

interface RerunRequest {
  owner: string;
  repo: string;
  installationId: number;
  headSha: string;
  pullNumbers: number[];
  by: string;
  appId?: number;
}

/** The Re-run button of the "Backend Architect" check run, and its Re-review button. */
export function checkRunHandler(
  queue: ReviewQueue,
  runJob: RunJob,
  identity: IdentityResolver,
) {
  return async (
    context: Context<'check_run.rerequested' | 'check_run.requested_action'>,
  ): Promise<void> => {
    const checked = parseCheckRunEvent(context.payload);
    if (!checked.ok) {
      context.log.warn(
        { event: context.name, id: context.id, problems: checked.problems },
        'ignored a check_run payload that does not match the expected shape',
      );
      return;
    }
    const { check_run: run, action, requested_action } = checked.event;
    if (run.name !== CHECK_RUN_NAME) return;
    if (
      action === 'requested_action' &&
      requested_action?.identifier !== REREVIEW_ACTION.identifier
    )
      return;
    await rerun(
      context,
      queue,
      runJob,
      identity,
      rerunRequest(checked.event, run),
    );
  };
}

/** "Re-run all checks" of the suite. */
export function checkSuiteHandler(
  queue: ReviewQueue,
  runJob: RunJob,
  identity: IdentityResolver,
) {
  return async (context: Context<'check_suite.rerequested'>): Promise<void> => {
    const checked = parseCheckSuiteEvent(context.payload);
    if (!checked.ok) {
      context.log.warn(
        { event: context.name, id: context.id, problems: checked.problems },
        'ignored a check_suite payload that does not match the expected shape',
      );
      return;
    }
    const { check_suite: suite } = checked.event;
    await rerun(
      context,
      queue,
      runJob,
      identity,
      rerunRequest(checked.event, suite),
    );
  };
}

/** What a re-run asks for: the commit of the check run or suite, its pull requests, and who pressed the button. */
function rerunRequest(
  event: {
    repository: { owner: { login: string }; name: string };
    installation: { id: number };
    sender: { login: string };
  },
  checked: {
    head_sha: string;
    pull_requests: ReadonlyArray<{ number: number }>;
    app?: { id: number } | null;
  },
): RerunRequest {
  return {
    owner: event.repository.owner.login,
    repo: event.repository.name,
    installationId: event.installation.id,
    headSha: checked.head_sha.toLowerCase(),
    pullNumbers: checked.pull_requests.map((p) => p.number),
    by: event.sender.login,
    ...(checked.app ? { appId: checked.app.id } : {}),
  };
}

/**
 * Queues a full review of each open pull request whose head is the re-run commit. The checks run
 * in the queue, not in the webhook request: re-running spends the AI budget, so it takes write
 * access (as GitHub's own button does), and only this app's runs count.
 */
async function rerun(
  context: { octokit: unknown; log: Context['log']; id: string },
  queue: ReviewQueue,
  runJob: RunJob,
  identity: IdentityResolver,
  request: RerunRequest,
): Promise<void> {
  const octokit = context.octokit as GitHubClient;
  const log = context.log;
  const result = queue.enqueue({
    key: `${request.owner}/${request.repo}@${request.headSha}/rerun`.toLowerCase(),
    label: `re-run of ${shortSha(request.headSha)} by ${request.by}`,
    workId: `delivery:${context.id}`,
    run: async () => {
      const app = await identity();
      if (request.appId !== undefined && request.appId !== app.id) return;
      if (
        !(await canWrite(octokit, {
          owner: request.owner,
          repo: request.repo,
          user: request.by,
        }))
      ) {
        log.info(
          { by: request.by },
          're-run requested by someone without write access; ignored',
        );
        return;
      }
      // Check payloads leave out pull requests from forks; ask for the commit's pull requests then.
      const numbers =
        request.pullNumbers.length > 0
          ? request.pullNumbers
          : await pullRequestsOf(octokit, request);
      if (numbers.length === 0)
        log.info(
          { head: shortSha(request.headSha) },
          're-run of a commit with no open pull request; nothing to review',
        );
      for (const pullNumber of numbers) {
        const job: ReviewJob = {
          owner: request.owner,
          repo: request.repo,
          pullNumber,
          installationId: request.installationId,
          trigger: { kind: 'rerun', deliveryId: context.id, by: request.by },
          octokit,
        };
        enqueueReview(queue, runJob, job, {
          label: `${jobKey(job)} @ ${shortSha(request.headSha)} (re-run by ${request.by})`,
          replaceable: false,
        });
        log.info({ pull: jobKey(job), by: request.by }, 're-review queued');
      }
    },
  });
  if (result === 'closed') throw new NotAcceptingError();
}

const CommitPullsSchema = z.array(
  z.object({
    number: z.int().positive(),
    state: z.string(),
    head: z.object({ sha: z.string() }),
  }),
);

async function pullRequestsOf(
  octokit: GitHubClient,
  request: RerunRequest,
): Promise<number[]> {
  const { data } = await octokit.request(
    'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls',
    {
      owner: request.owner,
      repo: request.repo,
      commit_sha: request.headSha,
      request: { signal: requestSignal(undefined) },
    },
  );
  const parsed = CommitPullsSchema.safeParse(data);
  if (!parsed.success) return [];
  return parsed.data
    .filter(
      (p) => p.state === 'open' && p.head.sha.toLowerCase() === request.headSha,
    )
    .map((p) => p.number);
}
