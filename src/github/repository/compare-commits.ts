import { z } from 'zod';
import {
  requestSignal,
  statusOf,
  type GitHubClient,
} from '../client/github-client.ts';
import type { Comparison } from '../history/review-scope.ts';

/** GitHub lists at most this many files in a comparison. */
export const COMPARE_FILE_LIMIT = 300;

const CompareSchema = z.object({
  status: z.enum(['ahead', 'behind', 'identical', 'diverged']),
  files: z
    .array(
      z.object({
        filename: z.string().min(1),
        previous_filename: z.string().optional(),
      }),
    )
    .default([]),
});

/**
 * How `head` relates to the last reviewed commit. A commit GitHub no longer knows (force-push
 * followed by garbage collection) is `missing`; other failures are errors.
 */
export async function compareCommits(
  octokit: GitHubClient,
  target: { owner: string; repo: string; base: string; head: string },
  signal?: AbortSignal,
): Promise<Comparison> {
  let data: unknown;
  try {
    ({ data } = await octokit.request(
      'GET /repos/{owner}/{repo}/compare/{basehead}',
      {
        owner: target.owner,
        repo: target.repo,
        basehead: `${target.base}...${target.head}`,
        request: { signal: requestSignal(signal) },
      },
    ));
  } catch (error) {
    const status = statusOf(error);
    if (status === 404 || status === 422) return { status: 'missing' };
    throw error;
  }
  const parsed = CompareSchema.safeParse(data);
  if (!parsed.success)
    throw new Error(
      `unexpected response comparing commits: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  const { status, files } = parsed.data;
  if (status === 'behind' || status === 'diverged') return { status };
  return {
    status,
    files: files.map((f) => ({
      path: f.filename,
      ...(f.previous_filename ? { previousPath: f.previous_filename } : {}),
    })),
    complete: files.length < COMPARE_FILE_LIMIT,
  };
}
