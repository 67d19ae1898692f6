import { z } from 'zod';
import { requestSignal, type GitHubClient } from '../client/github-client.ts';

export interface ReviewThread {
  id: string;
  isResolved: boolean;
  /** `databaseId` of the thread's first comment: the REST id of the comment that opened it. */
  firstCommentId?: number;
}

const MAX_PAGES = 20;
/** Thread changes per GraphQL request; each change is two mutations (reply, then resolve or reopen). */
const UPDATES_PER_REQUEST = 25;

const THREADS_QUERY = `query($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes { id isResolved comments(first: 1) { nodes { databaseId } } }
      }
    }
  }
}`;

const ThreadsPageSchema = z.object({
  repository: z.object({
    pullRequest: z.object({
      reviewThreads: z.object({
        pageInfo: z.object({
          hasNextPage: z.boolean(),
          endCursor: z.string().nullish(),
        }),
        nodes: z.array(
          z.object({
            id: z.string().min(1),
            isResolved: z.boolean(),
            comments: z.object({
              nodes: z.array(z.object({ databaseId: z.int().nullish() })),
            }),
          }),
        ),
      }),
    }),
  }),
});

/** Every review thread of a pull request (GraphQL: REST has no threads or resolution). */
export async function listReviewThreads(
  octokit: GitHubClient,
  target: { owner: string; repo: string; pullNumber: number },
  signal?: AbortSignal,
): Promise<ReviewThread[]> {
  const threads: ReviewThread[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const data: unknown = await octokit.graphql(THREADS_QUERY, {
      owner: target.owner,
      repo: target.repo,
      number: target.pullNumber,
      cursor,
      request: { signal: requestSignal(signal) },
    });
    const parsed = ThreadsPageSchema.safeParse(data);
    if (!parsed.success)
      throw new Error(
        `unexpected review threads response: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
    const { nodes, pageInfo } =
      parsed.data.repository.pullRequest.reviewThreads;
    for (const node of nodes) {
      const first = node.comments.nodes[0]?.databaseId;
      threads.push({
        id: node.id,
        isResolved: node.isResolved,
        ...(first ? { firstCommentId: first } : {}),
      });
    }
    if (!pageInfo.hasNextPage || !pageInfo.endCursor) break;
    cursor = pageInfo.endCursor;
  }
  return threads;
}

export interface ThreadUpdate {
  threadId: string;
  /** One line posted in the thread before it changes state. */
  reply: string;
  /** `resolve` a fixed finding's thread, or `unresolve` one whose finding came back. */
  action: 'resolve' | 'unresolve';
}

/** Replies and resolves (or reopens) threads, many per request, in the order given. */
export async function updateReviewThreads(
  octokit: GitHubClient,
  updates: readonly ThreadUpdate[],
  signal?: AbortSignal,
): Promise<void> {
  for (let i = 0; i < updates.length; i += UPDATES_PER_REQUEST) {
    const group = updates.slice(i, i + UPDATES_PER_REQUEST);
    const declarations: string[] = [];
    const fields: string[] = [];
    const variables: Record<string, string> = {};
    group.forEach((update, n) => {
      declarations.push(`$t${n}: ID!`, `$b${n}: String!`);
      variables[`t${n}`] = update.threadId;
      variables[`b${n}`] = update.reply;
      fields.push(
        `r${n}: addPullRequestReviewThreadReply(input: { pullRequestReviewThreadId: $t${n}, body: $b${n} }) { comment { id } }`,
        `s${n}: ${update.action === 'resolve' ? 'resolveReviewThread' : 'unresolveReviewThread'}(input: { threadId: $t${n} }) { thread { id isResolved } }`,
      );
    });
    await octokit.graphql(
      `mutation(${declarations.join(', ')}) {\n  ${fields.join('\n  ')}\n}`,
      { ...variables, request: { signal: requestSignal(signal) } },
    );
  }
}
