import type { ReviewResult } from '../core/review.ts';
import { plural } from './severity.ts';

function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/**
 * What the review read beyond the diff and how the verification pass went, in one line; undefined
 * when neither happened. The repository's requests count against the installation's rate limit.
 */
export function investigationLine(
  result: Pick<ReviewResult, 'repository' | 'tools' | 'verification'>,
): string | undefined {
  const parts: string[] = [];
  const repo = result.repository;
  if (repo && (repo.requests > 0 || repo.bytes > 0)) {
    const how =
      repo.mode === 'git'
        ? 'local git'
        : repo.mode === 'snapshot'
          ? 'one snapshot'
          : `file by file${repo.note ? ` (${repo.note})` : ''}`;
    parts.push(
      `repository read: ${size(repo.bytes)} via ${how}${repo.mode === 'git' ? '' : `, ${plural(repo.requests, 'request')}`}`,
    );
  }
  const tools = result.tools;
  if (tools && tools.calls > 0) {
    parts.push(
      `tools: ${plural(tools.calls, 'call')} in ${plural(tools.rounds, 'round')}, ${size(tools.resultBytes)} of results${tools.forcedReports > 0 ? `, ${plural(tools.forcedReports, 'chunk')} stopped at a limit` : ''}`,
    );
  }
  const v = result.verification;
  if (v && v.checked > 0)
    parts.push(
      `verification: ${v.checked} checked, ${v.dropped} dropped, ${v.downgraded} downgraded${v.failed > 0 ? `, ${v.failed} not verified` : ''}`,
    );
  return parts.length > 0 ? parts.join(' · ') : undefined;
}
