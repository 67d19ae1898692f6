import type {
  Coverage,
  FileCoverage,
  FileReviewStatus,
} from '../core/coverage.ts';
import { bulletList } from './limit.ts';
import { inlineCode, sanitizeInline } from './sanitize.ts';
import { plural } from './severity.ts';

export interface CoverageMarkdownOptions {
  /** Files listed per list before "…and N more". */
  maxListed?: number;
  /** Characters per list, so a huge pull request cannot crowd out the rest of a summary. */
  maxListLength?: number;
  heading?: string;
}

const STATUS_WORDS: Record<FileReviewStatus, string> = {
  reviewed: 'reviewed',
  partial: 'partially reviewed',
  'not-reviewed': 'not reviewed',
  'out-of-scope': 'out of scope',
};

/** Counts per review status in one line, e.g. "9 reviewed · 1 not reviewed · 3 out of scope (13 changed files)". */
export function coverageCountsLine(coverage: Coverage): string {
  const order: FileReviewStatus[] = [
    'reviewed',
    'partial',
    'not-reviewed',
    'out-of-scope',
  ];
  const parts = order.map(
    (status) =>
      `${coverage.files.filter((f) => f.status === status).length} ${STATUS_WORDS[status]}`,
  );
  return `${parts.join(' · ')} (${plural(coverage.files.length, 'changed file')})`;
}

/** What was and was not reviewed, with reasons; paths and reasons are sanitized. */
export function coverageMarkdown(
  coverage: Coverage,
  options: CoverageMarkdownOptions = {},
): string {
  const maxListed = options.maxListed ?? 50;
  const maxListLength = options.maxListLength ?? 15_000;
  const blocks = [
    options.heading ?? '### Coverage',
    coverageCountsLine(coverage),
  ];
  if (coverage.unlistedFiles > 0) {
    blocks.push(
      `⚠️ ${plural(coverage.unlistedFiles, 'more changed file')} could not be listed, so ${coverage.unlistedFiles === 1 ? 'it was' : 'they were'} not reviewed.`,
    );
  }
  const incomplete = coverage.files.filter(
    (f) => f.status === 'not-reviewed' || f.status === 'partial',
  );
  if (incomplete.length > 0) {
    blocks.push(
      `**Not fully reviewed (${incomplete.length})**`,
      bulletList(incomplete.map(fileItem), maxListed, maxListLength),
    );
  }
  const outOfScope = coverage.files.filter((f) => f.status === 'out-of-scope');
  if (outOfScope.length > 0) {
    blocks.push(
      `<details>\n<summary>Out of scope (${outOfScope.length})</summary>\n\n${bulletList(outOfScope.map(fileItem), maxListed, maxListLength)}\n\n</details>`,
    );
  }
  if (coverage.notes.length > 0) {
    const notes = coverage.notes.map((note) => {
      const where = note.path
        ? ` (${inlineCode(note.line === undefined ? note.path : `${note.path}:${note.line}`, 300)})`
        : '';
      return `**${sanitizeInline(note.source, 80)}**: ${sanitizeInline(note.message, 500)}${where}`;
    });
    blocks.push(
      `**Analysis notes (${coverage.notes.length})**`,
      bulletList(notes, maxListed, maxListLength),
    );
  }
  return blocks.join('\n\n');
}

function fileItem(file: FileCoverage): string {
  const reasons = file.reasons.map((r) => sanitizeInline(r, 300)).join('; ');
  const status =
    file.status === 'reviewed' || file.status === 'out-of-scope'
      ? ''
      : STATUS_WORDS[file.status];
  const description = [status, reasons]
    .filter((part) => part !== '')
    .join(': ');
  return `${inlineCode(file.path, 300)}${description === '' ? '' : ` — ${description}`}`;
}
