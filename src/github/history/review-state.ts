import { z } from 'zod';
import {
  LensSchema,
  SeveritySchema,
  type Finding,
} from '../../core/finding.ts';
import type { Usage } from '../../core/usage.ts';

const Sha = z.string().regex(/^[0-9a-f]{40}$/i);
const Fingerprint = z.string().regex(/^[0-9a-f]{64}(-\d+)?$/);
const Login = z.string().min(1).max(100);

/** What is remembered of a posted finding: enough to list it, gate on it and find its thread. */
export const TrackedFindingSchema = z.object({
  fp: Fingerprint,
  id: z.string().min(1).max(20),
  rule: z.string().min(1).max(200),
  src: z.enum(['analyzer', 'model']),
  lens: LensSchema,
  sev: SeveritySchema,
  path: z.string().min(1).max(1000),
  title: z.string().max(200),
  /** The head-side (or base-side, with `side: LEFT`) lines it is about. */
  start: z.int().positive().optional(),
  end: z.int().positive().optional(),
  side: z.enum(['RIGHT', 'LEFT']).optional(),
});
export type TrackedFinding = z.infer<typeof TrackedFindingSchema>;

export const WaiverSchema = z.object({
  fp: Fingerprint,
  id: z.string().min(1).max(20),
  title: z.string().max(200),
  by: Login,
  reason: z.string().min(1).max(500),
  /** The head the finding was waived at. */
  at: Sha,
});
export type Waiver = z.infer<typeof WaiverSchema>;

export const FixedSchema = z.object({
  fp: Fingerprint,
  id: z.string().min(1).max(20),
  title: z.string().max(200),
  sev: SeveritySchema,
  /** The head that no longer had it. */
  in: Sha,
  /** Where a model finding was, so its return after a small edit reopens its thread (absent in older states). */
  src: z.enum(['analyzer', 'model']).optional(),
  lens: LensSchema.optional(),
  path: z.string().min(1).max(1000).optional(),
  start: z.int().positive().optional(),
  end: z.int().positive().optional(),
  side: z.enum(['RIGHT', 'LEFT']).optional(),
});
export type FixedFinding = z.infer<typeof FixedSchema>;

export const CostSchema = z.object({
  usd: z.number().nonnegative(),
  /** False once any request had no known price, so `usd` is a lower bound. */
  priced: z.boolean(),
  requests: z.int().nonnegative(),
  inputTokens: z.int().nonnegative(),
  outputTokens: z.int().nonnegative(),
});
export type Cost = z.infer<typeof CostSchema>;

/** The last review's verdict inputs, so a waiver can re-decide the gate without reviewing again. */
export const LastRunSchema = z.object({
  head: Sha,
  modelNotConfigured: z.boolean(),
  incomplete: z.string().max(2000).optional(),
  pending: z.string().max(500).optional(),
  /** Pre-rendered markdown lines of the app's own making. */
  coverageLine: z.string().max(1000),
  modelLine: z.string().max(1500),
  checkRunId: z.int().positive().optional(),
  checkRunUrl: z.string().max(500).optional(),
});
export type LastRun = z.infer<typeof LastRunSchema>;

/** Files remembered as still owed a model review; beyond this the next review is simply a full one. */
export const MAX_UNREVIEWED = 300;

export const ReviewStateSchema = z.object({
  v: z.literal(1),
  /** The last head whose review completed; incremental reviews compare against it. */
  head: Sha.optional(),
  open: z.array(TrackedFindingSchema).max(3000).default([]),
  waivers: z.array(WaiverSchema).max(3000).default([]),
  /** Recently fixed findings, newest first, for the summary. */
  fixed: z.array(FixedSchema).max(500).default([]),
  cost: CostSchema.default({
    usd: 0,
    priced: true,
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
  }),
  reviews: z.int().nonnegative().default(0),
  /** Fixed findings whose threads could not be resolved yet; the next review tries again. */
  resolving: z.array(Fingerprint).max(500).default([]),
  /** In-scope files the model should have reviewed and has not yet (failures, budget, no key): the next review adds them. */
  unreviewed: z
    .array(z.string().min(1).max(1000))
    .max(MAX_UNREVIEWED)
    .default([]),
  last: LastRunSchema.optional(),
  /** Set when open findings had to be dropped to fit the comment; the next review is then a full one. */
  truncated: z.boolean().optional(),
});
export type ReviewState = z.infer<typeof ReviewStateSchema>;

