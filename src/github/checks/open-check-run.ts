import type { Logger } from '../../core/logger.ts';
import type { AppIdentity, IdentityResolver } from '../client/identity.ts';
import {
  fetchPullRequest,
  type PullRequestInfo,
} from '../repository/pull-request-info.ts';
import { shortSha, triggerKey, type ReviewJob } from '../review/review-job.ts';
import type { CheckRunApi } from './check-run-api.ts';
import { externalId, planCheckRun } from './check-run-plan.ts';
import { rivalOf } from './check-run-race.ts';
import type { CheckRunRef } from './check-run.ts';

export interface OpenInput {
  job: ReviewJob;
  identity: IdentityResolver;
  checks: CheckRunApi;
  logger: Logger;
  signal: AbortSignal;
  /** A run in progress for longer than this is taken to be abandoned. */
  staleAfterMs: number;
  /**
   * Called once the head is known to need this review, before its check run is created or reused,
   * so the review's reads can run alongside the check run's requests.
   */
  onReview?: (pr: PullRequestInfo, identity: AppIdentity) => void;
}

export type Opened =
  /** Review this head on this check run. */
  | {
      kind: 'open';
      pr: PullRequestInfo;
      identity: AppIdentity;
      check: CheckRunRef;
    }
  /** Nothing to do: closed, stale head, already reviewed or under way. */
  | { kind: 'skip'; reason: string; headSha?: string }
  /** Another worker opened a run for the same request a moment earlier; `check` repeats its verdict. */
  | { kind: 'rival'; pr: PullRequestInfo; check: CheckRunRef; rivalId: number };

/**
 * Reads the pull request and finds or opens its head's check run: reuses a run of the same request,
 * skips work done or under way, and after creating a run looks once more for a concurrent one.
 * Throws only while no check run of this job exists on GitHub.
 */
export async function openCheckRun(input: OpenInput): Promise<Opened> {
  const { job, checks, logger, signal } = input;
  const { octokit, owner, repo } = job;
  const identity = await input.identity();
  const trigger = triggerKey(job.trigger);
  const oncePerHead = job.trigger.kind === 'push';
  const runsOf = (headSha: string) =>
    checks.find(octokit, { owner, repo, headSha, appId: identity.id }, signal);
  // A push names its head: its check runs are listed while the pull request is read. Both are
  // awaited, so no request of a skipped job outlives it.
  const pushed =
    job.trigger.kind === 'push' ? job.trigger.headSha.toLowerCase() : undefined;
  const [read, listed] = await Promise.allSettled([
    fetchPullRequest(
      octokit,
      { owner, repo, pullNumber: job.pullNumber },
      signal,
    ),
    pushed ? runsOf(pushed) : Promise.resolve(undefined),
  ]);
  if (read.status === 'rejected') throw read.reason;
  const pr = read.value;
  if (!pr.open) return { kind: 'skip', reason: 'the pull request is closed' };
  if (pushed !== undefined && pr.headSha !== pushed) {
    return {
      kind: 'skip',
      reason: `a newer commit (${shortSha(pr.headSha)}) was pushed since this event`,
    };
  }
  if (listed.status === 'rejected') throw listed.reason;
  const runs = listed.value ?? (await runsOf(pr.headSha));
  const plan = planCheckRun({
    runs,
    head: pr.headSha,
    trigger,
    oncePerHead,
    now: Date.now(),
    staleAfterMs: input.staleAfterMs,
  });
  if (plan.action === 'skip')
    return { kind: 'skip', reason: plan.reason, headSha: pr.headSha };
  input.onReview?.(pr, identity);
  if (plan.action === 'reuse')
    return {
      kind: 'open',
      pr,
      identity,
      check: {
        id: plan.run.id,
        ...(plan.run.htmlUrl ? { htmlUrl: plan.run.htmlUrl } : {}),
      },
    };
  // Not tied to the job's signal: a check run GitHub created must be known, so it can be completed.
  const check = await checks.create(octokit, {
    owner,
    repo,
    headSha: pr.headSha,
    externalId: externalId({ head: pr.headSha, trigger, outcome: 'working' }),
  });
  const rival = await runsOf(pr.headSha).then(
    (again) => rivalOf(again, check.id, pr.headSha, trigger, oncePerHead),
    // Unable to look: review anyway; the fingerprint check before posting still prevents repeats.
    (error: unknown) => (
      logger.warn({ err: error }, 'could not look for a concurrent review'),
      undefined
    ),
  );
  if (rival) return { kind: 'rival', pr, check, rivalId: rival.id };
  return { kind: 'open', pr, identity, check };
}
