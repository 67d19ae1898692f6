import type { Finding, Severity } from '../core/finding.ts';
import type { ReviewResult } from '../core/review.ts';
import { coverageCountsLine } from './coverage-markdown.ts';
import { locationLabel } from './location.ts';
import { evidenceLabel } from './evidence.ts';
import { investigationLine } from './investigation-line.ts';
import { isEmptyChangeMap } from '../core/change-map/change-map.ts';
import { changeMapSections } from './change-map-markdown.ts';
import { stripControlCharacters } from './sanitize.ts';
import { countBySeverity, countsPhrase, plural } from './severity.ts';
import { gateVerdict, modelStatusText, usageText } from './status-lines.ts';

export interface TextOptions {
  /** ANSI colours, for a terminal. */
  color?: boolean;
}

type Style =
  | 'bold'
  | 'dim'
  | 'red'
  | 'yellow'
  | 'blue'
  | 'green'
  | 'magenta'
  | 'cyan';
const CODES: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
};
const SEVERITY_STYLES: Record<Severity, Style[]> = {
  critical: ['bold', 'magenta'],
  high: ['red'],
  medium: ['yellow'],
  low: ['blue'],
};
const INDENT = '    ';

/**
 * A terminal report: findings grouped by file as `path:line  severity  ruleId  title` with the body
 * indented below, then coverage, the model's status, and a last line with the verdict. Text from
 * the model or the repository is stripped of control characters, so it cannot drive the terminal.
 */
export function formatText(
  result: ReviewResult,
  options: TextOptions = {},
): string {
  const paint = (text: string, ...styles: Style[]): string =>
    options.color
      ? styles.reduce(
          (t, s) => `\u001b[${CODES[s][0]}m${t}\u001b[${CODES[s][1]}m`,
          text,
        )
      : text;
  const out: string[] = [];

  const map = result.changeMap;
  if (map && !isEmptyChangeMap(map)) {
    out.push(paint('Backend change map', 'bold'));
    for (const [heading, items] of changeMapSections(map, clean, oneLine, (f) =>
      clean(f.line ? `${f.path}:${f.line}` : f.path),
    )) {
      out.push(`  ${heading}:`, ...items.map((i) => `    - ${i}`));
    }
    for (const note of map.narrative.slice(0, 4))
      out.push(`  Trade-offs and deployment (AI): ${oneLine(note)}`);
    out.push('');
  }

  if (result.findings.length === 0) out.push('No findings.');
  for (const group of groupByFile(result.findings)) {
    for (const finding of group) out.push(...findingLines(finding, paint));
    out.push('');
  }
  if (result.findings.length === 0) out.push('');

  const { coverage } = result;
  out.push(`Coverage: ${coverageCountsLine(coverage)}`);
  for (const file of coverage.files) {
    if (file.status !== 'not-reviewed' && file.status !== 'partial') continue;
    const status = file.status === 'partial' ? 'partial     ' : 'not reviewed';
    out.push(
      `  ${paint(status, 'yellow')}  ${clean(file.path)}${file.reasons.length > 0 ? `: ${file.reasons.map(clean).join('; ')}` : ''}`,
    );
  }
  if (coverage.unlistedFiles > 0)
    out.push(
      `  ${paint(plural(coverage.unlistedFiles, 'more changed file'), 'yellow')} could not be listed, so not reviewed`,
    );
  for (const note of coverage.notes) {
    const where = note.path
      ? ` (${clean(note.line === undefined ? note.path : `${note.path}:${note.line}`)})`
      : '';
    out.push(
      `  ${paint('note', 'dim')}  ${clean(note.source)}: ${clean(note.message)}${where}`,
    );
  }
  out.push(modelStatusText(coverage.model, clean));
  out.push(`Usage: ${usageText(result.usage, clean)}`);
  const investigated = investigationLine(result);
  if (investigated) out.push(`Investigation: ${clean(investigated)}`);
  for (const summary of result.summaries)
    out.push(`Summary: ${indent(clean(summary).trim()).trimStart()}`);

  const verdict = gateVerdict(result.gate);
  const color: Style =
    result.gate.conclusion === 'success'
      ? 'green'
      : result.gate.conclusion === 'failure'
        ? 'red'
        : 'yellow';
  out.push(
    `${paint(`Gate ${verdict.label}`, 'bold', color)}: ${clean(result.gate.reason)} (${countsPhrase(countBySeverity(result.findings))})`,
  );
  return `${out.join('\n')}\n`;
}

function findingLines(
  finding: Finding,
  paint: (text: string, ...styles: Style[]) => string,
): string[] {
  const lines = [
    `${paint(clean(locationLabel(finding)), 'bold')}  ${paint(finding.severity.padEnd(8), ...SEVERITY_STYLES[finding.severity])}  ${paint(clean(finding.ruleId), 'cyan')}  ${oneLine(finding.title)}`,
  ];
  const body = indent(clean(finding.body).trim());
  if (body !== '') lines.push(body);
  if (finding.fix && finding.fix.trim() !== '')
    lines.push(indent(`Fix: ${clean(finding.fix).trim()}`));
  for (const related of finding.related ?? [])
    lines.push(
      indent(
        `Related: ${clean(`${related.path}:${related.line}`)} ${oneLine(related.note)}`.trimEnd(),
      ),
    );
  if (finding.evidence && finding.evidence.length > 0)
    lines.push(
      indent(
        `Looked at: ${finding.evidence.map((e) => clean(evidenceLabel(e))).join(', ')}`,
      ),
    );
  if (finding.unsupported)
    lines.push(
      indent(
        'Not checked against the code outside the diff it depends on; confidence lowered.',
      ),
    );
  if (
    finding.verification?.verdict === 'downgrade' &&
    finding.verification.from
  )
    lines.push(
      indent(
        `Downgraded from ${finding.verification.from} by verification: ${oneLine(finding.verification.reason)}`,
      ),
    );
  const origin =
    finding.source === 'model'
      ? ` · AI finding${finding.confidence === undefined ? '' : `, confidence ${Math.round(finding.confidence * 100)}%`}`
      : '';
  lines.push(paint(`${INDENT}id ${finding.id}${origin}`, 'dim'));
  return lines;
}

/** Files in order of their most severe finding (the engine sorts by severity), lines ascending within a file. */
function groupByFile(findings: readonly Finding[]): Finding[][] {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings)
    groups.set(finding.path, [...(groups.get(finding.path) ?? []), finding]);
  return [...groups.values()].map((group) =>
    group.toSorted(
      (a, b) =>
        (a.lines ? Math.min(a.lines.start, a.lines.end) : 0) -
        (b.lines ? Math.min(b.lines.start, b.lines.end) : 0),
    ),
  );
}

function clean(text: string): string {
  return stripControlCharacters(text).replace(/\t/g, '  ');
}

function oneLine(text: string): string {
  return clean(text).replace(/\s+/g, ' ').trim();
}

function indent(text: string): string {
  return text === ''
    ? ''
    : text
        .split('\n')
        .map((line) => (line === '' ? '' : INDENT + line))
        .join('\n');
}
