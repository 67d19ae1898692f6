import type { ParsedConfig, ConfigProblem } from '../config/parse-config.ts';
import type { Config } from '../config/schema.ts';
import type { ChangeSet } from '../core/change-set.ts';
import type { Logger } from '../core/logger.ts';
import type { Analyzer, ModelReviewer, SecretRedactor } from '../core/ports.ts';
import { reviewChangeSet } from '../core/review.ts';
import { scopeMatcher } from '../core/scope.ts';
import { checkRunOutput, skippedOutput } from '../report/check-run-output.ts';
import { configProblemsMarkdown } from '../report/config-problems.ts';
import { sanitizeInline } from '../report/sanitize.ts';
import { annotationsFor } from '../report/annotations.ts';
import { endingFor } from './abort-reasons.ts';
import { completeCheckRun, createCheckRun, type CheckRunRef, type CheckRunResult } from './check-run.ts';
import { messageOf } from './github-client.ts';
import { loadRepoConfig } from './load-repo-config.ts';
import { publishReview } from './publish-review.ts';
import { pullRequestChangeSet } from './pull-request-change-set.ts';
import { shortSha, type ReviewJob } from './review-job.ts';

export const DEFAULT_JOB_TIMEOUT_MS = 10 * 60_000;

export interface ReviewerOptions {
  model: string;
  maxOutputTokens: number;
  timeoutMs: number;
  logger: Logger;
}

/** What a review job needs besides the pull request; injected so tests can pass fakes. */
export interface JobDeps {
  /** Builds the model reviewer for the repository's config; undefined when no model is configured. */
  createReviewer(options: ReviewerOptions): ModelReviewer | undefined;
  analyzers: Analyzer[];
  redactor?: SecretRedactor;
  logger: Logger;
  jobTimeoutMs?: number;
  /** Total bytes of file contents one review may read. */
  readBudgetBytes?: number;
}

export interface JobOutcome {
  /** Undefined when not even the check run could be created. */
  conclusion?: CheckRunResult['conclusion'];
  title?: string;
  reviewPosted: boolean;
}

/**
 * One review of one pull request head: open the check run, read config, build the change set, run
 * the engine, post one review, complete the check run. Every path after the check run opens ends by
 * completing it with a conclusion and a reason.
 */
export async function runReviewJob(job: ReviewJob, deps: JobDeps, signal: AbortSignal): Promise<JobOutcome> {
  const timeoutMs = deps.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
  const jobSignal = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
  const logger = deps.logger;
  const { octokit, owner, repo } = job;
  const started = performance.now();

  let check: CheckRunRef;
  try {
    // Not tied to the job's signal: a check run GitHub created must be known, so it can be completed.
    check = await createCheckRun(octokit, { owner, repo, headSha: job.headSha });
  } catch (error) {
    // Nothing is left in progress on GitHub; the failure can only be logged.
    logger.error({ err: error }, 'could not create the check run; review abandoned');
    return { reviewPosted: false };
  }

  const state: { problems: ConfigProblem[]; reviewPosted: boolean } = { problems: [], reviewPosted: false };
  let result: CheckRunResult;
  try {
    result = await review(job, deps, check, state, jobSignal, started);
  } catch (error) {
    const ending = endingFor(error, jobSignal, timeoutMs);
    if (ending.conclusion === 'neutral') logger.error({ err: error }, 'review failed');
    else logger.info({ reason: ending.summary }, 'review stopped');
    result = { ...ending, summary: ending.summary + problemsNote(state.problems) };
  }

  await finish(job, check, result, logger);
  logger.info({ conclusion: result.conclusion, durationMs: Math.round(performance.now() - started) }, 'review job finished');
  return { conclusion: result.conclusion, title: result.title, reviewPosted: state.reviewPosted };
}

