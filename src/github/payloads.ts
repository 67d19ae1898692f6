import { z } from 'zod';

/** Actions of the `pull_request` event that start a review. */
export const REVIEW_ACTIONS = ['opened', 'reopened', 'synchronize', 'ready_for_review'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

const Sha = z.string().regex(/^[0-9a-f]{40}$/i, 'a 40-character commit SHA');

/** The parts of a `pull_request` webhook payload the app relies on; everything else is ignored. */
export const PullRequestEventSchema = z.object({
  action: z.enum(REVIEW_ACTIONS),
  installation: z.object({ id: z.int().positive() }),
  repository: z.object({
    name: z.string().min(1),
    owner: z.object({ login: z.string().min(1) }),
  }),
  pull_request: z.object({
    number: z.int().positive(),
    state: z.string(),
    draft: z.boolean().default(false),
    title: z.string(),
    body: z.string().nullish(),
    html_url: z.string().optional(),
    changed_files: z.int().nonnegative().optional(),
    head: z.object({ sha: Sha }),
    base: z.object({ sha: Sha }),
  }),
});

export type PullRequestEvent = z.infer<typeof PullRequestEventSchema>;

export type PayloadCheck = { ok: true; event: PullRequestEvent } | { ok: false; problems: string[] };

export function parsePullRequestEvent(payload: unknown): PayloadCheck {
  const result = PullRequestEventSchema.safeParse(payload);
  if (result.success) return { ok: true, event: result.data };
  return { ok: false, problems: result.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`) };
}
