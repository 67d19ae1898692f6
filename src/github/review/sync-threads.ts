import type { Logger } from '../../core/logger.ts';
import type { GitHubClient } from '../client/github-client.ts';
import { shortSha } from './review-job.ts';
import type { PullRequestRecord } from '../state/pull-request-record.ts';
import {
  listReviewThreads,
  updateReviewThreads,
  type ThreadUpdate,
} from './review-threads.ts';

/**
 * Replies "Fixed in …" and resolves the threads of fixed findings (by fingerprint); reopens the
 * threads of findings that came back.
 */
export async function syncReviewThreads(
  octokit: GitHubClient,
  target: { owner: string; repo: string; pullNumber: number },
  record: Pick<PullRequestRecord, 'findingComments'>,
  change: { resolve: readonly string[]; reopen: readonly string[] },
  headSha: string,
  logger: Logger,
): Promise<void> {
  const wanted = new Map<number, ThreadUpdate['action']>();
  for (const fp of change.resolve) {
    const comment = record.findingComments.get(fp);
    if (comment) wanted.set(comment.commentId, 'resolve');
  }
  for (const fp of change.reopen) {
    const comment = record.findingComments.get(fp);
    if (comment) wanted.set(comment.commentId, 'unresolve');
  }
  if (wanted.size === 0) return;
  const threads = await listReviewThreads(octokit, target);
  const updates: ThreadUpdate[] = [];
  for (const thread of threads) {
    const action =
      thread.firstCommentId === undefined
        ? undefined
        : wanted.get(thread.firstCommentId);
    // A thread already in the wanted state (resolved by hand, or by an earlier attempt) gets no second reply.
    if (action === 'resolve' && !thread.isResolved)
      updates.push({
        threadId: thread.id,
        action,
        reply: `Fixed in ${shortSha(headSha)}.`,
      });
    if (action === 'unresolve' && thread.isResolved)
      updates.push({
        threadId: thread.id,
        action,
        reply: `This came back in ${shortSha(headSha)}.`,
      });
  }
  if (updates.length > 0) await updateReviewThreads(octokit, updates);
  logger.info(
    {
      resolved: updates.filter((u) => u.action === 'resolve').length,
      reopened: updates.filter((u) => u.action === 'unresolve').length,
    },
    'review threads updated',
  );
}
