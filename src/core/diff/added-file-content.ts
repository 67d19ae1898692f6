import { parsePatch } from './parse-patch.ts';

/**
 * The whole content of a newly added file, rebuilt from its patch: such a patch is one hunk that
 * adds every line. Undefined when the patch is anything else, so callers fall back to reading.
 */
export function addedFileContent(
  patch: string | undefined,
): string | undefined {
  if (!patch) return undefined;
  const hunks = parsePatch(patch);
  const hunk = hunks[0];
  if (
    hunks.length !== 1 ||
    !hunk ||
    hunk.oldStart !== 0 ||
    hunk.oldLines !== 0 ||
    hunk.newStart !== 1
  )
    return undefined;
  if (
    hunk.lines.length !== hunk.newLines ||
    hunk.lines.some((line) => line.kind !== 'add')
  )
    return undefined;
  const text = hunk.lines.map((line) => line.text).join('\n');
  // git marks a last line without a newline; otherwise every line ends with one.
  return /\n\\ No newline at end of file\s*$/.test(patch) ? text : `${text}\n`;
}
