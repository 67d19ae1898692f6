import type { Coverage } from '../../../src/core/coverage.ts';
import type { Finding } from '../../../src/core/finding.ts';
import type { GateResult } from '../../../src/core/gate.ts';
import type { ReviewResult } from '../../../src/core/review.ts';
import type { Usage } from '../../../src/core/usage.ts';

let counter = 0;

/** A finding with plausible defaults: an analyzer finding anchored inline on line 10 of the head. */
export function finding(overrides: Partial<Finding> = {}): Finding {
  counter++;
  const fingerprint =
    overrides.fingerprint ??
    `${String(counter).padStart(8, '0')}${'f'.repeat(56)}`;
  return {
    lens: 'schema',
    severity: 'high',
    ruleId: 'schema/adding-not-nullable-field',
    source: 'analyzer',
    path: 'db/migrations/001_add_email.sql',
    lines: { start: 10, end: 10, side: 'RIGHT' },
    title: 'NOT NULL column without a default',
    body: 'Existing rows have no value for `email`, so the migration fails on a non-empty table.',
    placement: { kind: 'inline', line: 10, side: 'RIGHT' },
    fingerprint,
    id: fingerprint.slice(0, 8),
    ...overrides,
  };
}

export function coverage(overrides: Partial<Coverage> = {}): Coverage {
  return {
    files: [
      {
        path: 'db/migrations/001_add_email.sql',
        status: 'reviewed',
        reasons: [],
      },
    ],
    notes: [],
    model: { status: 'completed', chunksTotal: 1, chunksReviewed: 1 },
    complete: true,
    unlistedFiles: 0,
    ...overrides,
  };
}

export function usage(overrides: Partial<Usage> = {}): Usage {
  return {
    model: 'claude-sonnet-5-5',
    requests: 1,
    inputTokens: 12_345,
    outputTokens: 678,
    cacheReadTokens: 9_000,
    cacheCreationTokens: 0,
    costUsd: 0.0523,
    ...overrides,
  };
}

/** A review result; the gate defaults to what `evaluateGate` would say at the `high` threshold. */
export function result(overrides: Partial<ReviewResult> = {}): ReviewResult {
  const findings = overrides.findings ?? [];
  const blocking = findings.filter(
    (f) => f.severity === 'critical' || f.severity === 'high',
  );
  const gate: GateResult =
    blocking.length > 0
      ? {
          conclusion: 'failure',
          reason: `${blocking.length} finding${blocking.length === 1 ? '' : 's'} at or above the gate severity (high).`,
          blocking,
        }
      : {
          conclusion: 'success',
          reason: 'No findings at or above the gate severity (high).',
          blocking,
        };
  return {
    headSha: '0123456789abcdef0123456789abcdef01234567',
    findings,
    coverage: coverage(),
    usage: usage(),
    summaries: [],
    gate,
    ...overrides,
  };
}
