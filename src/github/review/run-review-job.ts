import type { ConfigProblem } from '../../config/parse-config.ts';
import type { Logger } from '../../core/logger.ts';
import type { ReviewResult } from '../../core/review.ts';
import { CHECK_RUNS, type CheckRunApi } from '../checks/check-run-api.ts';
import type { CheckRunResult } from '../checks/check-run.ts';
import {
  appendAnnotations,
  completeVerdict,
} from '../checks/complete-verdict.ts';
import { openCheckRun } from '../checks/open-check-run.ts';
import { messageOf } from '../client/github-client.ts';
import { yieldSlot } from '../queue/review-queue.ts';
import type { IdentityResolver } from '../client/identity.ts';
import type { PullRequestInfo } from '../repository/pull-request-info.ts';
import type { PullRequestRecord } from '../state/pull-request-record.ts';
import { saveReviewState } from '../state/save-review-state.ts';
import { endingFor } from './abort-reasons.ts';
import {
  decide,
  ended,
  settledState,
  stopped,
  summaryOf,
  type Decision,
  type Ending,
  type ReviewSummary,
} from './decide.ts';
import { notePostingProblems, postReview, syncThreads } from './post-review.ts';
import type { ReviewJob } from './review-job.ts';
import { startHeadReads, type HeadReads } from './head-reads.ts';
import { outOfScopeEnding } from './review-settings.ts';
import { runEngine, type GitHubReviewDeps } from './run-engine.ts';

export type { ReviewerOptions } from './run-engine.ts';
export type { ReviewSummary } from './decide.ts';

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

/** One job's surroundings: its signal (the caller's, plus the job timeout), where verdicts go, and when it started. */
interface JobRun {
  job: ReviewJob;
  deps: JobDeps;
  logger: Logger;
  checks: CheckRunApi;
  signal: AbortSignal;
  timeoutMs: number;
  started: number;
}

/**
 * One review of one pull request as it is now, as one sequence of steps; each step is a call into
 * a module that returns data. Every path after the check run is known ends by completing it with a
 * conclusion and a reason.
 *
 * GitHub writes, in this order (reads happen in between):
 * 1. the check run is created `in_progress` (unless a run of the same request is reused);
 * 2. the check run is completed: conclusion, title, summary, the first 50 annotations. This is the
 *    verdict a required check waits for, so it goes out first, as if posting will succeed;
 * 3. the pull-request review with the new findings' inline comments;
 * 4. the threads of fixed and returning findings are replied to and resolved or reopened;
 * 5. only if 3 or 4 failed: the check run's summary gets a warning saying so;
 * 6. the summary comment is created or edited, carrying the stored state;
 * 7. the annotations after the first 50 are appended, 50 per update.
 * A head that is not reviewed (turned off, skipped, draft, nothing in scope, failed, cancelled)
 * gets writes 1 and 2 only. GitHub paces writes about a second apart, so the order is what a
 * reader of the pull request sees happen.
 */
export async function runReviewJob(
  job: ReviewJob,
  deps: JobDeps,
  signal: AbortSignal,
): Promise<JobOutcome> {
  const run = startJob(job, deps, signal);
  const { logger, checks } = run;
  const { octokit, owner, repo } = job;

  // 1. Open or reuse the head's check run, or stop: closed, stale head, done or under way elsewhere.
  //    Once the head needs reviewing, its reads (steps 2–3) start alongside the check run's requests.
  let reads: HeadReads | undefined;
  const opened = await openCheckRun({
    job,
    identity: deps.identity,
    checks,
    logger,
    signal: run.signal,
    staleAfterMs: run.timeoutMs,
    onReview: (pr, identity) =>
      (reads = startHeadReads(job, pr, identity, deps, logger, run.signal)),
  }).catch((error: unknown) => {
    // Nothing is left in progress on GitHub; the failure can only be logged.
    logger.error({ err: error }, 'could not start the review');
    return { kind: 'failed' as const, reason: messageOf(error) };
  });
  if (opened.kind !== 'open') reads?.cancel();
  if (opened.kind === 'failed')
    return { status: 'failed', reason: opened.reason, reviewPosted: false };
  if (opened.kind === 'skip')
    return skippedOutcome(logger, opened.reason, opened.headSha);
  if (opened.kind === 'rival')
    return await mirrorRival(run, opened.check.id, opened.rivalId);
  const { pr, identity, check } = opened;
  const target = { owner, repo, checkRunId: check.id };

  // 2–5. Load config and history, build the change set, run the engine, decide.
  const decision = await reviewHead(
    run,
    pr,
    check,
    reads ?? startHeadReads(job, pr, identity, deps, logger, run.signal),
  );

  // 6. Complete the check run with the verdict.
  const completed = await completeVerdict(
    checks,
    octokit,
    target,
    decision.result,
    logger,
    job.pullNumber,
  );
  // What is left is writing, at the installation's pace: another review may start meanwhile.
  yieldSlot();

  let review = decision.kind === 'ended' ? decision.summary : undefined;
  if (decision.kind === 'reviewed') {
    const pull = { owner, repo, pullNumber: pr.number };
    const record = { ...pull, botLogin: identity.login };
    // 7. Post the review with the new findings.
    const posting = await postReview(octokit, record, pr, decision, {
      checkRunUrl: check.htmlUrl,
      logger,
    });
    // 8. Sync the threads of fixed and returning findings.
    const threads = await syncThreads(
      octokit,
      pull,
      decision.history,
      decision,
      pr.headSha,
      logger,
    );
    await notePostingProblems(
      checks,
      octokit,
      target,
      decision.report,
      [posting, threads],
      logger,
    );
    // 9. Update the summary comment, which carries the state for the next review.
    await saveReviewState(
      octokit,
      pull,
      decision.history.summary,
      settledState(decision, posting.published, threads.synced),
      decision.report,
    ).catch((error: unknown) =>
      logger.error(
        { err: error },
        'could not save the summary comment; the next review writes it',
      ),
    );
    review = summaryOf(decision, posting.published);
  }

  // 10. Append the remaining annotations.
  if (completed.full)
    await appendAnnotations(checks, octokit, target, decision.result, logger);

  logger.info(
    {
      conclusion: decision.result.conclusion,
      durationMs: Math.round(performance.now() - run.started),
    },
    'review job finished',
  );
  return {
    status: 'done',
    headSha: pr.headSha,
    conclusion: decision.result.conclusion,
    title: decision.result.title,
    ...(check.htmlUrl ? { checkRunUrl: check.htmlUrl } : {}),
    ...(review ? { review } : {}),
    reviewPosted: review?.reviewPosted ?? false,
    ...(decision.kind === 'reviewed' ? { engine: decision.engine } : {}),
  };
}

