import type { ModelCoverage } from '../core/coverage.ts';
import type { GateResult } from '../core/gate.ts';
import type { Usage } from '../core/usage.ts';

const VERDICTS: Record<
  GateResult['conclusion'],
  { icon: string; label: string }
> = {
  success: { icon: '✅', label: 'passed' },
  failure: { icon: '❌', label: 'failed' },
  neutral: { icon: '⚠️', label: 'neutral (not blocking)' },
  skipped: { icon: '⏭️', label: 'skipped' },
  cancelled: { icon: '⏹️', label: 'cancelled' },
  timed_out: { icon: '⏱️', label: 'timed out' },
  action_required: { icon: '✋', label: 'action required' },
};

export function gateVerdict(gate: GateResult): { icon: string; label: string } {
  return VERDICTS[gate.conclusion];
}

/**
 * One sentence on what the model step did. `escape` is applied to the free-text detail (error
 * messages can quote remote responses), so callers choose markdown or terminal escaping.
 */
export function modelStatusText(
  model: ModelCoverage,
  escape: (text: string) => string,
): string {
  const detail = model.detail ? escape(model.detail) : undefined;
  const chunks = `${model.chunksReviewed} of ${model.chunksTotal} chunk${model.chunksTotal === 1 ? '' : 's'}`;
  switch (model.status) {
    case 'completed':
      return `AI review completed (${chunks}).`;
    case 'partial':
      return `AI review incomplete: ${chunks} reviewed${detail ? ` (${detail})` : ''}.`;
    case 'failed':
      return `AI review failed${detail ? `: ${detail}` : ''}. Only the deterministic analyzers' findings are shown.`;
    case 'not-configured':
      return `AI review not configured${detail ? ` (${detail})` : ''}; only the deterministic analyzers ran.`;
    case 'disabled':
      return `AI review disabled${detail ? `: ${detail}` : ''}; only the deterministic analyzers ran.`;
    case 'skipped':
      return `AI review skipped${detail ? `: ${detail}` : ''}.`;
  }
}

export function modelStatusIcon(model: ModelCoverage): string {
  return model.status === 'completed'
    ? '✅'
    : model.status === 'partial' || model.status === 'failed'
      ? '⚠️'
      : 'ℹ️';
}

const NUMBER = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return NUMBER.format(n);
}

/** Dollars with enough digits to see small amounts: $0.0042, $1.25. */
export function formatUsd(amount: number): string {
  return `$${amount.toFixed(amount > 0 && amount < 0.1 ? 4 : 2)}`;
}

export function formatDuration(ms: number): string {
  return ms < 1000
    ? `${Math.round(ms)} ms`
    : ms < 120_000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Usage in one plain-text line; the model name is passed through `escape`. */
export function usageText(
  usage: Usage,
  escape: (text: string) => string,
  extra: { model?: string; durationMs?: number } = {},
): string {
  const parts: string[] = [];
  const model = usage.model ?? extra.model;
  if (model) parts.push(escape(model));
  if (usage.requests === 0) parts.push('no model requests');
  else {
    parts.push(
      `${formatCount(usage.requests)} request${usage.requests === 1 ? '' : 's'}`,
    );
    parts.push(
      `${formatCount(usage.inputTokens)} input, ${formatCount(usage.outputTokens)} output, ` +
        `${formatCount(usage.cacheReadTokens)} cache-read, ${formatCount(usage.cacheCreationTokens)} cache-write tokens`,
    );
    parts.push(
      usage.costUsd === undefined
        ? 'cost unknown (no price for this model)'
        : `≈ ${formatUsd(usage.costUsd)}`,
    );
  }
  if (extra.durationMs !== undefined)
    parts.push(`took ${formatDuration(extra.durationMs)}`);
  return parts.join(' · ');
}
