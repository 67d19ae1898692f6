import type { Lens } from '../../core/finding.ts';
import type { GitHubClient } from '../client/github-client.ts';

/** What asked for a review; it decides how much is reviewed and how repeated requests are recognised. */
export type ReviewTrigger =
  /** A pull_request event for a head (opened, synchronize, reopened, ready_for_review). */
  | { kind: 'push'; headSha: string }
  /** The skip label was added or removed. */
  | { kind: 'label'; deliveryId: string }
  /** `/architect review [lens]` by someone with write access. */
  | { kind: 'command'; commentId: number; by: string; lens?: Lens }
  /** The Re-run or Re-review button of the check run (or its suite). */
  | { kind: 'rerun'; deliveryId: string; by: string };

/** One review of one pull request; everything else is read fresh from GitHub when it runs. */
export interface ReviewJob {
  owner: string;
  repo: string;
  pullNumber: number;
  installationId: number;
  trigger: ReviewTrigger;
  /** Authenticated for the installation; kept because the job runs after the webhook returned. */
  octokit: GitHubClient;
}

/** Names the request in the check run's `external_id`, so a repeated request is recognised. */
export function triggerKey(trigger: ReviewTrigger): string {
  switch (trigger.kind) {
    case 'push':
      return 'push';
    case 'label':
      return `label-${trigger.deliveryId}`;
    case 'command':
      return `command-${trigger.commentId}`;
    case 'rerun':
      return `rerun-${trigger.deliveryId}`;
  }
}

/** A person asked for this review, so it is full and may use the model on any pull request. */
export function requestedByPerson(trigger: ReviewTrigger): boolean {
  return trigger.kind === 'command' || trigger.kind === 'rerun';
}

/** One live review per pull request: a newer push replaces the older review. */
export function jobKey(
  job: Pick<ReviewJob, 'owner' | 'repo' | 'pullNumber'>,
): string {
  return `${job.owner}/${job.repo}#${job.pullNumber}`.toLowerCase();
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}
