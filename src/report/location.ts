import type { Finding } from '../core/finding.ts';

/**
 * A finding's location for people: `path:line` or `path:start-end` on the head side, a note for
 * removed lines, the bare path for findings about a whole file.
 */
export function locationLabel(finding: Finding): string {
  const { lines } = finding;
  if (!lines) return finding.path;
  const range =
    lines.start === lines.end
      ? `${lines.start}`
      : `${Math.min(lines.start, lines.end)}-${Math.max(lines.start, lines.end)}`;
  return lines.side === 'RIGHT'
    ? `${finding.path}:${range}`
    : `${finding.path} (removed line${lines.start === lines.end ? '' : 's'} ${range})`;
}

export interface HeadRegion {
  startLine: number;
  endLine: number;
  /** Set when the region stands in for a location that cannot be pointed at in the head file. */
  note?: string;
}

/**
 * The head-file lines annotations and SARIF point at. Annotations and SARIF results refer to the
 * head revision, so removed lines and whole-file findings point at line 1. Model findings outside
 * the diff also point at line 1: the model saw only the diff, so such a line number is a guess.
 */
export function headRegion(finding: Finding): HeadRegion {
  const { lines } = finding;
  if (!lines) return { startLine: 1, endLine: 1 };
  const start = Math.max(1, Math.min(lines.start, lines.end));
  const end = Math.max(1, lines.start, lines.end);
  const span = start === end ? `line ${start}` : `lines ${start}-${end}`;
  if (lines.side === 'LEFT')
    return {
      startLine: 1,
      endLine: 1,
      note: `About removed ${span} of the base revision.`,
    };
  if (finding.placement.kind === 'file' && finding.source === 'model') {
    return {
      startLine: 1,
      endLine: 1,
      note: `About ${span}, which is outside the diff.`,
    };
  }
  return { startLine: start, endLine: end };
}

/** The line a finding was anchored at in the diff, for findings GitHub would not accept inline. */
export function anchorLabel(finding: Finding): string {
  if (finding.placement.kind === 'inline') {
    const { line, startLine, side } = finding.placement;
    const range =
      startLine !== undefined && startLine !== line
        ? `${startLine}-${line}`
        : `${line}`;
    return side === 'RIGHT'
      ? `${finding.path}:${range}`
      : `${finding.path} (removed line${startLine !== undefined && startLine !== line ? 's' : ''} ${range})`;
  }
  return locationLabel(finding);
}
