import { z } from 'zod';
import { requestSignal, type GitHubClient } from '../client/github-client.ts';

const Sha = z.string().regex(/^[0-9a-f]{40}$/i, 'a 40-character commit SHA');

const PullSchema = z.object({
  number: z.int().positive(),
  state: z.string(),
  draft: z.boolean().nullish(),
  title: z.string(),
  body: z.string().nullish(),
  html_url: z.string().nullish(),
  changed_files: z.int().nonnegative().nullish(),
  author_association: z.string().nullish(),
  user: z.object({ login: z.string() }).nullish(),
  labels: z.array(z.object({ name: z.string() })).nullish(),
  head: z.object({
    sha: Sha,
    repo: z.object({ full_name: z.string() }).nullish(),
  }),
  base: z.object({ sha: Sha, repo: z.object({ full_name: z.string() }) }),
});

/** A pull request as it is now; webhook payloads can be stale (redeliveries, late events). */
export interface PullRequestInfo {
  number: number;
  open: boolean;
  draft: boolean;
  title: string;
  body?: string;
  headSha: string;
  baseSha: string;
  changedFiles?: number;
  authorAssociation: string;
  author?: string;
  labels: string[];
  /** The head branch lives in another repository (or one that was deleted). */
  fromFork: boolean;
}

export async function fetchPullRequest(
  octokit: GitHubClient,
  target: { owner: string; repo: string; pullNumber: number },
  signal?: AbortSignal,
): Promise<PullRequestInfo> {
  const { data } = await octokit.request(
    'GET /repos/{owner}/{repo}/pulls/{pull_number}',
    {
      owner: target.owner,
      repo: target.repo,
      pull_number: target.pullNumber,
      request: { signal: requestSignal(signal) },
    },
  );
  const parsed = PullSchema.safeParse(data);
  if (!parsed.success)
    throw new Error(
      `unexpected pull request data: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  const pr = parsed.data;
  return {
    number: pr.number,
    open: pr.state === 'open',
    draft: pr.draft ?? false,
    title: pr.title,
    ...(pr.body ? { body: pr.body } : {}),
    headSha: pr.head.sha.toLowerCase(),
    baseSha: pr.base.sha.toLowerCase(),
    ...(pr.changed_files === null || pr.changed_files === undefined
      ? {}
      : { changedFiles: pr.changed_files }),
    authorAssociation: pr.author_association ?? 'NONE',
    ...(pr.user ? { author: pr.user.login } : {}),
    labels: (pr.labels ?? []).map((l) => l.name),
    fromFork:
      !pr.head.repo ||
      pr.head.repo.full_name.toLowerCase() !==
        pr.base.repo.full_name.toLowerCase(),
  };
}