type Reviewed = Decision & {
  history: PullRequestRecord;
};

/**
 * Steps 2–5 of the job: whether to review, what changed and what was said before, the engine, and
 * the decision. A failure or a stop (newer push, shutdown, timeout) becomes an ending for the check run.
 */
async function reviewHead(
  run: JobRun,
  pr: PullRequestInfo,
  check: { id: number; htmlUrl?: string },
  reads: HeadReads,
): Promise<Reviewed | Ending> {
  const { job, deps, logger, signal } = run;
  let problems: ConfigProblem[] = [];
  try {
    // 2. The config, which may end the review here ...
    const settings = await reads.settings;
    problems = settings.problems;
    if (settings.ending) return ended(job, pr, settings.ending, problems);
    const { config } = settings;
    // 3. ... the history, and the change set whose head contents are being read.
    const [history, changeSet] = await Promise.all([
      reads.history,
      reads.changeSet,
    ]);
    const outside = outOfScopeEnding(changeSet, config);
    if (outside) return ended(job, pr, outside, problems);

    // 4. Run the engine over the scope since the last reviewed head.
    const scope = await reads.scope;
    const engine = await runEngine({
      job,
      pr,
      config,
      state: history.state,
      changeSet,
      scope,
      deps,
      signal,
    });
    // A newer push may have arrived while the engine ran; its review replaces this one. From here on
    // the writes run to the end, so the state on GitHub stays consistent.
    signal.throwIfAborted();

    // 5. Decide: reconcile with the history, gate, and render the report.
    const decision = decide({
      job,
      pr,
      check,
      config,
      problems,
      record: history,
      changeSet,
      scope,
      engine,
      durationMs: Math.round(performance.now() - run.started),
    });
    return { ...decision, history };
  } catch (error) {
    const ending = endingFor(error, signal, run.timeoutMs);
    if (ending.conclusion === 'neutral')
      logger.error({ err: error }, 'review failed');
    else logger.info({ reason: ending.summary }, 'review stopped');
    return stopped(job, pr, ending, problems);
  } finally {
    // Nothing reads the pull request's files after the engine: reads still under way are dropped.
    reads.cancel();
  }
}

function startJob(job: ReviewJob, deps: JobDeps, signal: AbortSignal): JobRun {
  const timeoutMs = deps.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
  return {
    job,
    deps,
    logger: deps.logger,
    checks: deps.checks ?? CHECK_RUNS,
    signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    timeoutMs,
    started: performance.now(),
  };
}

/** Another worker started the same review a moment earlier: wait for its verdict and repeat it on this run. */
async function mirrorRival(
  run: JobRun,
  checkRunId: number,
  rivalId: number,
): Promise<JobOutcome> {
  const { job, logger, checks, signal } = run;
  logger.info(
    { rival: rivalId, own: checkRunId },
    'another worker is reviewing this head; mirroring its verdict',
  );
  const target = { owner: job.owner, repo: job.repo, checkRunId };
  const result: CheckRunResult = await checks
    .verdictOf(
      job.octokit,
      { owner: job.owner, repo: job.repo, checkRunId: rivalId },
      signal,
    )
    .catch((error: unknown) => ({
      ...endingFor(error, signal, run.timeoutMs),
      rereview: true,
    }));
  await completeVerdict(
    checks,
    job.octokit,
    target,
    result,
    logger,
    job.pullNumber,
  );
  return {
    status: 'skipped',
    reason: `check run ${rivalId} reviewed this head at the same time`,
    reviewPosted: false,
  };
}

function skippedOutcome(
  logger: Logger,
  reason: string,
  headSha?: string,
): JobOutcome {
  logger.info({ reason }, 'review not needed');
  return {
    status: 'skipped',
    reason,
    ...(headSha ? { headSha } : {}),
    reviewPosted: false,
  };
}
