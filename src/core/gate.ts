import type { Config } from '../config/schema.ts';
import type { Coverage } from './coverage.ts';
import { isAtLeast, type Finding, type Severity } from './finding.ts';

export type Conclusion =
  | 'success'
  | 'failure'
  | 'neutral'
  | 'skipped'
  | 'cancelled'
  | 'action_required'
  | 'timed_out';

/** What the gate needs of a finding: findings carried over from earlier reviews have no more than this. */
export interface GateFinding {
  severity: Severity;
  fingerprint: string;
}

export interface GateResult<F extends GateFinding = Finding> {
  conclusion: Conclusion;
  /** One line for people: why the check concluded as it did. */
  reason: string;
  blocking: F[];
}

export interface GateOptions {
  /** Fingerprints of waived findings: still shown, never blocking. */
  waived?: ReadonlySet<string>;
  /**
   * Why part of the review is deliberately on hold, e.g. the AI review of a fork's pull request
   * waiting for a maintainer. Such a review is incomplete.
   */
  pending?: string;
}

/** How much of the review happened, independent of where that was measured. */
export interface Completeness {
  /** No model key: only deterministic checks ran. */
  modelNotConfigured: boolean;
  /** Why the review is incomplete; undefined when it is complete. */
  incomplete?: string;
  pending?: string;
}

/**
 * The merge gate. Open, unwaived findings at or above the gate severity block (`failure`, or
 * `action_required` if configured); otherwise a review that did not fully happen concludes as
 * `gate.incomplete_conclusion` (`neutral` unless the team fails closed), never `success`.
 */
export function evaluateGate<F extends GateFinding = Finding>(
  findings: readonly F[],
  coverage: Coverage,
  config: Config,
  options: GateOptions = {},
): GateResult<F> {
  return decideGate(
    findings,
    completenessOf(coverage, options.pending),
    config,
    options.waived,
  );
}

export function completenessOf(
  coverage: Coverage,
  pending?: string,
): Completeness {
  return {
    modelNotConfigured: coverage.model.status === 'not-configured',
    incomplete: coverage.complete ? undefined : incompleteReason(coverage),
    pending,
  };
}

/** The gate over findings and a completeness summary, e.g. one stored from an earlier review. */
export function decideGate<F extends GateFinding>(
  findings: readonly F[],
  completeness: Completeness,
  config: Config,
  waived: ReadonlySet<string> = new Set(),
): GateResult<F> {
  const threshold = config.gate.severity;
  const atThreshold = findings.filter((f) => isAtLeast(f.severity, threshold));
  const blocking = atThreshold.filter((f) => !waived.has(f.fingerprint));
  const waivedNote =
    atThreshold.length > blocking.length
      ? ` (${atThreshold.length - blocking.length} more waived)`
      : '';
  if (blocking.length > 0) {
    return {
      // Configs built by hand (tests, embedders) may predate the policy keys; fall back to their defaults.
      conclusion: config.gate.blocking_conclusion ?? 'failure',
      reason: `${blocking.length} finding${blocking.length === 1 ? '' : 's'} at or above the gate severity (${threshold})${waivedNote}.`,
      blocking,
    };
  }
  const onIncomplete = config.gate.incomplete_conclusion ?? 'neutral';
  const policy =
    onIncomplete === 'failure'
      ? ' This repository fails closed (gate.incomplete_conclusion: failure).'
      : '';
  if (completeness.pending !== undefined) {
    return {
      conclusion: onIncomplete,
      reason: `${completeness.pending}${policy}`,
      blocking,
    };
  }
  if (completeness.modelNotConfigured) {
    return {
      conclusion: onIncomplete,
      reason: `The AI review is not configured (no ANTHROPIC_API_KEY); only deterministic checks ran.${policy}`,
      blocking,
    };
  }
  if (completeness.incomplete !== undefined) {
    return {
      conclusion: onIncomplete,
      reason: `The review is incomplete: ${completeness.incomplete}.${policy}`,
      blocking,
    };
  }
  if (atThreshold.length > 0) {
    return {
      conclusion: 'success',
      reason: `No unwaived findings at or above the gate severity (${threshold}); ${atThreshold.length} waived.`,
      blocking,
    };
  }
  return {
    conclusion: 'success',
    reason: `No findings at or above the gate severity (${threshold}).`,
    blocking,
  };
}

export function incompleteReason(coverage: Coverage): string {
  const parts: string[] = [];
  const notReviewed = coverage.files.filter(
    (f) => f.status === 'not-reviewed',
  ).length;
  const partial = coverage.files.filter((f) => f.status === 'partial').length;
  if (coverage.failedAnalyzers?.length)
    parts.push(
      `the ${coverage.failedAnalyzers.join(', ')} analyzer${coverage.failedAnalyzers.length === 1 ? '' : 's'} failed`,
    );
  if (coverage.unlistedFiles > 0)
    parts.push(`${coverage.unlistedFiles} changed files could not be listed`);
  if (notReviewed > 0)
    parts.push(
      `${notReviewed} file${notReviewed === 1 ? ' was' : 's were'} not reviewed`,
    );
  if (partial > 0)
    parts.push(
      `${partial} file${partial === 1 ? ' was' : 's were'} reviewed only in part`,
    );
  if (
    coverage.model.status === 'failed' ||
    coverage.model.status === 'partial'
  ) {
    parts.push(
      `the model reviewed ${coverage.model.chunksReviewed} of ${coverage.model.chunksTotal} chunks${coverage.model.detail ? ` (${coverage.model.detail})` : ''}`,
    );
  }
  return parts.length > 0 ? parts.join('; ') : 'see coverage';
}
