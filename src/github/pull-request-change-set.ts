import type { ChangeSet } from '../core/change-set.ts';
import type { Logger } from '../core/logger.ts';
import { githubContentReader } from './github-content-reader.ts';
import { listPullRequestFiles } from './list-pull-request-files.ts';
import type { ReviewJob } from './review-job.ts';

export interface ChangeSetOptions {
  maxFileBytes: number;
  readBudgetBytes?: number;
  logger?: Logger;
  signal?: AbortSignal;
}

/** The engine's view of a pull request: its files and patches from GitHub, contents read on demand. */
export async function pullRequestChangeSet(job: ReviewJob, options: ChangeSetOptions): Promise<ChangeSet> {
  const { octokit, owner, repo, pullNumber } = job;
  const listing = await listPullRequestFiles(octokit, { owner, repo, pullNumber }, options.signal);
  const claimed = job.changedFiles ?? listing.files.length;
  const listingComplete = !listing.reachedLimit && claimed <= listing.files.length;
  return {
    // Untrusted: whoever opened the pull request wrote these.
    title: job.title,
    description: job.body,
    baseSha: job.baseSha,
    headSha: job.headSha,
    files: listing.files,
    listingComplete,
    totalFiles: Math.max(claimed, listing.files.length),
    contents: githubContentReader(octokit, {
      owner,
      repo,
      baseSha: job.baseSha,
      headSha: job.headSha,
      maxFileBytes: options.maxFileBytes,
      budgetBytes: options.readBudgetBytes,
      logger: options.logger,
      signal: options.signal,
    }),
  };
}
