import type { ConfigProblem } from '../../config/parse-config.ts';
import type { Logger } from '../../core/logger.ts';
import type { ReviewResult } from '../../core/review.ts';
import { endingFor } from './abort-reasons.ts';
import { externalId, planCheckRun } from '../checks/check-run-plan.ts';
import { CHECK_RUNS, completeWith, type CheckRunApi } from '../checks/check-run-api.ts';
import { rivalOf } from '../checks/check-run-race.ts';
import type { CheckRunRef, CheckRunResult } from '../checks/check-run.ts';
import { messageOf } from '../client/github-client.ts';
import type { AppIdentity, IdentityResolver } from '../client/identity.ts';
import { fetchPullRequest, type PullRequestInfo } from '../repository/pull-request-info.ts';
import { problemsNote, reviewPullRequest, type GitHubReviewDeps, type ReviewSummary } from './run-engine.ts';
import { shortSha, triggerKey, type ReviewJob } from './review-job.ts';
import { sanitizeInline } from '../../report/sanitize.ts';

export type { ReviewerOptions } from './run-engine.ts';

export const DEFAULT_JOB_TIMEOUT_MS = 10 * 60_000;

/** What a review job needs besides the pull request; injected so tests can pass fakes. */
export interface JobDeps extends GitHubReviewDeps {
  /** Who the app is, to recognise its own comments and check runs. */
  identity: IdentityResolver;
  jobTimeoutMs?: number;
}

export interface JobOutcome {
  /** `skipped`: nothing to do (closed, stale head, already reviewed); `failed`: no check run could be used. */
  status: 'done' | 'skipped' | 'failed';
  /** Why nothing was done, or what went wrong. */
  reason?: string;
  headSha?: string;
  conclusion?: CheckRunResult['conclusion'];
  title?: string;
  checkRunUrl?: string;
  review?: ReviewSummary;
  reviewPosted: boolean;
  /** What the engine found, with the gate the check run shows. */
  engine?: ReviewResult;
}

/**
 * One review of one pull request as it is now: read the pull request, find or open the head's
 * check run (skipping work already done or under way), review, and complete the check run. Every
 * path after the check run is known ends by completing it with a conclusion and a reason.
 */
export async function runReviewJob(job: ReviewJob, deps: JobDeps, signal: AbortSignal): Promise<JobOutcome> {
  const timeoutMs = deps.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
  const jobSignal = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
  const logger = deps.logger;
  const { octokit, owner, repo } = job;
  const started = performance.now();
  const checks = deps.checks ?? CHECK_RUNS;

  let check: CheckRunRef;
  let identity: AppIdentity;
  let pr: PullRequestInfo;
  try {
    identity = await deps.identity();
    pr = await fetchPullRequest(octokit, { owner, repo, pullNumber: job.pullNumber }, jobSignal);
    if (!pr.open) return skippedOutcome(logger, 'the pull request is closed');
    if (job.trigger.kind === 'push' && pr.headSha !== job.trigger.headSha.toLowerCase()) {
      return skippedOutcome(logger, `a newer commit (${shortSha(pr.headSha)}) was pushed since this event`);
    }
    const trigger = triggerKey(job.trigger);
    const runs = await checks.find(octokit, { owner, repo, headSha: pr.headSha, appId: identity.id }, jobSignal);
    const plan = planCheckRun({ runs, head: pr.headSha, trigger, oncePerHead: job.trigger.kind === 'push', now: Date.now(), staleAfterMs: timeoutMs });
    if (plan.action === 'skip') return skippedOutcome(logger, plan.reason, pr.headSha);
    if (plan.action === 'reuse') check = { id: plan.run.id, ...(plan.run.htmlUrl ? { htmlUrl: plan.run.htmlUrl } : {}) };
    else {
      // Not tied to the job's signal: a check run GitHub created must be known, so it can be completed.
      check = await checks.create(octokit, { owner, repo, headSha: pr.headSha, externalId: externalId({ head: pr.headSha, trigger, outcome: 'working' }) });
      const created = check;
      const rival = await checks.find(octokit, { owner, repo, headSha: pr.headSha, appId: identity.id }, jobSignal).then(
        (again) => rivalOf(again, created.id, pr.headSha, trigger, job.trigger.kind === 'push'),
        // Unable to look: review anyway; the fingerprint check before posting still prevents repeats.
        (error: unknown) => (logger.warn({ err: error }, 'could not look for a concurrent review'), undefined),
      );
      if (rival) return await mirrorRival(job, created, rival.id, deps, jobSignal, timeoutMs);
    }
  } catch (error) {
    // Nothing is left in progress on GitHub; the failure can only be logged.
    logger.error({ err: error }, 'could not start the review');
    return { status: 'failed', reason: messageOf(error), reviewPosted: false };
  }

  const problems: ConfigProblem[] = [];
  let result: CheckRunResult;
  let review: ReviewSummary | undefined;
  let afterCheck: (() => Promise<ReviewSummary>) | undefined;
  let engine: ReviewResult | undefined;
  try {
    ({ result, summary: review, afterCheck, engine } = await reviewPullRequest({ job, pr, identity, check, deps, signal: jobSignal, started, problems }));
  } catch (error) {
    const ending = endingFor(error, jobSignal, timeoutMs);
    if (ending.conclusion === 'neutral') logger.error({ err: error }, 'review failed');
    else logger.info({ reason: ending.summary }, 'review stopped');
    result = {
      ...ending,
      summary: ending.summary + problemsNote(problems),
      externalId: externalId({ head: pr.headSha, trigger: triggerKey(job.trigger), outcome: 'ended' }),
      rereview: true,
    };
  }

  // The verdict first; then the review, threads and summary comment; then any further annotations.
  const appendAnnotations = await finish(job, check, result, logger, checks);
  try {
    if (afterCheck) review = await afterCheck();
  } catch (error) {
    // The verdict is already on the check run; what did not get posted is posted by the next review.
    logger.error({ err: error }, 'posting after the verdict failed');
  } finally {
    await appendAnnotations().catch((error: unknown) => logger.error({ err: error }, 'could not add the remaining annotations'));
  }
  logger.info({ conclusion: result.conclusion, durationMs: Math.round(performance.now() - started) }, 'review job finished');
  return {
    status: 'done',
    headSha: pr.headSha,
    conclusion: result.conclusion,
    title: result.title,
    ...(check.htmlUrl ? { checkRunUrl: check.htmlUrl } : {}),
    ...(review ? { review } : {}),
    reviewPosted: review?.reviewPosted ?? false,
    ...(engine ? { engine } : {}),
  };
}

