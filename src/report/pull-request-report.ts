import type { ConfigProblem } from '../config/parse-config.ts';
import { LENS_TITLES, type Finding, type Severity } from '../core/finding.ts';
import type { GateResult } from '../core/gate.ts';
import { configProblemsMarkdown } from './config-problems.ts';
import { findingMarkdown } from './finding-markdown.ts';
import { findingsTable } from './findings-table.ts';
import {
  bulletList,
  fitBlocks,
  GITHUB_TEXT_LIMIT,
  limitMarkdown,
} from './limit.ts';
import { locationLabel } from './location.ts';
import { inlineCode, sanitizeInline, sanitizeMarkdown } from './sanitize.ts';
import {
  capitalize,
  countBySeverity,
  countsPhrase,
  plural,
  SEVERITY_BADGES,
} from './severity.ts';
import { formatCount, formatUsd, gateVerdict } from './status-lines.ts';

/** How much of the last review happened, for the one-line verdict. */
export type ReviewCompleteness =
  | 'complete'
  | 'incomplete'
  | 'not-configured'
  | 'pending';

export interface WaiverView {
  id: string;
  fingerprint: string;
  title: string;
  by: string;
  reason: string;
}

export interface FixedView {
  id: string;
  title: string;
  severity: Severity;
  /** The head that no longer had it. */
  sha: string;
}

export interface CostView {
  usd: number;
  /** False when some request had no known price: the amount is a lower bound. */
  priced: boolean;
  requests: number;
  inputTokens: number;
  outputTokens: number;
}

/** The state of a pull request's review across pushes: what the check run and the summary comment show. */
export interface PullRequestReport {
  headSha: string;
  gate: GateResult<Finding>;
  gateSeverity: Severity;
  completeness: ReviewCompleteness;
  /** Every open finding, waived ones included. */
  open: Finding[];
  waivers: WaiverView[];
  /** Findings this run found fixed. */
  fixedNow: FixedView[];
  /** Recently fixed findings across runs, newest first. */
  fixedRecently: FixedView[];
  /** Markdown of the app's own making: the coverage section of the check run. */
  coverageMarkdown: string;
  /** One line of coverage counts, for the summary comment. */
  coverageLine: string;
  modelLine: string;
  usageLine?: string;
  /** What this run covered, e.g. "Incremental review: …". */
  scopeLine?: string;
  configProblems: ConfigProblem[];
  summaries: string[];
  /** Markdown of the app's own making (items sanitized): the backend change map that opens the summary comment. */
  changeMapMarkdown?: string;
  cost: CostView;
  reviews: number;
  checkRunUrl?: string;
}

const TITLE_LIMIT = 255;
const MAX_SUMMARIES = 5;
const LISTED = 50;

/** The check run's output: every open finding of the pull request, not only this push's. */
export function pullRequestCheckOutput(report: PullRequestReport): {
  title: string;
  summary: string;
  text?: string;
} {
  const waived = waivedSet(report);
  const active = report.open.filter((f) => !waived.has(f.fingerprint));
  const blocks = [
    verdictLine(report),
    ...(report.scopeLine ? [report.scopeLine] : []),
  ];
  blocks.push(
    `### Open findings\n\n${active.length === 0 ? 'No open findings.' : findingsTable(active)}`,
  );
  if (report.waivers.length > 0)
    blocks.push(
      `### Waived (${report.waivers.length})\n\n${waiverList(report.waivers)}`,
    );
  if (report.fixedNow.length > 0)
    blocks.push(
      `### Fixed by this push (${report.fixedNow.length})\n\n${fixedList(report.fixedNow, false)}`,
    );
  blocks.push(report.coverageMarkdown);
  const usage = report.usageLine ? `\n\nUsage: ${report.usageLine}` : '';
  blocks.push(
    `### AI review\n\n${report.modelLine}${usage}\n\nCost so far on this pull request: ${costText(report.cost, report.reviews)}`,
  );
  const problems = configProblemsMarkdown(report.configProblems);
  if (problems !== '') blocks.push(problems);
  if (report.summaries.length > 0) {
    const shown = report.summaries
      .slice(0, MAX_SUMMARIES)
      .map((s) => sanitizeMarkdown(s, 1500));
    if (report.summaries.length > MAX_SUMMARIES)
      shown.push(
        `_…and ${plural(report.summaries.length - MAX_SUMMARIES, 'more summary', 'more summaries')}._`,
      );
    blocks.push(`### Model summary\n\n${shown.join('\n\n---\n\n')}`);
  }
  const summary = limitMarkdown(blocks.join('\n\n'), GITHUB_TEXT_LIMIT);
  const title = pullRequestCheckTitle(report);
  if (report.open.length === 0) return { title, summary };
  const ordered = [
    ...active,
    ...report.open.filter((f) => waived.has(f.fingerprint)),
  ];
  const heading = `## Open findings (${report.open.length})`;
  const items = ordered.map((f) =>
    waived.has(f.fingerprint)
      ? `_Waived._\n\n${findingMarkdown(f, { location: 'reported' })}`
      : findingMarkdown(f, { location: 'reported' }),
  );
  const body = fitBlocks(
    items,
    GITHUB_TEXT_LIMIT - heading.length - 2,
    (n) =>
      `_…and ${plural(n, 'more finding')} not shown here: the check run output is limited to ${GITHUB_TEXT_LIMIT} characters._`,
    '\n\n---\n\n',
  );
  return { title, summary, text: `${heading}\n\n${body}` };
}

