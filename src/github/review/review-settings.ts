import type { ConfigProblem } from '../../config/parse-config.ts';
import type { Config } from '../../config/schema.ts';
import type { ChangeSet } from '../../core/change-set.ts';
import { LENSES, type Lens } from '../../core/finding.ts';
import type { Logger } from '../../core/logger.ts';
import { scopeMatcher } from '../../core/scope.ts';
import type { GitHubClient } from '../client/github-client.ts';
import { loadRepoConfig } from '../repository/load-repo-config.ts';
import type { PullRequestInfo } from '../repository/pull-request-info.ts';
import { requestedByPerson, type ReviewJob } from './review-job.ts';
import { skipRequest } from './trust.ts';

/** Why a review ends with a skipped check run instead of reviewing. */
export interface ReviewEnding {
  title: string;
  reason: string;
}

export interface ReviewSettings {
  /** The repository's configuration, narrowed to the lens a command asked for. */
  config: Config;
  /** What was wrong with the configuration file; defaults were used instead. */
  problems: ConfigProblem[];
  /** Set when the review should not run: turned off, the skip label, a draft. */
  ending?: ReviewEnding;
}

/** Reads the repository's configuration and decides whether this pull request is reviewed at all. */
export async function loadReviewSettings(
  octokit: GitHubClient,
  job: ReviewJob,
  pr: PullRequestInfo,
  logger: Logger,
  signal: AbortSignal,
): Promise<ReviewSettings> {
  const parsed = await loadRepoConfig(octokit, job, signal);
  const config = narrowLenses(
    parsed.config,
    job.trigger.kind === 'command' ? job.trigger.lens : undefined,
  );
  if (parsed.problems.length > 0)
    logger.warn(
      { problems: parsed.problems },
      'invalid configuration; defaults used',
    );
  const ending = endingOf(config, job, pr);
  return { config, problems: parsed.problems, ...(ending ? { ending } : {}) };
}

function endingOf(
  config: Config,
  job: ReviewJob,
  pr: PullRequestInfo,
): ReviewEnding | undefined {
  if (!config.enabled)
    return {
      title: 'Review turned off',
      reason:
        'Backend Architect is turned off for this repository (`enabled: false`).',
    };
  const skip = skipRequest(pr);
  if (skip)
    return {
      title: 'Review skipped',
      reason: `${skip} Remove it to have the pull request reviewed.`,
    };
  // Drafts get a check run that says why nothing happened; `ready_for_review` starts the real review.
  if (pr.draft && !config.review_drafts && !requestedByPerson(job.trigger)) {
    return {
      title: 'Draft pull request',
      reason:
        'Draft pull request: the review runs when it is marked ready for review (or set `review_drafts: true` to review drafts).',
    };
  }
  return undefined;
}

/** Set when a complete file listing has no file under the configured paths. */
export function outOfScopeEnding(
  changeSet: ChangeSet,
  config: Config,
): ReviewEnding | undefined {
  if (!changeSet.listingComplete) return undefined;
  const inScope = scopeMatcher(config.paths);
  if (
    changeSet.files.some(
      (file) =>
        inScope(file.path) ||
        (file.previousPath !== undefined && inScope(file.previousPath)),
    )
  )
    return undefined;
  const count = changeSet.files.length;
  return {
    title: 'No backend changes',
    reason: `No backend files changed: none of the ${count} changed file${count === 1 ? ' is' : 's are'} under the configured paths.`,
  };
}

/** `/architect review <lens>` reviews through that lens only. */
function narrowLenses(config: Config, lens: Lens | undefined): Config {
  if (!lens) return config;
  return {
    ...config,
    lenses: Object.fromEntries(
      LENSES.map((l) => [l, l === lens && config.lenses[l]]),
    ) as Config['lenses'],
  };
}
