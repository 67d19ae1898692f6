import { LENS_TITLES, type Finding, type Severity } from '../core/finding.ts';
import { headRegion } from './location.ts';
import { truncateUtf8 } from './limit.ts';
import { stripControlCharacters } from './sanitize.ts';
import { SEVERITY_LABELS } from './severity.ts';

/** A check-run annotation as GitHub's REST API takes it. */
export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  title: string;
  message: string;
  raw_details?: string;
}

/** GitHub takes at most this many annotations per create or update request. */
export const ANNOTATIONS_PER_REQUEST = 50;
const TITLE_LIMIT = 255;
/** GitHub's limit for `message` and `raw_details` is 64 KB. */
const TEXT_BYTES = 64 * 1024 - 1;

const LEVELS: Record<Severity, CheckAnnotation['annotation_level']> = {
  critical: 'failure',
  high: 'failure',
  medium: 'warning',
  low: 'notice',
};

/**
 * One annotation per finding. Annotations show plain text (no markdown), so the text is only
 * stripped of control characters and cut to GitHub's limits.
 */
export function annotationsFor(
  findings: readonly Finding[],
): CheckAnnotation[] {
  return findings.map((finding) => {
    const region = headRegion(finding);
    const title = `${SEVERITY_LABELS[finding.severity]} · ${LENS_TITLES[finding.lens]}: ${oneLine(finding.title)}`;
    const message = [
      region.note,
      plain(finding.body),
      finding.fix ? `Fix: ${plain(finding.fix)}` : undefined,
      `Rule ${finding.ruleId} · ID ${finding.id}`,
    ]
      .filter((part): part is string => part !== undefined && part !== '')
      .join('\n\n');
    const annotation: CheckAnnotation = {
      path: finding.path,
      start_line: region.startLine,
      end_line: region.endLine,
      annotation_level: LEVELS[finding.severity],
      title: truncateChars(title, TITLE_LIMIT),
      message: truncateUtf8(message, TEXT_BYTES),
    };
    if (finding.related && finding.related.length > 0) {
      const related = finding.related
        .map((r) => `${r.path}:${r.line} ${oneLine(r.note)}`.trimEnd())
        .join('\n');
      annotation.raw_details = truncateUtf8(
        `Related code:\n${related}`,
        TEXT_BYTES,
      );
    }
    return annotation;
  });
}

/** Splits items into groups of at most `size`, e.g. annotations into requests. */
export function batches<T>(
  items: readonly T[],
  size = ANNOTATIONS_PER_REQUEST,
): T[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`batch size must be a positive integer, got ${size}`);
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    groups.push(items.slice(i, i + size));
  return groups;
}

function plain(text: string): string {
  return stripControlCharacters(text).trim();
}

function oneLine(text: string): string {
  return stripControlCharacters(text).replace(/\s+/g, ' ').trim();
}

function truncateChars(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut =
    text.charCodeAt(max - 2) >= 0xd800 && text.charCodeAt(max - 2) <= 0xdbff
      ? max - 2
      : max - 1;
  return `${text.slice(0, cut)}…`;
}
