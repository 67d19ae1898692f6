import type { ReviewResult } from '../core/review.ts';
import { summaryMarkdown, type CheckRunContext } from './check-run-output.ts';
import { changeMapMarkdown } from './change-map-markdown.ts';
import { findingMarkdown } from './finding-markdown.ts';
import { inlineCode, sanitizeInline } from './sanitize.ts';
import { investigationLine } from './investigation-line.ts';

/**
 * A standalone markdown report: the check-run summary followed by every finding. Sanitized like
 * the GitHub output, since such a report is often pasted into a pull request.
 */
export function formatMarkdown(
  result: ReviewResult,
  context: Partial<CheckRunContext> = {},
): string {
  const blocks = [
    `# Backend Architect review of ${inlineCode(result.headSha.slice(0, 12))}`,
  ];
  const map = changeMapMarkdown(result.changeMap);
  if (map) blocks.push(map);
  blocks.push(summaryMarkdown(result, context));
  const investigated = investigationLine(result);
  if (investigated)
    blocks.push(`Investigation: ${sanitizeInline(investigated, 600)}`);
  if (result.findings.length > 0) {
    blocks.push(
      `## Findings (${result.findings.length})`,
      result.findings
        .map((f) => findingMarkdown(f, { location: 'reported' }))
        .join('\n\n---\n\n'),
    );
  }
  return `${blocks.join('\n\n')}\n`;
}
