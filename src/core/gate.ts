import type { Config } from '../config/schema.ts';
import type { Coverage } from './coverage.ts';
import { isAtLeast, type Finding } from './finding.ts';

export type Conclusion = 'success' | 'failure' | 'neutral' | 'skipped' | 'cancelled' | 'action_required' | 'timed_out';

export interface GateResult {
  conclusion: Conclusion;
  /** One line for people: why the check concluded as it did. */
  reason: string;
  blocking: Finding[];
}

/**
 * The merge gate. Blocking findings fail the check; otherwise a review that did not fully happen is
 * `neutral`, never `success`.
 */
export function evaluateGate(findings: Finding[], coverage: Coverage, config: Config): GateResult {
  const threshold = config.gate.severity;
  const blocking = findings.filter((f) => isAtLeast(f.severity, threshold));
  if (blocking.length > 0) {
    return {
      conclusion: 'failure',
      reason: `${blocking.length} finding${blocking.length === 1 ? '' : 's'} at or above the gate severity (${threshold}).`,
      blocking,
    };
  }
  if (coverage.model.status === 'not-configured') {
    return { conclusion: 'neutral', reason: 'The AI review is not configured (no ANTHROPIC_API_KEY); only deterministic checks ran.', blocking };
  }
  if (!coverage.complete) {
    return { conclusion: 'neutral', reason: `The review is incomplete: ${incompleteReason(coverage)}.`, blocking };
  }
  return { conclusion: 'success', reason: `No findings at or above the gate severity (${threshold}).`, blocking };
}

export function incompleteReason(coverage: Coverage): string {
  const parts: string[] = [];
  const notReviewed = coverage.files.filter((f) => f.status === 'not-reviewed').length;
  const partial = coverage.files.filter((f) => f.status === 'partial').length;
  if (coverage.unlistedFiles > 0) parts.push(`${coverage.unlistedFiles} changed files could not be listed`);
  if (notReviewed > 0) parts.push(`${notReviewed} file${notReviewed === 1 ? ' was' : 's were'} not reviewed`);
  if (partial > 0) parts.push(`${partial} file${partial === 1 ? ' was' : 's were'} reviewed only in part`);
  if (coverage.model.status === 'failed' || coverage.model.status === 'partial') {
    parts.push(`the model reviewed ${coverage.model.chunksReviewed} of ${coverage.model.chunksTotal} chunks${coverage.model.detail ? ` (${coverage.model.detail})` : ''}`);
  }
  return parts.length > 0 ? parts.join('; ') : 'see coverage';
}
