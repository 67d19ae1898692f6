import type { Logger } from '../../core/logger.ts';
import { sanitizeInline } from '../../report/sanitize.ts';
import { messageOf, type GitHubClient } from '../client/github-client.ts';
import { completeWith, type CheckRunApi } from './check-run-api.ts';
import type { CheckRunResult } from './check-run.ts';

export interface CheckRunTarget {
  owner: string;
  repo: string;
  checkRunId: number;
}

/**
 * Completes the check run with the verdict and the first annotations. If GitHub rejects the full
 * output, completes it with the conclusion alone rather than leave it running; `full` says whether
 * the full output (and so the remaining annotations) can follow.
 */
export async function completeVerdict(
  checks: CheckRunApi,
  octokit: GitHubClient,
  target: CheckRunTarget,
  result: CheckRunResult,
  logger: Logger,
  pull: number,
): Promise<{ full: boolean }> {
  try {
    await checks.complete(octokit, target, result);
    return { full: true };
  } catch (error) {
    logger.error(
      { err: error },
      'could not complete the check run with its full output; retrying without details',
    );
    try {
      await completeWith(checks, octokit, target, {
        conclusion: result.conclusion,
        title: result.title,
        summary: `${result.summary}\n\nThe full report could not be saved: ${sanitizeInline(messageOf(error), 1000)}`,
        ...(result.externalId ? { externalId: result.externalId } : {}),
      });
    } catch (again) {
      logger.error(
        { err: again, checkRunId: target.checkRunId, pull },
        'could not complete the check run',
      );
    }
    return { full: false };
  }
}

/** The annotations after the first 50, once everything else is posted; a failure is only logged. */
export async function appendAnnotations(
  checks: CheckRunApi,
  octokit: GitHubClient,
  target: CheckRunTarget,
  result: CheckRunResult,
  logger: Logger,
): Promise<void> {
  await checks
    .appendAnnotations(octokit, target, result)
    .catch((error: unknown) =>
      logger.error({ err: error }, 'could not add the remaining annotations'),
    );
}
