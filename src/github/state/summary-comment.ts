import { requestSignal, type GitHubClient } from '../client/github-client.ts';

export type SummaryWrite = 'created' | 'updated' | 'unchanged';

/**
 * Keeps one summary comment per pull request: created once, then edited in place, and left alone
 * when its text would not change. Returns the comment id.
 */
export async function saveSummaryComment(
  octokit: GitHubClient,
  target: { owner: string; repo: string; pullNumber: number },
  existing: { id: number; body: string } | undefined,
  body: string,
  signal?: AbortSignal,
): Promise<{ id: number; write: SummaryWrite }> {
  if (existing && existing.body === body)
    return { id: existing.id, write: 'unchanged' };
  if (existing) {
    await octokit.request(
      'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
      {
        owner: target.owner,
        repo: target.repo,
        comment_id: existing.id,
        body,
        request: { signal: requestSignal(signal) },
      },
    );
    return { id: existing.id, write: 'updated' };
  }
  const { data } = await octokit.request(
    'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
    {
      owner: target.owner,
      repo: target.repo,
      issue_number: target.pullNumber,
      body,
      request: { signal: requestSignal(signal) },
    },
  );
  return { id: Number(data.id), write: 'created' };
}
