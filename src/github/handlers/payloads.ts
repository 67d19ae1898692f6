import { z } from 'zod';

/** Actions of the `pull_request` event that start a review. */
export const REVIEW_ACTIONS = [
  'opened',
  'reopened',
  'synchronize',
  'ready_for_review',
] as const;
/** Label changes matter only for the skip label; they re-decide the head's check run. */
export const LABEL_ACTIONS = ['labeled', 'unlabeled'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

const Sha = z.string().regex(/^[0-9a-f]{40}$/i, 'a 40-character commit SHA');
const Installation = z.object({ id: z.int().positive() });
const Repository = z.object({
  name: z.string().min(1),
  owner: z.object({ login: z.string().min(1) }),
});
const User = z.object({
  login: z.string().min(1),
  type: z.string().optional(),
});

/** The parts of a `pull_request` webhook payload the app relies on; everything else is read fresh from the API. */
export const PullRequestEventSchema = z.object({
  action: z.enum([...REVIEW_ACTIONS, ...LABEL_ACTIONS]),
  installation: Installation,
  repository: Repository,
  label: z.object({ name: z.string() }).optional(),
  pull_request: z.object({
    number: z.int().positive(),
    head: z.object({ sha: Sha }),
  }),
});
export type PullRequestEvent = z.infer<typeof PullRequestEventSchema>;

/** `issue_comment.created` on a pull request (issues have no `pull_request` key). */
export const IssueCommentEventSchema = z.object({
  action: z.literal('created'),
  installation: Installation,
  repository: Repository,
  issue: z.object({
    number: z.int().positive(),
    pull_request: z.object({}).loose(),
  }),
  comment: z.object({
    id: z.int().positive(),
    body: z.string().nullish(),
    user: User,
  }),
});
export type IssueCommentEvent = z.infer<typeof IssueCommentEventSchema>;

/** `pull_request_review_comment.created`: a comment on the diff, possibly a reply in a thread. */
export const ReviewCommentEventSchema = z.object({
  action: z.literal('created'),
  installation: Installation,
  repository: Repository,
  pull_request: z.object({ number: z.int().positive() }),
  comment: z.object({
    id: z.int().positive(),
    body: z.string().nullish(),
    user: User,
    in_reply_to_id: z.int().positive().nullish(),
  }),
});
export type ReviewCommentEvent = z.infer<typeof ReviewCommentEventSchema>;

const PullRequestRefs = z
  .array(z.object({ number: z.int().positive() }))
  .default([]);

/** `check_run.rerequested` (Re-run) and `check_run.requested_action` (the Re-review button). */
export const CheckRunEventSchema = z.object({
  action: z.enum(['rerequested', 'requested_action']),
  installation: Installation,
  repository: Repository,
  sender: User,
  requested_action: z.object({ identifier: z.string() }).nullish(),
  check_run: z.object({
    id: z.int().positive(),
    name: z.string(),
    head_sha: Sha,
    app: z.object({ id: z.int() }).nullish(),
    pull_requests: PullRequestRefs,
  }),
});
export type CheckRunEvent = z.infer<typeof CheckRunEventSchema>;

/** `check_suite.rerequested` ("Re-run all checks"). */
export const CheckSuiteEventSchema = z.object({
  action: z.literal('rerequested'),
  installation: Installation,
  repository: Repository,
  sender: User,
  check_suite: z.object({
    head_sha: Sha,
    app: z.object({ id: z.int() }).nullish(),
    pull_requests: PullRequestRefs,
  }),
});
export type CheckSuiteEvent = z.infer<typeof CheckSuiteEventSchema>;

export type PayloadCheck<T> =
  | { ok: true; event: T }
  | { ok: false; problems: string[] };

function check<T>(schema: z.ZodType<T>, payload: unknown): PayloadCheck<T> {
  const result = schema.safeParse(payload);
  if (result.success) return { ok: true, event: result.data };
  return {
    ok: false,
    problems: result.error.issues.map(
      (issue) =>
        `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`,
    ),
  };
}

export const parsePullRequestEvent = (payload: unknown) =>
  check(PullRequestEventSchema, payload);
export const parseIssueCommentEvent = (payload: unknown) =>
  check(IssueCommentEventSchema, payload);
export const parseReviewCommentEvent = (payload: unknown) =>
  check(ReviewCommentEventSchema, payload);
export const parseCheckRunEvent = (payload: unknown) =>
  check(CheckRunEventSchema, payload);
export const parseCheckSuiteEvent = (payload: unknown) =>
  check(CheckSuiteEventSchema, payload);
