import type { LineRange, Placement, Side } from '../finding.ts';
import type { Hunk } from './parse-patch.ts';

/** How far (in lines) a finding just outside a hunk may be moved to the nearest commentable line. */
export const MAX_ANCHOR_SHIFT = 3;

interface Span {
  first: number;
  last: number;
}

/** The line numbers a side of each hunk covers; GitHub accepts comments only inside these. */
function spans(hunks: Hunk[], side: Side): Span[] {
  const result: Span[] = [];
  for (const hunk of hunks) {
    const numbers = hunk.lines
      .map((line) => (side === 'RIGHT' ? line.newLine : line.oldLine))
      .filter((n): n is number => n !== undefined);
    if (numbers.length > 0)
      result.push({ first: Math.min(...numbers), last: Math.max(...numbers) });
  }
  return result;
}

/**
 * Finds a placement GitHub will accept for a finding: an inline anchor inside exactly one hunk, a
 * nearby line if the finding is just outside one, or the file level.
 */
export function anchorRange(
  hunks: Hunk[],
  range: LineRange | undefined,
): Placement {
  if (!range) return { kind: 'file', reason: 'about the file as a whole' };
  if (hunks.length === 0)
    return { kind: 'file', reason: 'the file has no diff to comment on' };
  const { side } = range;
  const start = Math.min(range.start, range.end);
  const end = Math.max(range.start, range.end);
  const candidates = spans(hunks, side);

  // The hunk holding the end line (GitHub's `line`), else the one holding the start.
  const holder =
    candidates.find((s) => end >= s.first && end <= s.last) ??
    candidates.find((s) => start >= s.first && start <= s.last);
  if (holder) {
    const first = Math.max(start, holder.first);
    const last = Math.min(end, holder.last);
    return first < last
      ? { kind: 'inline', side, startLine: first, line: last }
      : { kind: 'inline', side, line: last };
  }

  let best: { line: number; distance: number } | undefined;
  for (const span of candidates) {
    for (const line of [span.first, span.last]) {
      const distance = Math.min(Math.abs(line - start), Math.abs(line - end));
      if (!best || distance < best.distance) best = { line, distance };
    }
  }
  if (best && best.distance <= MAX_ANCHOR_SHIFT)
    return { kind: 'inline', side, line: best.line, movedFrom: start };
  return { kind: 'file', reason: `line ${start} is outside the diff` };
}

/** The diff text of the lines a placement covers, used for fingerprints and excerpts. */
export function linesAt(
  hunks: Hunk[],
  side: Side,
  first: number,
  last: number,
): string[] {
  const texts: string[] = [];
  for (const hunk of hunks) {
    for (const line of hunk.lines) {
      const n = side === 'RIGHT' ? line.newLine : line.oldLine;
      if (n !== undefined && n >= first && n <= last) texts.push(line.text);
    }
  }
  return texts;
}