/** E.g. "2 high, 1 medium (1 waived) — gate failed (high)", "No findings — AI review awaits a maintainer". */
export function pullRequestCheckTitle(report: PullRequestReport): string {
  const waived = waivedSet(report);
  const active = report.open.filter((f) => !waived.has(f.fingerprint));
  const waivedCount = report.open.length - active.length;
  const counts = `${capitalize(countsPhrase(countBySeverity(active)))}${waivedCount > 0 ? ` (${waivedCount} waived)` : ''}`;
  let verdict: string;
  switch (report.gate.conclusion) {
    case 'failure':
    case 'action_required':
      verdict =
        report.gate.blocking.length > 0
          ? `gate failed (${report.gateSeverity})`
          : incompleteVerdict(report.completeness);
      break;
    case 'success':
      verdict = 'passed';
      break;
    case 'neutral':
      verdict = incompleteVerdict(report.completeness);
      break;
    default:
      verdict = gateVerdict(report.gate).label;
  }
  return `${counts} — ${verdict}`.slice(0, TITLE_LIMIT);
}

function incompleteVerdict(completeness: ReviewCompleteness): string {
  switch (completeness) {
    case 'pending':
      return 'AI review awaits a maintainer';
    case 'not-configured':
      return 'AI review not configured';
    case 'incomplete':
      return 'review incomplete';
    case 'complete':
      return 'not blocking';
  }
}

/** The pull request's summary comment (without its state marker): kept in place and edited as the pull request changes. */
export function summaryCommentBody(report: PullRequestReport): string {
  const waived = waivedSet(report);
  const active = report.open.filter((f) => !waived.has(f.fingerprint));
  const link = safeUrl(report.checkRunUrl);
  const blocks = [
    `## Backend Architect`,
    `${verdictLine(report)}${link ? ` · [Check run](${link})` : ''}`,
  ];
  if (report.changeMapMarkdown)
    blocks.push(limitMarkdown(report.changeMapMarkdown, 12_000));
  if (active.length === 0) blocks.push('**No open findings.**');
  else {
    blocks.push(
      `**Open findings: ${active.length}**\n\n${findingsTable(active)}`,
    );
    const items = active.map(
      (f) =>
        `${SEVERITY_BADGES[f.severity]} ${inlineCode(f.id)} **${sanitizeInline(f.title, 200)}** · ${LENS_TITLES[f.lens]} · ${inlineCode(locationLabel(f), 200)}`,
    );
    blocks.push(
      `<details${active.length <= 10 ? ' open' : ''}>\n<summary>Open findings (${active.length})</summary>\n\n${bulletList(items, LISTED, 15_000)}\n\n</details>`,
    );
  }
  if (report.waivers.length > 0)
    blocks.push(
      `**Waived (${report.waivers.length})** — shown, but not counted by the gate:\n\n${waiverList(report.waivers)}`,
    );
  if (report.fixedRecently.length > 0)
    blocks.push(
      `**Fixed (${report.fixedRecently.length})**\n\n${fixedList(report.fixedRecently.slice(0, 20), true)}`,
    );
  blocks.push(
    `**Last review** at ${inlineCode(report.headSha.slice(0, 7))}: ${report.coverageLine}\n\n${report.modelLine}`,
  );
  blocks.push(`**Cost so far:** ${costText(report.cost, report.reviews)}`);
  blocks.push(
    '<sub>This comment is kept up to date on every push. Comment `/architect help` for commands.</sub>',
  );
  return limitMarkdown(blocks.join('\n\n'), GITHUB_TEXT_LIMIT - 45_000);
}

function verdictLine(report: PullRequestReport): string {
  const verdict = gateVerdict(report.gate);
  return `${verdict.icon} **Gate ${verdict.label}** at ${inlineCode(report.headSha.slice(0, 7))}. ${sanitizeInline(report.gate.reason, 1000)}`;
}

function waiverList(waivers: readonly WaiverView[]): string {
  return bulletList(
    // The waiver's author is named without notifying them again on every edit of the comment.
    waivers.map(
      (w) =>
        `${inlineCode(w.id)} ${sanitizeInline(w.title, 200)} — waived by ${sanitizeInline(`@${w.by}`, 120)}: ${sanitizeInline(w.reason, 500)}`,
    ),
    LISTED,
    15_000,
  );
}

function fixedList(fixed: readonly FixedView[], withSha: boolean): string {
  return bulletList(
    fixed.map(
      (f) =>
        `${SEVERITY_BADGES[f.severity]} ${inlineCode(f.id)} ${sanitizeInline(f.title, 200)}${withSha ? ` — fixed in ${inlineCode(f.sha.slice(0, 7))}` : ''}`,
    ),
    LISTED,
    10_000,
  );
}

export function costText(cost: CostView, reviews: number): string {
  const amount =
    cost.requests === 0
      ? 'no model requests'
      : `${cost.priced ? '≈ ' : 'at least '}${formatUsd(cost.usd)} for ${plural(cost.requests, 'model request')}`;
  const tokens =
    cost.requests === 0
      ? ''
      : ` (${formatCount(cost.inputTokens)} input, ${formatCount(cost.outputTokens)} output tokens)`;
  return `${amount}${tokens} over ${plural(reviews, 'review')}`;
}

function waivedSet(report: PullRequestReport): Set<string> {
  return new Set(report.waivers.map((w) => w.fingerprint));
}

function safeUrl(url: string | undefined): string | undefined {
  if (!url || !/^https?:\/\/[^\s()<>]+$/.test(url)) return undefined;
  return url;
}
