import { LENS_TITLES, type Finding } from '../core/finding.ts';
import { ruleLink } from './rule-docs.ts';
import { evidenceMarkdown } from './evidence.ts';
import { anchorLabel, locationLabel } from './location.ts';
import { inlineCode, sanitizeInline, sanitizeMarkdown } from './sanitize.ts';
import { SEVERITY_BADGES, SEVERITY_LABELS } from './severity.ts';

/** Caps for the untrusted parts of one finding; together they stay far below GitHub's comment limit. */
const MAX_TITLE = 300;
const MAX_BODY = 6000;
const MAX_FIX = 4000;
const MAX_RELATED = 10;

export interface FindingMarkdownOptions {
  /**
   * Where to say the finding is, for lists outside the diff: `reported` uses the finding's own
   * lines, `anchor` the diff line it was anchored at. Inline comments need neither.
   */
  location?: 'reported' | 'anchor';
}

/** The markdown of one finding; every part a model or pull request can influence is sanitized. */
export function findingMarkdown(
  finding: Finding,
  options: FindingMarkdownOptions = {},
): string {
  const header = [
    `${SEVERITY_BADGES[finding.severity]} **${SEVERITY_LABELS[finding.severity]}**`,
    LENS_TITLES[finding.lens],
  ];
  if (options.location) {
    header.push(
      inlineCode(
        options.location === 'anchor'
          ? anchorLabel(finding)
          : locationLabel(finding),
      ),
    );
  }
  const blocks = [
    header.join(' · '),
    titleLine(finding, options.location !== 'reported'),
  ];
  const body = sanitizeMarkdown(finding.body, MAX_BODY);
  if (body !== '') blocks.push(body);
  if (finding.fix !== undefined && finding.fix.trim() !== '')
    blocks.push(`**Fix**\n\n${sanitizeMarkdown(finding.fix, MAX_FIX)}`);
  if (finding.related && finding.related.length > 0)
    blocks.push(relatedList(finding.related));
  const investigated = evidenceMarkdown(finding);
  if (investigated) blocks.push(investigated);
  blocks.push(`<sub>${footer(finding)}</sub>`);
  return blocks.join('\n\n');
}

/** `anchored`: the finding is shown at its diff anchor, which may differ from the line it is about. */
function titleLine(finding: Finding, anchored: boolean): string {
  const title = `**${sanitizeInline(finding.title, MAX_TITLE)}**`;
  if (
    anchored &&
    finding.placement.kind === 'inline' &&
    finding.placement.movedFrom !== undefined
  ) {
    return `${title} (about line ${finding.placement.movedFrom}, which is outside the diff)`;
  }
  if (finding.placement.kind === 'file')
    return `${title} — ${sanitizeInline(finding.placement.reason, 200)}`;
  return title;
}

function relatedList(related: NonNullable<Finding['related']>): string {
  const items = related
    .slice(0, MAX_RELATED)
    .map(
      (r) =>
        `- ${inlineCode(`${r.path}:${r.line}`)}${r.note.trim() === '' ? '' : ` — ${sanitizeInline(r.note, 300)}`}`,
    );
  if (related.length > MAX_RELATED)
    items.push(`- …and ${related.length - MAX_RELATED} more`);
  return `**Related code**\n\n${items.join('\n')}`;
}

/** Rule ids of our own analyzers have a documentation page; anything else is shown as plain code. */
const RULE_ID = /^[a-z0-9-]+\/[a-z0-9-]+$/;

export function ruleReference(finding: Finding): string {
  if (finding.source === 'analyzer' && RULE_ID.test(finding.ruleId)) {
    return `[${inlineCode(finding.ruleId)}](${ruleLink(finding.ruleId)})`;
  }
  return inlineCode(finding.ruleId);
}

function footer(finding: Finding): string {
  const parts = [`Rule ${ruleReference(finding)}`];
  if (finding.source === 'model') {
    const confidence =
      finding.confidence === undefined
        ? ''
        : `, confidence ${Math.round(finding.confidence * 100)}%`;
    parts.push(`AI finding${confidence}`);
  }
  parts.push(`ID ${inlineCode(finding.id)}`);
  return parts.join(' · ');
}