/** Another worker started the same review a moment earlier: wait for its verdict and repeat it on this run. */
async function mirrorRival(job: ReviewJob, check: CheckRunRef, rivalId: number, deps: JobDeps, signal: AbortSignal, timeoutMs: number): Promise<JobOutcome> {
  deps.logger.info({ rival: rivalId, own: check.id }, 'another worker is reviewing this head; mirroring its verdict');
  let result: CheckRunResult;
  try {
    result = await (deps.checks ?? CHECK_RUNS).verdictOf(job.octokit, { owner: job.owner, repo: job.repo, checkRunId: rivalId }, signal);
  } catch (error) {
    result = { ...endingFor(error, signal, timeoutMs), rereview: true };
  }
  await finish(job, check, result, deps.logger, deps.checks ?? CHECK_RUNS);
  return { status: 'skipped', reason: `check run ${rivalId} reviewed this head at the same time`, reviewPosted: false };
}

function skippedOutcome(logger: Logger, reason: string, headSha?: string): JobOutcome {
  logger.info({ reason }, 'review not needed');
  return { status: 'skipped', reason, ...(headSha ? { headSha } : {}), reviewPosted: false };
}

/** Completes the check run; if GitHub rejects the full output, completes it with the conclusion alone rather than leave it running. */
async function finish(job: ReviewJob, check: CheckRunRef, result: CheckRunResult, logger: Logger, checks: CheckRunApi): Promise<() => Promise<void>> {
  const target = { owner: job.owner, repo: job.repo, checkRunId: check.id };
  const nothing = async () => {};
  try {
    return await checks.completeFirst(job.octokit, target, result);
  } catch (error) {
    logger.error({ err: error }, 'could not complete the check run with its full output; retrying without details');
    try {
      await completeWith(checks, job.octokit, target, {
        conclusion: result.conclusion,
        title: result.title,
        summary: `${result.summary}\n\nThe full report could not be saved: ${sanitizeInline(messageOf(error), 1000)}`,
        ...(result.externalId ? { externalId: result.externalId } : {}),
      });
    } catch (again) {
      logger.error({ err: again, checkRunId: check.id, pull: job.pullNumber }, 'could not complete the check run');
    }
    return nothing;
  }
}
