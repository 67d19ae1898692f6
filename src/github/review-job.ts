import type { GitHubClient } from './github-client.ts';
import type { PullRequestEvent } from './payloads.ts';

/** Everything a review needs from the webhook, captured before the webhook request returns. */
export interface ReviewJob {
  owner: string;
  repo: string;
  pullNumber: number;
  headSha: string;
  baseSha: string;
  title: string;
  body?: string;
  draft: boolean;
  /** What the pull request says it changes; GitHub lists at most 3000 files. */
  changedFiles?: number;
  installationId: number;
  /** Authenticated for the installation; kept because the job runs after the webhook returned. */
  octokit: GitHubClient;
}

export function reviewJobFrom(event: PullRequestEvent, octokit: GitHubClient): ReviewJob {
  const pr = event.pull_request;
  return {
    owner: event.repository.owner.login,
    repo: event.repository.name,
    pullNumber: pr.number,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    title: pr.title,
    body: pr.body ?? undefined,
    draft: pr.draft,
    changedFiles: pr.changed_files,
    installationId: event.installation.id,
    octokit,
  };
}

/** One live review per pull request: a newer push replaces the older review. */
export function jobKey(job: Pick<ReviewJob, 'owner' | 'repo' | 'pullNumber'>): string {
  return `${job.owner}/${job.repo}#${job.pullNumber}`.toLowerCase();
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}
