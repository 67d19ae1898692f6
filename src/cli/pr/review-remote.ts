import type { ConfigProblem } from '../../config/parse-config.ts';
import type { Config } from '../../config/schema.ts';
import type { Logger } from '../../core/logger.ts';
import type {
  Analyzer,
  ModelReviewer,
  SecretRedactor,
} from '../../core/ports.ts';
import { reviewChangeSet, type ReviewResult } from '../../core/review.ts';
import { readExternalId } from '../../github/checks/check-run-plan.ts';
import { CHECK_RUNS } from '../../github/checks/check-run-api.ts';
import type { GitHubClient } from '../../github/client/github-client.ts';
import type { IdentityResolver } from '../../github/client/identity.ts';
import { loadRepoConfig } from '../../github/repository/load-repo-config.ts';
import { pullRequestChangeSet } from '../../github/repository/pull-request-change-set.ts';
import {
  fetchPullRequest,
  type PullRequestInfo,
} from '../../github/repository/pull-request-info.ts';
import type { ReviewTrigger } from '../../github/review/review-job.ts';
import type { ReviewerOptions } from '../../github/review/run-engine.ts';
import {
  runReviewJob,
  type JobDeps,
  type JobOutcome,
} from '../../github/review/run-review-job.ts';
import { modelHold, skipRequest } from '../../github/review/trust.ts';
import { applyOverrides } from '../load-config.ts';
import { checkRunsOrStatuses } from './commit-status-checks.ts';

export interface PullRequestTarget {
  owner: string;
  repo: string;
  pullNumber: number;
}

/** What a review of a pull request on GitHub needs besides the client; the same parts the app wires. */
export interface RemoteReviewDeps {
  analyzers: Analyzer[];
  redactor?: SecretRedactor;
  /** Undefined when the model cannot or may not run. */
  createReviewer(options: ReviewerOptions): ModelReviewer | undefined;
  logger: Logger;
  signal: AbortSignal;
}

export interface RemoteReport {
  pr: PullRequestInfo;
  result: ReviewResult;
  config: Config;
  configProblems: ConfigProblem[];
  /** Why the app would not review this pull request (turned off, skip label, draft), if it would not. */
  skip?: string;
  /** Why the model was held back (fork or new author, for untrusted runs). */
  hold?: string;
}

/**
 * Reviews a pull request on GitHub without writing anything: the app's reading code (pull request,
 * config from the default branch, every page of files, contents at base and head) and the engine.
 * `trusted` says whether the model may run for any author, as when a person with the key asks for
 * the review; untrusted runs hold the model back for forks and new authors, like the app.
 */
export async function reviewWithoutPosting(
  octokit: GitHubClient,
  target: PullRequestTarget,
  options: { trusted: boolean },
  deps: RemoteReviewDeps,
): Promise<RemoteReport> {
  const { logger, signal } = deps;
  const pr = await fetchPullRequest(octokit, target, signal);
  const parsed = await loadRepoConfig(octokit, target, signal);
  const config = applyOverrides(parsed.config, { model: true });
  const changeSet = await pullRequestChangeSet(
    { octokit, owner: target.owner, repo: target.repo, pr },
    { maxFileBytes: config.limits.max_file_bytes, logger, signal },
  );
  const hold = modelHold(pr, config, options.trusted);
  const reviewer =
    config.model.enabled && !hold
      ? deps.createReviewer({
          model: config.model.name,
          maxOutputTokens: config.model.max_output_tokens,
          timeoutMs: config.model.timeout_seconds * 1000,
          logger,
        })
      : undefined;
  const result = await reviewChangeSet(changeSet, config, {
    analyzers: deps.analyzers,
    reviewer,
    redactor: deps.redactor,
    logger,
    signal,
  });
  const skip = !config.enabled
    ? 'the repository turned the review off (`enabled: false`)'
    : (skipRequest(pr) ??
      (pr.draft && !config.review_drafts ? 'it is a draft' : undefined));
  return {
    pr,
    result,
    config,
    configProblems: parsed.problems,
    ...(skip ? { skip } : {}),
    ...(hold && config.model.enabled ? { hold } : {}),
  };
}

export interface PostOutcome {
  job: JobOutcome;
  /** The conclusion the head's check run (or status) shows, also when this run found it already reviewed. */
  conclusion?: string;
}

/**
 * What the app's review job needs for a token run: the same parts, this token's identity, and
 * check runs that fall back to a commit status where the token cannot create them. `targetUrl` is
 * where such a status links (the pull request, or the Actions run).
 */
export function tokenJobDeps(
  deps: RemoteReviewDeps,
  identity: IdentityResolver,
  targetUrl: string,
): JobDeps {
  return {
    analyzers: deps.analyzers,
    ...(deps.redactor ? { redactor: deps.redactor } : {}),
    createReviewer: deps.createReviewer,
    logger: deps.logger,
    identity,
    checks: checkRunsOrStatuses({ identity, targetUrl, logger: deps.logger }),
  };
}

/**
 * Reviews and publishes through the app's own review job: the check run, one review, thread
 * resolution and the summary comment, with the same hidden markers, so a second run on the same
 * head finds its earlier verdict and posts nothing.
 */
export async function reviewAndPost(
  octokit: GitHubClient,
  target: PullRequestTarget & { trigger: ReviewTrigger },
  deps: JobDeps,
  signal: AbortSignal,
): Promise<PostOutcome> {
  const job = await runReviewJob(
    {
      owner: target.owner,
      repo: target.repo,
      pullNumber: target.pullNumber,
      installationId: 0,
      trigger: target.trigger,
      octokit,
    },
    deps,
    signal,
  );
  return { job, ...(await verdictFor(octokit, target, job, deps)) };
}

/** The verdict a review job left, or for a job with nothing left to do, the one the head already shows. */
export async function verdictFor(
  octokit: GitHubClient,
  target: PullRequestTarget,
  job: JobOutcome,
  deps: JobDeps,
): Promise<{ conclusion?: string }> {
  if (job.status !== 'skipped' || !job.headSha)
    return job.conclusion ? { conclusion: job.conclusion } : {};
  const { id } = await deps.identity();
  const runs = await (deps.checks ?? CHECK_RUNS).find(octokit, {
    owner: target.owner,
    repo: target.repo,
    headSha: job.headSha,
    appId: id,
  });
  const reviewed = runs.find(
    (run) =>
      run.status === 'completed' &&
      run.conclusion &&
      readExternalId(run.externalId)?.head === job.headSha,
  );
  return reviewed?.conclusion ? { conclusion: reviewed.conclusion } : {};
}

/** Exit code 1 for the conclusions branch protection blocks on. */
export function blocks(conclusion: string | undefined): boolean {
  return conclusion === 'failure' || conclusion === 'action_required';
}
