import type { ConfigProblem } from '../config/parse-config.ts';
import type { Severity } from '../core/finding.ts';
import type { ReviewResult } from '../core/review.ts';
import { configProblemsMarkdown } from './config-problems.ts';
import { coverageMarkdown } from './coverage-markdown.ts';
import { findingsTable } from './findings-table.ts';
import { sanitizeInline, sanitizeMarkdown } from './sanitize.ts';
import { plural } from './severity.ts';
import {
  gateVerdict,
  modelStatusIcon,
  modelStatusText,
  usageText,
} from './status-lines.ts';

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
}

export interface CheckRunContext {
  configProblems: ConfigProblem[];
  /** The configured model, shown when the usage does not name one (e.g. no request was made). */
  model?: string;
  durationMs?: number;
  /** The configured gate severity (the gate's reason already names it). */
  gateSeverity?: Severity;
}

const MAX_SUMMARIES = 5;

/**
 * The summary markdown of the local markdown report. (On GitHub the check run's output comes from
 * the pull-request report, which also counts findings carried over from earlier pushes.)
 */
export function summaryMarkdown(
  result: ReviewResult,
  context: Partial<CheckRunContext> = {},
): string {
  const verdict = gateVerdict(result.gate);
  const blocks = [
    `${verdict.icon} **Gate ${verdict.label}.** ${sanitizeInline(result.gate.reason, 1000)}`,
    `### Findings\n\n${result.findings.length === 0 ? 'No findings.' : findingsTable(result.findings)}`,
    coverageMarkdown(result.coverage),
    `### AI review\n\n${modelStatusIcon(result.coverage.model)} ${modelStatusText(result.coverage.model, (t) => sanitizeInline(t, 500))}\n\n` +
      `Usage: ${usageText(result.usage, (t) => sanitizeInline(t, 100), { model: context.model, durationMs: context.durationMs })}`,
  ];
  const problems = configProblemsMarkdown(context.configProblems ?? []);
  if (problems !== '') blocks.push(problems);
  if (result.summaries.length > 0) {
    const shown = result.summaries
      .slice(0, MAX_SUMMARIES)
      .map((s) => sanitizeMarkdown(s, 1500));
    if (result.summaries.length > MAX_SUMMARIES)
      shown.push(
        `_…and ${plural(result.summaries.length - MAX_SUMMARIES, 'more summary', 'more summaries')}._`,
      );
    blocks.push(`### Model summary\n\n${shown.join('\n\n---\n\n')}`);
  }
  return blocks.join('\n\n');
}

/** Output for a check run that concluded without a review (draft, disabled, nothing in scope). */
export function skippedOutput(reason: string): CheckRunOutput {
  return { title: 'Review skipped', summary: sanitizeMarkdown(reason, 4000) };
}

/** Output for a review that could not finish; the message may quote a remote error, so it is sanitized. */
export function failedOutput(message: string): CheckRunOutput {
  return {
    title: 'Review failed',
    summary: `The review could not be completed: ${sanitizeInline(message, 2000)}\n\nRe-run the check to try again.`,
  };
}
