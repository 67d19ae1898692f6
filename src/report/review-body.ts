import { SEVERITIES, type Finding } from '../core/finding.ts';
import { incompleteReason } from '../core/gate.ts';
import type { ReviewResult } from '../core/review.ts';
import { findingMarkdown } from './finding-markdown.ts';
import { fitBlocks, GITHUB_TEXT_LIMIT, limitMarkdown } from './limit.ts';
import { sanitizeInline } from './sanitize.ts';
import { countBySeverity, plural, SEVERITY_BADGES } from './severity.ts';
import { gateVerdict } from './status-lines.ts';

export interface ReviewBodyOptions {
  /** Findings about whole files (placement `file`), which have no inline comment. */
  fileLevel: Finding[];
  checkRunUrl?: string;
  /** Findings moved out of inline comments because GitHub rejected their anchors. */
  folded?: Finding[];
}

const MAX_SUMMARIES = 3;
/** Sections open by default when short; long ones start collapsed. */
const OPEN_UP_TO = 5;

/** The body of the single pull-request review: verdict, counts, and what could not be said inline. */
export function reviewBody(
  result: ReviewResult,
  options: ReviewBodyOptions,
): string {
  const verdict = gateVerdict(result.gate);
  const head = [
    `**Backend Architect** · ${verdict.icon} Gate ${verdict.label}: ${sanitizeInline(result.gate.reason, 1000)}`,
    countsLine(result.findings),
  ];
  // A neutral gate already explains an incomplete review; otherwise say it here, so a failure or
  // pass on part of the diff never reads as a verdict on all of it.
  if (!result.coverage.complete && result.gate.conclusion !== 'neutral') {
    head.push(
      `⚠️ Only part of this pull request was reviewed: ${sanitizeInline(incompleteReason(result.coverage), 1000)}.`,
    );
  }
  const link = safeUrl(options.checkRunUrl);
  if (link)
    head.push(`[Coverage, usage and every finding in the check run](${link})`);
  if (result.summaries.length > 0) {
    const items = result.summaries
      .slice(0, MAX_SUMMARIES)
      .map((s) => `- ${sanitizeInline(s, 600)}`);
    if (result.summaries.length > MAX_SUMMARIES)
      items.push(
        `- …and ${result.summaries.length - MAX_SUMMARIES} more in the check run`,
      );
    head.push(`**Summary**\n\n${items.join('\n')}`);
  }
  const top = head.join('\n\n');

  const folded = options.folded ?? [];
  const sections = [
    {
      title: 'About whole files',
      findings: options.fileLevel,
      location: 'reported' as const,
    },
    {
      title: 'Could not be placed on the diff',
      findings: folded,
      location: 'anchor' as const,
    },
  ].filter((s) => s.findings.length > 0);
  const room = GITHUB_TEXT_LIMIT - top.length - 200;
  const parts = [top];
  for (const section of sections) {
    const blocks = section.findings.map((f) =>
      findingMarkdown(f, { location: section.location }),
    );
    const more = (n: number): string =>
      `_…and ${plural(n, 'more finding')}, listed in the check run._`;
    const body = fitBlocks(
      blocks,
      Math.floor(room / sections.length) - 100,
      more,
      '\n\n---\n\n',
    );
    parts.push(
      `<details${section.findings.length <= OPEN_UP_TO ? ' open' : ''}>\n<summary>${section.title} (${section.findings.length})</summary>\n\n${body}\n\n</details>`,
    );
  }
  return limitMarkdown(parts.join('\n\n'), GITHUB_TEXT_LIMIT);
}

function countsLine(findings: readonly Finding[]): string {
  const counts = countBySeverity(findings);
  if (counts.total === 0) return 'No findings.';
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map(
    (s) => `${SEVERITY_BADGES[s]} ${counts[s]} ${s}`,
  );
  return `Findings: ${parts.join(' · ')}`;
}

/** Only a plain https URL goes into a link; anything else could break out of the markdown. */
function safeUrl(url: string | undefined): string | undefined {
  if (!url || !/^https:\/\/[^\s()<>]+$/.test(url)) return undefined;
  return url;
}
