import type { ConfigProblem } from '../config/parse-config.ts';
import { SEVERITIES, type Severity } from '../core/finding.ts';
import type { ReviewResult } from '../core/review.ts';
import { configProblemsMarkdown } from './config-problems.ts';
import { coverageMarkdown } from './coverage-markdown.ts';
import { findingMarkdown } from './finding-markdown.ts';
import { findingsTable } from './findings-table.ts';
import { fitBlocks, GITHUB_TEXT_LIMIT, limitMarkdown } from './limit.ts';
import { sanitizeInline, sanitizeMarkdown } from './sanitize.ts';
import { capitalize, countBySeverity, countsPhrase, plural } from './severity.ts';
import { gateVerdict, modelStatusIcon, modelStatusText, usageText } from './status-lines.ts';

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
  /** The configured gate severity, for the title; read from the gate's reason when absent. */
  gateSeverity?: Severity;
}

const TITLE_LIMIT = 255;
const MAX_SUMMARIES = 5;

/** The check run's output: a one-line title, a summary of counts, gate and coverage, and every finding in `text`. */
export function checkRunOutput(result: ReviewResult, context: CheckRunContext): CheckRunOutput {
  const summary = limitMarkdown(summaryMarkdown(result, context), GITHUB_TEXT_LIMIT);
  if (result.findings.length === 0) return { title: checkRunTitle(result, context.gateSeverity), summary };
  return { title: checkRunTitle(result, context.gateSeverity), summary, text: findingsText(result) };
}

/** E.g. "2 high, 1 medium — gate failed (high)", "No findings — passed", "1 low — AI review not configured". */
export function checkRunTitle(result: ReviewResult, gateSeverity?: Severity): string {
  const counts = capitalize(countsPhrase(countBySeverity(result.findings)));
  const threshold = gateSeverity ?? severityInReason(result.gate.reason);
  let verdict: string;
  switch (result.gate.conclusion) {
    case 'failure':
      verdict = `gate failed${threshold ? ` (${threshold})` : ''}`;
      break;
    case 'success':
      verdict = 'passed';
      break;
    case 'neutral':
      verdict = result.coverage.model.status === 'not-configured' ? 'AI review not configured' : result.coverage.complete ? 'not blocking' : 'review incomplete';
      break;
    default:
      verdict = gateVerdict(result.gate).label;
  }
  return `${counts} — ${verdict}`.slice(0, TITLE_LIMIT);
}

/**
 * The gate's reason names the configured severity, e.g. "… at or above the gate severity (high).";
 * used only when the caller did not pass the severity.
 */
function severityInReason(reason: string): Severity | undefined {
  const match = /\((critical|high|medium|low)\)\.?$/.exec(reason);
  return SEVERITIES.find((s) => s === match?.[1]);
}

/** The summary markdown, shared with the local markdown report. */
export function summaryMarkdown(result: ReviewResult, context: Partial<CheckRunContext> = {}): string {
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
    const shown = result.summaries.slice(0, MAX_SUMMARIES).map((s) => sanitizeMarkdown(s, 1500));
    if (result.summaries.length > MAX_SUMMARIES) shown.push(`_…and ${plural(result.summaries.length - MAX_SUMMARIES, 'more summary', 'more summaries')}._`);
    blocks.push(`### Model summary\n\n${shown.join('\n\n---\n\n')}`);
  }
  return blocks.join('\n\n');
}

/** Every finding in full, for the check run's details; whole findings are dropped when they do not fit. */
function findingsText(result: ReviewResult): string {
  const heading = `## Findings (${result.findings.length})`;
  const blocks = result.findings.map((f) => findingMarkdown(f, { location: 'reported' }));
  const body = fitBlocks(blocks, GITHUB_TEXT_LIMIT - heading.length - 2, (n) => `_…and ${plural(n, 'more finding')} not shown here: the check run output is limited to ${GITHUB_TEXT_LIMIT} characters._`, '\n\n---\n\n');
  return `${heading}\n\n${body}`;
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
