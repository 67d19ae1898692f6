const ESCAPES: Record<string, number> = {
  a: 7,
  b: 8,
  t: 9,
  n: 10,
  v: 11,
  f: 12,
  r: 13,
  '"': 34,
  '\\': 92,
};

/**
 * Reads one path token as git prints it in diff headers: either bare, or C-quoted with escapes and
 * octal byte sequences (for control characters, quotes, backslashes). Returns the decoded path and
 * the rest of the input after the token.
 */
export function readQuotedPath(
  input: string,
): { path: string; rest: string } | undefined {
  if (!input.startsWith('"')) return undefined;
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  let i = 1;
  while (i < input.length) {
    const char = input[i]!;
    if (char === '"') {
      return {
        path: new TextDecoder().decode(new Uint8Array(bytes)),
        rest: input.slice(i + 1),
      };
    }
    if (char === '\\') {
      const next = input[i + 1] ?? '';
      if (/^[0-7]{3}$/.test(input.slice(i + 1, i + 4))) {
        bytes.push(Number.parseInt(input.slice(i + 1, i + 4), 8));
        i += 4;
        continue;
      }
      const escaped = ESCAPES[next];
      if (escaped === undefined) return undefined;
      bytes.push(escaped);
      i += 2;
      continue;
    }
    const codePoint = input.codePointAt(i)!;
    const text = String.fromCodePoint(codePoint);
    bytes.push(...encoder.encode(text));
    i += text.length;
  }
  return undefined;
}

/** A single path from a header line such as `rename from <path>` or `--- a/<path>`. */
export function unquotePath(token: string): string {
  return readQuotedPath(token)?.path ?? token;
}
