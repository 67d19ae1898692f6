import type { Hunk } from '../../core/diff/parse-patch.ts';

/**
 * The head side of a file as far as its diff shows it: every added and context line at its own
 * line number, blank lines elsewhere. Used when the whole file cannot be read, so line numbers of
 * matches still point at the right lines.
 */
export function headTextFromHunks(hunks: Hunk[]): string {
  const lines: string[] = [];
  for (const hunk of hunks) {
    for (const line of hunk.lines) {
      if (line.newLine === undefined) continue;
      while (lines.length < line.newLine - 1) lines.push('');
      lines[line.newLine - 1] = line.text;
    }
  }
  return lines.join('\n');
}
