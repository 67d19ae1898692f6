import type { ChangeSet } from '../../core/change-set.ts';
import { addedFileContent } from '../../core/diff/added-file-content.ts';
import type { Logger } from '../../core/logger.ts';
import type { GitHubClient } from '../client/github-client.ts';
import { githubContentReader } from './github-content-reader.ts';
import { githubRepositoryView } from './github-repository-view.ts';
import {
  listPullRequestFiles,
  type FileListing,
} from './list-pull-request-files.ts';
import type { PullRequestInfo } from './pull-request-info.ts';

export interface ChangeSetOptions {
  maxFileBytes: number;
  readBudgetBytes?: number;
  logger?: Logger;
  signal?: AbortSignal;
}

export interface ChangeSetTarget {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  pr: Pick<
    PullRequestInfo,
    'number' | 'headSha' | 'baseSha' | 'title' | 'body' | 'changedFiles'
  >;
}

/** The engine's view of a pull request: its files and patches from GitHub, contents read on demand. */
export async function pullRequestChangeSet(
  target: ChangeSetTarget,
  options: ChangeSetOptions,
): Promise<ChangeSet> {
  const { octokit, owner, repo, pr } = target;
  const listing = await listPullRequestFiles(
    octokit,
    { owner, repo, pullNumber: pr.number },
    {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(pr.changedFiles !== undefined
        ? { expectedFiles: pr.changedFiles }
        : {}),
    },
  );
  return changeSetOf(target, listing, options);
}

/** The change set of a listing already read; contents are read on demand (and cached). */
export function changeSetOf(
  target: ChangeSetTarget,
  listing: FileListing,
  options: ChangeSetOptions,
): ChangeSet {
  const { octokit, owner, repo, pr } = target;
  const claimed = pr.changedFiles ?? listing.files.length;
  const listingComplete =
    !listing.reachedLimit && claimed <= listing.files.length;
  const contents = githubContentReader(octokit, {
    owner,
    repo,
    baseSha: pr.baseSha,
    headSha: pr.headSha,
    maxFileBytes: options.maxFileBytes,
    budgetBytes: options.readBudgetBytes,
    logger: options.logger,
    signal: options.signal,
    absent: {
      base: new Set(
        listing.files.filter((f) => f.status === 'added').map((f) => f.path),
      ),
      head: new Set(
        listing.files.filter((f) => f.status === 'removed').map((f) => f.path),
      ),
    },
    addedFiles: new Map(
      listing.files.flatMap((file) => {
        const content =
          file.status === 'added' ? addedFileContent(file.patch) : undefined;
        return content === undefined ? [] : [[file.path, content] as const];
      }),
    ),
  });
  return {
    // Untrusted: whoever opened the pull request wrote these.
    title: pr.title,
    description: pr.body,
    baseSha: pr.baseSha,
    headSha: pr.headSha,
    files: listing.files,
    listingComplete,
    totalFiles: Math.max(claimed, listing.files.length),
    contents,
    // Fetched only when a tool or a cross-check first asks; the caller closes it after the review.
    repository: githubRepositoryView(octokit, {
      owner,
      repo,
      headSha: pr.headSha,
      maxFileBytes: options.maxFileBytes,
      contents,
      logger: options.logger,
      signal: options.signal,
    }),
  };
}