export function emptyState(): ReviewState {
  return ReviewStateSchema.parse({ v: 1 });
}

/** The marker of an inline comment. */
export function track(finding: Finding): TrackedFinding {
  const tracked: TrackedFinding = {
    fp: finding.fingerprint,
    id: finding.id,
    rule: finding.ruleId.slice(0, 200),
    src: finding.source,
    lens: finding.lens,
    sev: finding.severity,
    path: finding.path.slice(0, 1000),
    title: finding.title.slice(0, 200),
  };
  if (finding.lines) {
    tracked.start = Math.max(
      1,
      Math.min(finding.lines.start, finding.lines.end),
    );
    tracked.end = Math.max(1, finding.lines.start, finding.lines.end);
    tracked.side = finding.lines.side;
  }
  return tracked;
}

export const CARRIED_BODY =
  'Reported in an earlier review of this pull request and still open; the review comment has the details.';

/** A finding remembered from an earlier review, in the engine's shape, for the gate and the reports. */
export function asFinding(tracked: TrackedFinding): Finding {
  const lines =
    tracked.start !== undefined
      ? {
          start: tracked.start,
          end: tracked.end ?? tracked.start,
          side: tracked.side ?? 'RIGHT',
        }
      : undefined;
  return {
    lens: tracked.lens,
    severity: tracked.sev,
    ruleId: tracked.rule,
    source: tracked.src,
    path: tracked.path,
    ...(lines ? { lines } : {}),
    title: tracked.title,
    body: CARRIED_BODY,
    id: tracked.id,
    fingerprint: tracked.fp,
    placement: lines
      ? {
          kind: 'inline',
          side: lines.side,
          line: lines.end,
          ...(lines.start < lines.end ? { startLine: lines.start } : {}),
        }
      : { kind: 'file', reason: 'about the file as a whole' },
  };
}

export function addCost(cost: Cost, usage: Usage): Cost {
  return {
    usd: cost.usd + (usage.costUsd ?? 0),
    priced:
      cost.priced && (usage.requests === 0 || usage.costUsd !== undefined),
    requests: cost.requests + usage.requests,
    inputTokens:
      cost.inputTokens +
      usage.inputTokens +
      usage.cacheReadTokens +
      usage.cacheCreationTokens,
    outputTokens: cost.outputTokens + usage.outputTokens,
  };
}

/** Room the state may take in the summary comment, leaving the rest of GitHub's 65,536 characters for people. */
export const MAX_STATE_CHARS = 40_000;
const SHOWN_FIXED = 30;

/**
 * Shrinks the state until its JSON fits: older fixed entries go first, then titles are shortened,
 * then the least severe open findings are dropped and the state is marked truncated, which makes
 * the next review a full one that finds them again.
 */
export function compactState(
  state: ReviewState,
  maxChars = MAX_STATE_CHARS,
): ReviewState {
  const size = (s: ReviewState) => JSON.stringify(s).length;
  if (size(state) <= maxChars) return state;
  let next: ReviewState = {
    ...state,
    fixed: state.fixed.slice(0, SHOWN_FIXED),
  };
  if (size(next) <= maxChars) return next;
  const short = (title: string) =>
    title.length > 60 ? `${title.slice(0, 59)}…` : title;
  next = {
    ...next,
    open: next.open.map((f) => ({ ...f, title: short(f.title) })),
    fixed: next.fixed.map((f) => ({ ...f, title: short(f.title) })),
    waivers: next.waivers.map((w) => ({ ...w, title: short(w.title) })),
  };
  if (size(next) <= maxChars) return next;
  const waived = new Set(next.waivers.map((w) => w.fp));
  // Most severe first; waived findings go before others of their severity so their waivers keep meaning.
  const ranked = [...next.open].sort(
    (a, b) =>
      SeveritySchema.options.indexOf(a.sev) -
        SeveritySchema.options.indexOf(b.sev) ||
      Number(waived.has(b.fp)) - Number(waived.has(a.fp)),
  );
  let keep = ranked.length;
  while (keep > 0) {
    keep = Math.floor(keep * 0.8);
    const open = ranked.slice(0, keep);
    const kept = new Set(open.map((f) => f.fp));
    next = {
      ...next,
      open,
      waivers: next.waivers.filter((w) => kept.has(w.fp)),
      fixed: [],
      truncated: true,
    };
    if (size(next) <= maxChars) return next;
  }
  return next;
}
