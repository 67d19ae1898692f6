/**
 * Which check run a review uses. Each head has one "Backend Architect" run; its `external_id` says
 * which request it last answered and whether that ended in a verdict:
 * `<head sha>/<trigger key>/<outcome>`.
 */
export type RunOutcome = 'working' | 'reviewed' | 'ended';

export interface ExistingRun {
  id: number;
  status: string;
  conclusion?: string;
  externalId?: string;
  startedAt?: string;
  htmlUrl?: string;
}

export interface RunMark {
  head: string;
  trigger: string;
  outcome: RunOutcome;
}

export function externalId(mark: RunMark): string {
  return `${mark.head}/${mark.trigger}/${mark.outcome}`;
}

export function readExternalId(value: string | undefined): RunMark | undefined {
  const match = /^([0-9a-f]{40})\/([^/]+)\/(working|reviewed|ended)$/i.exec(
    value ?? '',
  );
  return match
    ? {
        head: match[1]!.toLowerCase(),
        trigger: match[2]!,
        outcome: match[3] as RunOutcome,
      }
    : undefined;
}

export type RunPlan =
  | { action: 'skip'; reason: string }
  | { action: 'reuse'; run: ExistingRun }
  | { action: 'create' };

export interface PlanInput {
  runs: readonly ExistingRun[];
  head: string;
  trigger: string;
  /** Pushes (and repeated deliveries of them) need one verdict per head, whatever asked for it. */
  oncePerHead: boolean;
  now: number;
  /** A run still `in_progress` past this age was left behind by a stopped process and may be taken over. */
  staleAfterMs: number;
}

/**
 * Decides between doing the work, reusing the head's run, or skipping: the same request twice (a
 * redelivery, a second event for the same head, another worker already on it) yields one review.
 * A request that ended without a verdict (skipped draft, cancelled, failed) may be tried again.
 * Only a run still in progress (left behind by a stopped process) is reused: GitHub never moves a
 * completed run back to in progress, so new work on a head with a verdict — a re-review, a retry —
 * gets a new run, as GitHub's Re-run convention has it. The newest run is the head's current verdict.
 */
export function planCheckRun(input: PlanInput): RunPlan {
  const ours = [...input.runs].sort((a, b) => b.id - a.id);
  for (const run of ours) {
    const mark = readExternalId(run.externalId);
    if (!mark || mark.head !== input.head.toLowerCase()) continue;
    if (mark.trigger !== input.trigger && !input.oncePerHead) continue;
    if (run.status === 'completed' && mark.outcome === 'reviewed')
      return {
        action: 'skip',
        reason: `already reviewed (check run ${run.id})`,
      };
    if (run.status !== 'completed' && !isStale(run, input))
      return {
        action: 'skip',
        reason: `check run ${run.id} is already working on it`,
      };
  }
  const latest = ours[0];
  return latest && latest.status !== 'completed'
    ? { action: 'reuse', run: latest }
    : { action: 'create' };
}

function isStale(run: ExistingRun, input: PlanInput): boolean {
  const started = run.startedAt ? Date.parse(run.startedAt) : Number.NaN;
  return !Number.isFinite(started) || input.now - started > input.staleAfterMs;
}
