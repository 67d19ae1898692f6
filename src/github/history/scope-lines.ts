import type { Coverage } from '../../core/coverage.ts';
import { sanitizeInline } from '../../report/sanitize.ts';
import { modelStatusText } from '../../report/status-lines.ts';
import { shortSha } from '../review/review-job.ts';
import type { ReviewScope } from './review-scope.ts';

/** What the AI review did this run, in one line of the app's own words. */
export function modelLineFor(
  coverage: Coverage,
  scope: ReviewScope,
  hold: string | undefined,
): string {
  if (hold)
    return `ℹ️ AI review on hold: ${hold}. Someone with write access can comment \`/architect review\` to run it; the deterministic analyzers ran.`;
  if (
    scope.kind === 'incremental' &&
    coverage.model.status === 'skipped' &&
    coverage.model.chunksTotal === 0
  ) {
    return `ℹ️ AI review not needed: no file changed since ${shortSha(scope.since)} needed it again.`;
  }
  return modelStatusText(coverage.model, (t) => sanitizeInline(t, 500));
}

/** What this run covered: a full review and why, or what an incremental one looked at. */
export function scopeLine(
  scope: ReviewScope,
  modelPaths: ReadonlySet<string> | undefined,
  hold: string | undefined,
): string {
  if (scope.kind === 'full') return `Full review (${scope.reason}).`;
  const count = modelPaths?.size ?? 0;
  const files = hold
    ? 'the AI review is on hold'
    : count === 0
      ? 'the AI reviewed no file again'
      : `the AI reviewed the ${count} file${count === 1 ? '' : 's'} changed since ${shortSha(scope.since)}`;
  return `Incremental review: ${files}; the deterministic analyzers checked every file. Findings from earlier reviews of unchanged files stay open until fixed.`;
}
