/** A parsed unified-diff patch, as GitHub returns it per file (hunks only, no file headers). */
export type DiffLineKind = 'add' | 'del' | 'ctx';

export interface DiffLine {
  kind: DiffLineKind;
  /** Line number at the base side; set for `del` and `ctx`. */
  oldLine?: number;
  /** Line number at the head side; set for `add` and `ctx`. */
  newLine?: number;
  text: string;
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** The function context git prints after the second `@@`, if any. */
  section: string;
  lines: DiffLine[];
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;

/**
 * Parses the hunks of one file's patch. Lines before the first hunk header (`diff --git`, `---`,
 * `+++`, mode lines) are ignored, so both GitHub patches and `git diff` output per file work.
 */
export function parsePatch(patch: string | undefined): Hunk[] {
  if (!patch) return [];
  const hunks: Hunk[] = [];
  let current: Hunk | undefined;
  let oldLine = 0;
  let newLine = 0;
  for (const raw of patch.split('\n')) {
    const header = HUNK_HEADER.exec(raw);
    if (header) {
      current = {
        oldStart: Number(header[1]),
        oldLines: header[2] === undefined ? 1 : Number(header[2]),
        newStart: Number(header[3]),
        newLines: header[4] === undefined ? 1 : Number(header[4]),
        section: header[5] ?? '',
        lines: [],
      };
      hunks.push(current);
      oldLine = current.oldStart;
      newLine = current.newStart;
      continue;
    }
    if (!current) continue;
    // "\ No newline at end of file" annotates the previous line; it is not a line of the file.
    if (raw.startsWith('\\')) continue;
    const marker = raw[0];
    const text = raw.slice(1);
    if (marker === '+')
      current.lines.push({ kind: 'add', newLine: newLine++, text });
    else if (marker === '-')
      current.lines.push({ kind: 'del', oldLine: oldLine++, text });
    else if (marker === ' ' || raw === '') {
      // A hunk's counts say when it ends; a bare empty line past that is trailing output, not context.
      if (raw === '' && hunkComplete(current, oldLine, newLine)) continue;
      current.lines.push({
        kind: 'ctx',
        oldLine: oldLine++,
        newLine: newLine++,
        text,
      });
    }
  }
  return hunks;
}

function hunkComplete(hunk: Hunk, oldLine: number, newLine: number): boolean {
  return (
    oldLine >= hunk.oldStart + hunk.oldLines &&
    newLine >= hunk.newStart + hunk.newLines
  );
}

/** Head-side line numbers that were added by the patch. */
export function addedLines(hunks: Hunk[]): Set<number> {
  const lines = new Set<number>();
  for (const hunk of hunks)
    for (const line of hunk.lines)
      if (line.kind === 'add') lines.add(line.newLine!);
  return lines;
}

/** Base-side line numbers that were removed by the patch. */
export function removedLines(hunks: Hunk[]): Set<number> {
  const lines = new Set<number>();
  for (const hunk of hunks)
    for (const line of hunk.lines)
      if (line.kind === 'del') lines.add(line.oldLine!);
  return lines;
}
