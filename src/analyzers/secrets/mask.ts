/**
 * How a finding refers to a secret: at most a 4-character prefix (only for long values, where it
 * helps find the key to rotate without weakening it) and the length.
 */
export function describeSecret(value: string): string {
  const length = [...value].length;
  const prefix = length >= 16 ? [...value].slice(0, 4).join('') : '';
  const shown =
    prefix && /^[\x21-\x7e]+$/.test(prefix) ? `\`${prefix}…\`, ` : '';
  return `${shown}${length} characters`;
}

/** Replaces every character in the ranges with `*`, keeping line breaks so line numbers still match. */
export function maskRanges(
  text: string,
  ranges: ReadonlyArray<readonly [number, number]>,
): string {
  if (ranges.length === 0) return text;
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  let out = '';
  let cursor = 0;
  for (const [rawStart, rawEnd] of sorted) {
    const start = Math.max(rawStart, cursor);
    const end = Math.min(rawEnd, text.length);
    if (end <= start) continue;
    out +=
      text.slice(cursor, start) +
      text.slice(start, end).replace(/[^\r\n]/g, '*');
    cursor = end;
  }
  return out + text.slice(cursor);
}
