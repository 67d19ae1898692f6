import { z } from 'zod';
import { requestSignal, type GitHubClient } from '../client/github-client.ts';
import { isOwnComment, readMarker } from '../history/markers.ts';
import {
  emptyState,
  ReviewStateSchema,
  TrackedFindingSchema,
  type ReviewState,
  type TrackedFinding,
} from '../history/review-state.ts';

/** Pages read per listing (100 items each); a pull request with more app comments than this is beyond reason. */
const MAX_PAGES = 30;

const UserSchema = z
  .object({ login: z.string(), type: z.string().optional() })
  .nullish();
const ReviewCommentSchema = z.object({
  id: z.int().positive(),
  body: z.string().nullish(),
  user: UserSchema,
  in_reply_to_id: z.int().positive().nullish(),
});
const ReviewSchema = z.object({
  id: z.int().positive(),
  body: z.string().nullish(),
  user: UserSchema,
});
const IssueCommentSchema = z.object({
  id: z.int().positive(),
  body: z.string().nullish(),
  user: UserSchema,
});

export const ReviewMarkerSchema = z.object({
  head: z.string(),
  fps: z.array(z.string()).max(5000),
});
export type ReviewMarker = z.infer<typeof ReviewMarkerSchema>;

/** What the app has said on a pull request, read back from its own comments. */
export interface PullRequestRecord {
  state: ReviewState;
  /** The summary comment, found by its state marker. */
  summary?: { id: number; body: string };
  /** Top-level inline comments with a finding marker, by fingerprint. */
  findingComments: Map<string, { commentId: number; finding: TrackedFinding }>;
  /** Every fingerprint already posted, inline or in a review body. */
  posted: Set<string>;
}

export interface RecordTarget {
  owner: string;
  repo: string;
  pullNumber: number;
  /** The app's bot login; markers in anyone else's comments are ignored. */
  botLogin: string;
}

/** Reads the app's comments, review bodies and summary comment of a pull request. */
export async function loadPullRequestRecord(
  octokit: GitHubClient,
  target: RecordTarget,
  signal?: AbortSignal,
): Promise<PullRequestRecord> {
  const [comments, reviews, issueComments] = await Promise.all([
    listAll(
      octokit,
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/comments',
      target,
      ReviewCommentSchema,
      signal,
    ),
    listAll(
      octokit,
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
      target,
      ReviewSchema,
      signal,
    ),
    listAll(
      octokit,
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      target,
      IssueCommentSchema,
      signal,
    ),
  ]);

  const { findingComments, posted } = readPosted(
    comments,
    reviews,
    target.botLogin,
  );

  let summary: PullRequestRecord['summary'];
  let state: ReviewState | undefined;
  for (const comment of issueComments) {
    if (!isOwnComment(comment.user, target.botLogin)) continue;
    const found = readMarker(comment.body, 'state', ReviewStateSchema);
    // The first summary comment is the one kept up to date; a later one would be a leftover of a race.
    if (found && !summary) {
      summary = { id: comment.id, body: comment.body ?? '' };
      state = found;
    }
  }
  return {
    state: state ?? emptyState(),
    ...(summary ? { summary } : {}),
    findingComments,
    posted,
  };
}

/**
 * The findings open before a review: the state's, plus those of the app's inline comments the
 * state does not know (a review that stopped between posting and saving, or a deleted summary).
 */
export function openBefore(
  record: Pick<PullRequestRecord, 'state' | 'findingComments'>,
): TrackedFinding[] {
  const known = new Set([
    ...record.state.open.map((f) => f.fp),
    ...record.state.fixed.map((f) => f.fp),
  ]);
  const revived = [...record.findingComments.values()]
    .map((c) => c.finding)
    .filter((f) => !known.has(f.fp));
  return [...record.state.open, ...revived];
}

/** Fingerprints posted so far, re-read right before posting so a concurrent review is not repeated. */
export async function postedFingerprints(
  octokit: GitHubClient,
  target: RecordTarget,
  signal?: AbortSignal,
): Promise<Set<string>> {
  const [comments, reviews] = await Promise.all([
    listAll(
      octokit,
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/comments',
      target,
      ReviewCommentSchema,
      signal,
    ),
    listAll(
      octokit,
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
      target,
      ReviewSchema,
      signal,
    ),
  ]);
  return readPosted(comments, reviews, target.botLogin).posted;
}

type ReviewComment = z.infer<typeof ReviewCommentSchema>;
type Review = z.infer<typeof ReviewSchema>;

function readPosted(
  comments: ReviewComment[],
  reviews: Review[],
  botLogin: string,
): Pick<PullRequestRecord, 'findingComments' | 'posted'> {
  const findingComments = new Map<
    string,
    { commentId: number; finding: TrackedFinding }
  >();
  const posted = new Set<string>();
  for (const comment of comments) {
    if (comment.in_reply_to_id || !isOwnComment(comment.user, botLogin))
      continue;
    const finding = readMarker(comment.body, 'finding', TrackedFindingSchema);
    if (!finding) continue;
    posted.add(finding.fp);
    // The oldest comment of a fingerprint is the one whose thread speaks for it.
    if (!findingComments.has(finding.fp))
      findingComments.set(finding.fp, { commentId: comment.id, finding });
  }
  for (const review of reviews) {
    if (!isOwnComment(review.user, botLogin)) continue;
    for (const fp of readMarker(review.body, 'review', ReviewMarkerSchema)
      ?.fps ?? [])
      posted.add(fp);
  }
  return { findingComments, posted };
}

type ListRoute =
  | 'GET /repos/{owner}/{repo}/pulls/{pull_number}/comments'
  | 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews'
  | 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments';

async function listAll<T>(
  octokit: GitHubClient,
  route: ListRoute,
  target: RecordTarget,
  schema: z.ZodType<T>,
  signal?: AbortSignal,
): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const number = route.includes('{issue_number}')
      ? { issue_number: target.pullNumber }
      : { pull_number: target.pullNumber };
    const params = {
      owner: target.owner,
      repo: target.repo,
      ...number,
      per_page: 100,
      page,
      request: { signal: requestSignal(signal) },
    };
    const { data }: { data: unknown } = await (
      octokit.request as (
        route: string,
        params: object,
      ) => Promise<{ data: unknown }>
    )(route, params);
    const parsed = z.array(schema).safeParse(data);
    if (!parsed.success)
      throw new Error(
        `unexpected response from ${route}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
    items.push(...parsed.data);
    if (parsed.data.length < 100) break;
  }
  return items;
}
