import type { Config } from '../../config/schema.ts';
import type { ChangeSet } from '../../core/change-set.ts';
import type { Finding } from '../../core/finding.ts';
import type { Logger } from '../../core/logger.ts';
import type {
  Analyzer,
  ModelReviewer,
  SecretRedactor,
} from '../../core/ports.ts';
import { reviewChangeSet, type ReviewResult } from '../../core/review.ts';
import type { BudgetGuard } from '../../runtime/budget.ts';
import type { CheckRunApi } from '../checks/check-run-api.ts';
import type { GitHubClient } from '../client/github-client.ts';
import {
  needsComparison,
  selectReviewScope,
  type ReviewScope,
} from '../history/review-scope.ts';
import type { ReviewState } from '../history/review-state.ts';
import { compareCommits } from '../repository/compare-commits.ts';
import type { PullRequestInfo } from '../repository/pull-request-info.ts';
import { requestedByPerson, type ReviewJob } from './review-job.ts';
import { modelHold } from './trust.ts';

export interface ReviewerOptions {
  model: string;
  maxOutputTokens: number;
  timeoutMs: number;
  logger: Logger;
  /** The model of the verification pass; absent when verification is off. */
  verifyModel?: string;
}

/** What a review needs besides the pull request; injected so tests can pass fakes. */
export interface GitHubReviewDeps {
  createReviewer(options: ReviewerOptions): ModelReviewer | undefined;
  analyzers: Analyzer[];
  redactor?: SecretRedactor;
  logger: Logger;
  readBudgetBytes?: number;
  /** Where verdicts go; check runs unless the token cannot create them (see CheckRunApi). */
  checks?: CheckRunApi;
  /** Model spend limits; when one is spent the model does not run (whoever asked for the review). */
  budget?: BudgetGuard;
  /** Sees every computed review (metrics). */
  onReviewed?(findings: readonly Finding[], usage: ReviewResult['usage']): void;
}

export interface EngineInput {
  job: ReviewJob;
  pr: PullRequestInfo;
  config: Config;
  /** The stored state of the pull request, as the last review left it. */
  state: ReviewState;
  changeSet: ChangeSet;
  scope: ReviewScope;
  deps: GitHubReviewDeps;
  signal: AbortSignal;
}

export interface EngineRun {
  result: ReviewResult;
  /** The model that reviewed, for the usage line. */
  model?: string;
  /** Why the model waits for a maintainer, when it does. */
  hold?: string;
  /** Which model budget is spent, when one is: the model did not run. */
  spent?: string;
  /** The paths an incremental review sends to the model; undefined for a full review. */
  selection?: ReadonlySet<string>;
  /** What the model was given: the selection, or nothing while held. */
  modelPaths?: ReadonlySet<string>;
}

/**
 * How much this review looks at: everything, or what changed since the last reviewed head (which
 * takes one comparison of the two commits).
 */
export async function chooseScope(
  octokit: GitHubClient,
  job: ReviewJob,
  pr: PullRequestInfo,
  state: ReviewState,
  changeSet: ChangeSet,
  signal: AbortSignal,
): Promise<ReviewScope> {
  const base = {
    forceFull: requestedByPerson(job.trigger),
    lastHead: state.head,
    head: pr.headSha,
    stateTruncated: state.truncated === true,
  };
  const pullRequestPaths = new Set(changeSet.files.map((f) => f.path));
  if (!needsComparison(base))
    return selectReviewScope({ ...base, pullRequestPaths });
  const comparison = await compareCommits(
    octokit,
    { owner: job.owner, repo: job.repo, base: state.head!, head: pr.headSha },
    signal,
  );
  return selectReviewScope({ ...base, pullRequestPaths, comparison });
}

/**
 * The engine over the pull request: analyzers on every file, the model on the files of the scope
 * (and those it still owes), unless a maintainer has to ask for it first or a model budget is spent.
 */
export async function runEngine(input: EngineInput): Promise<EngineRun> {
  const { job, pr, config, state, changeSet, scope, deps, signal } = input;
  const logger = deps.logger;
  const reviewer = deps.createReviewer({
    model: config.model.name,
    maxOutputTokens: config.model.max_output_tokens,
    timeoutMs: config.model.timeout_seconds * 1000,
    logger,
    ...(config.model.verify ? { verifyModel: config.model.verify_model } : {}),
  });
  // Only a model that would run can be held back; without one the review says it is not configured.
  const hold =
    reviewer && config.model.enabled
      ? modelHold(pr, config, requestedByPerson(job.trigger))
      : undefined;
  const spent =
    reviewer && config.model.enabled && !hold && deps.budget
      ? await deps.budget.exhausted(
          {
            installationId: job.installationId,
            owner: job.owner,
            repo: job.repo,
          },
          config.budget,
          {
            usd: state.cost.usd,
            tokens: state.cost.inputTokens + state.cost.outputTokens,
          },
        )
      : undefined;
  if (spent)
    logger.warn(
      { budget: spent },
      'model budget spent; only the deterministic analyzers run',
    );
  const owed = new Set(state.unreviewed);
  const selection =
    scope.kind === 'incremental'
      ? new Set([
          ...scope.paths,
          ...[...owed].filter((p) => changeSet.files.some((f) => f.path === p)),
        ])
      : undefined;
  const modelPaths = hold || spent ? new Set<string>() : selection;

  const result = await reviewChangeSet(changeSet, config, {
    analyzers: deps.analyzers,
    reviewer,
    redactor: deps.redactor,
    logger,
    signal,
    ...(modelPaths ? { modelPaths } : {}),
  }).finally(() => changeSet.repository?.close());
  logger.info(
    {
      findings: result.findings.length,
      model: result.coverage.model.status,
      scope: scope.kind,
      usage: result.usage,
    },
    'review computed',
  );
  deps.onReviewed?.(result.findings, result.usage);
  await deps.budget
    ?.record(
      { installationId: job.installationId, owner: job.owner, repo: job.repo },
      result.usage,
    )
    .catch((error: unknown) =>
      logger.error({ err: error }, 'could not record model spend'),
    );
  return {
    result,
    ...(reviewer ? { model: reviewer.model } : {}),
    ...(hold ? { hold } : {}),
    ...(spent ? { spent } : {}),
    ...(selection ? { selection } : {}),
    ...(modelPaths ? { modelPaths } : {}),
  };
}
