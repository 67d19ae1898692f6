import { z } from 'zod';
import {
  requestSignal,
  statusOf,
  type GitHubClient,
} from '../client/github-client.ts';

/** Where a command was written, so the answer goes to the same place. */
export interface CommandSource {
  owner: string;
  repo: string;
  pullNumber: number;
  commentId: number;
  /** A pull request conversation comment, or a comment on the diff (possibly in a thread). */
  where: 'issue' | 'review';
  /** For diff comments: the first comment of the thread, which replies attach to. */
  threadRootId?: number;
  author: string;
}

export type ReactionContent = 'eyes' | '+1' | 'confused';

/**
 * Reacts to the command comment. GitHub answers 201 for a new reaction and 200 when the app had
 * already reacted the same way, which makes `eyes` a lock: only the first delivery of a command runs it.
 */
export async function react(
  octokit: GitHubClient,
  source: CommandSource,
  content: ReactionContent,
  signal?: AbortSignal,
): Promise<{ created: boolean; id: number }> {
  const request = {
    owner: source.owner,
    repo: source.repo,
    comment_id: source.commentId,
    content,
    request: { signal: requestSignal(signal) },
  };
  const response =
    source.where === 'issue'
      ? await octokit.request(
          'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
          request,
        )
      : await octokit.request(
          'POST /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions',
          request,
        );
  return { created: response.status === 201, id: Number(response.data.id) };
}

/** Takes the lock back when the command could not be queued, so a redelivery can run it. */
export async function unreact(
  octokit: GitHubClient,
  source: CommandSource,
  reactionId: number,
): Promise<void> {
  const request = {
    owner: source.owner,
    repo: source.repo,
    comment_id: source.commentId,
    reaction_id: reactionId,
    request: { signal: requestSignal(undefined) },
  };
  if (source.where === 'issue')
    await octokit.request(
      'DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions/{reaction_id}',
      request,
    );
  else
    await octokit.request(
      'DELETE /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions/{reaction_id}',
      request,
    );
}

/** Answers in the same place: the conversation for conversation comments, the thread for diff comments. */
export async function reply(
  octokit: GitHubClient,
  source: CommandSource,
  body: string,
  signal?: AbortSignal,
): Promise<void> {
  if (source.where === 'issue') {
    await octokit.request(
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      {
        owner: source.owner,
        repo: source.repo,
        issue_number: source.pullNumber,
        body,
        request: { signal: requestSignal(signal) },
      },
    );
    return;
  }
  await octokit.request(
    'POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies',
    {
      owner: source.owner,
      repo: source.repo,
      pull_number: source.pullNumber,
      comment_id: source.threadRootId ?? source.commentId,
      body,
      request: { signal: requestSignal(signal) },
    },
  );
}

const PermissionSchema = z.object({
  permission: z.string(),
  role_name: z.string().optional(),
});
const WRITERS = new Set(['admin', 'maintain', 'write']);

/** Whether a user may run commands that spend money or change the gate: write, maintain or admin. */
export async function canWrite(
  octokit: GitHubClient,
  target: { owner: string; repo: string; user: string },
  signal?: AbortSignal,
): Promise<boolean> {
  try {
    const { data } = await octokit.request(
      'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
      {
        owner: target.owner,
        repo: target.repo,
        username: target.user,
        request: { signal: requestSignal(signal) },
      },
    );
    const parsed = PermissionSchema.safeParse(data);
    if (!parsed.success) return false;
    return (
      WRITERS.has(parsed.data.permission) ||
      WRITERS.has(parsed.data.role_name ?? '')
    );
  } catch (error) {
    // Not a collaborator at all.
    if (statusOf(error) === 404) return false;
    throw error;
  }
}