async function review(
  job: ReviewJob,
  deps: JobDeps,
  check: CheckRunRef,
  state: { problems: ConfigProblem[]; reviewPosted: boolean },
  signal: AbortSignal,
  started: number,
): Promise<CheckRunResult> {
  const logger = deps.logger;
  const parsed: ParsedConfig = await loadRepoConfig(job.octokit, job, signal);
  const config = parsed.config;
  state.problems = parsed.problems;
  if (parsed.problems.length > 0) logger.warn({ problems: parsed.problems }, 'invalid configuration; defaults used');

  if (!config.enabled) {
    return skipped('Review turned off', 'Backend Architect is turned off for this repository (`enabled: false`).', parsed.problems);
  }
  // Drafts get a check run that says why nothing happened; `ready_for_review` starts the real review.
  if (job.draft && !config.review_drafts) {
    return skipped('Draft pull request', 'Draft pull request: the review runs when it is marked ready for review (or set `review_drafts: true` to review drafts).', parsed.problems);
  }

  const changeSet = await pullRequestChangeSet(job, { maxFileBytes: config.limits.max_file_bytes, readBudgetBytes: deps.readBudgetBytes, logger, signal });
  if (changeSet.listingComplete && !hasFileInScope(changeSet, config)) {
    const count = changeSet.files.length;
    return skipped('No backend changes', `No backend files changed: none of the ${count} changed file${count === 1 ? ' is' : 's are'} under the configured paths.`, parsed.problems);
  }

  const reviewer = deps.createReviewer({
    model: config.model.name,
    maxOutputTokens: config.model.max_output_tokens,
    timeoutMs: config.model.timeout_seconds * 1000,
    logger,
  });
  const result = await reviewChangeSet(changeSet, config, { analyzers: deps.analyzers, reviewer, redactor: deps.redactor, logger, signal });
  logger.info({ findings: result.findings.length, gate: result.gate.conclusion, model: result.coverage.model.status, usage: result.usage }, 'review computed');
  // A newer push may have arrived while the engine ran; its review replaces this one.
  signal.throwIfAborted();

  let publishProblem = '';
  try {
    const published = await publishReview(job.octokit, job, result, { checkRunUrl: check.htmlUrl, logger, signal });
    state.reviewPosted = published.posted;
  } catch (error) {
    signal.throwIfAborted();
    logger.error({ err: error }, 'could not post the review');
    publishProblem = `> [!WARNING]\n> The review comments could not be posted (${sanitizeInline(messageOf(error), 1000)}); the findings are in this check run's annotations.\n\n`;
  }

  const output = checkRunOutput(result, { configProblems: parsed.problems, model: reviewer?.model, durationMs: Math.round(performance.now() - started) });
  return {
    conclusion: result.gate.conclusion,
    title: output.title,
    summary: publishProblem + output.summary,
    text: output.text,
    annotations: annotationsFor(result.findings),
  };
}

/** Completes the check run; if GitHub rejects the full output, completes it with the conclusion alone rather than leave it running. */
async function finish(job: ReviewJob, check: CheckRunRef, result: CheckRunResult, logger: Logger): Promise<void> {
  const target = { owner: job.owner, repo: job.repo, checkRunId: check.id };
  try {
    await completeCheckRun(job.octokit, target, result);
  } catch (error) {
    logger.error({ err: error }, 'could not complete the check run with its full output; retrying without details');
    try {
      await completeCheckRun(job.octokit, target, {
        conclusion: result.conclusion,
        title: result.title,
        summary: `${result.summary}\n\nThe full report could not be saved: ${sanitizeInline(messageOf(error), 1000)}`,
      });
    } catch (again) {
      logger.error({ err: again, checkRunId: check.id, headSha: shortSha(job.headSha) }, 'could not complete the check run');
    }
  }
}

function hasFileInScope(changeSet: ChangeSet, config: Config): boolean {
  const inScope = scopeMatcher(config.paths);
  return changeSet.files.some((file) => inScope(file.path) || (file.previousPath !== undefined && inScope(file.previousPath)));
}

function skipped(title: string, reason: string, problems: ConfigProblem[]): CheckRunResult {
  return { conclusion: 'skipped', title, summary: skippedOutput(reason).summary + problemsNote(problems) };
}

/** Config problems on paths that end before the full report is rendered. */
function problemsNote(problems: ConfigProblem[]): string {
  const markdown = configProblemsMarkdown(problems);
  return markdown === '' ? '' : `\n\n${markdown}`;
}
