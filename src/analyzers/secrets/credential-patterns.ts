/**
 * Credentials secretlint's provider rules do not know, found by their shape: private key blocks,
 * password/secret/token assignments, passwords in URLs, bearer tokens, JWTs, AWS key ids. Used by
 * the redactor only: masking a harmless value costs the model a little context, leaking one is
 * not undoable.
 */
export type Range = [start: number, end: number];

const SENSITIVE_KEY =
  '[A-Za-z0-9_.-]*?(?:password|passwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth[_-]?key|credentials?)[A-Za-z0-9_.-]*';

/** `key = "value"`, `"key": "value"`, `key: 'value'`, `key := "value"`, `key => "value"`. */
const QUOTED_ASSIGNMENT = new RegExp(
  String.raw`(?<![A-Za-z0-9])${SENSITIVE_KEY}["'\x60]?\s*(?:=|:|:=|=>)\s*(["'\x60])([^"'\x60\s\\]{8,})\1`,
  'dgi',
);
/** `.env` / YAML style `KEY=value` and `key: value` lines. */
const BARE_ASSIGNMENT = new RegExp(
  String.raw`^[ \t]*(?:export[ \t]+)?${SENSITIVE_KEY}[ \t]*[=:][ \t]*([^\s"'\x60#$({<][^\s"'\x60#]{7,})[ \t]*$`,
  'dgim',
);
const URL_PASSWORD =
  /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"`]+:([^\s@/'"`$<{%][^\s@/'"`]*)@/dgi;
const BEARER = /\b(?:Bearer|Basic|Token)[ \t]+([A-Za-z0-9._~+/-]{16,}=*)/dgi;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{10,}/g;
const AWS_KEY_ID = /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g;
const KEY_BEGIN = /-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----/g;
const KEY_END = /-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----/;
/** A line of a PEM body, possibly quoted or concatenated in source code. */
const KEY_BODY_LINE =
  /^[\s"'`+,]*(?:[A-Za-z0-9+/=]|\\n|Proc-Type:.*|DEK-Info:.*)*[\s"'`+,;)]*$/;

/** Values that are references or placeholders, not secrets. */
const PLACEHOLDER =
  /^(?:\$\{|\{\{|<|%\(|process\.env|os\.environ|env\(|x+$|\*+$|\.+$)/i;

export function genericCredentialRanges(text: string): Range[] {
  const ranges: Range[] = [];
  for (const pattern of [QUOTED_ASSIGNMENT, BARE_ASSIGNMENT]) {
    for (const match of text.matchAll(pattern)) {
      const group = match.indices?.[match.length - 1];
      const value = match[match.length - 1]!;
      if (group && !PLACEHOLDER.test(value)) ranges.push([group[0], group[1]]);
    }
  }
  for (const pattern of [URL_PASSWORD, BEARER]) {
    for (const match of text.matchAll(pattern)) {
      const group = match.indices?.[1];
      if (group) ranges.push([group[0], group[1]]);
    }
  }
  for (const pattern of [JWT, AWS_KEY_ID]) {
    for (const match of text.matchAll(pattern))
      ranges.push([match.index, match.index + match[0].length]);
  }
  ranges.push(...privateKeyBlocks(text));
  return ranges;
}

/**
 * A private key block from its BEGIN marker through its END marker, or through the last line that
 * still looks like key material when the END marker is outside the text (a diff cut mid-key).
 */
function privateKeyBlocks(text: string): Range[] {
  const ranges: Range[] = [];
  for (const begin of text.matchAll(KEY_BEGIN)) {
    const start = begin.index;
    let lineEnd = lineEndAt(text, start);
    const sameLineEnd = KEY_END.exec(text.slice(start, lineEnd));
    if (sameLineEnd) {
      ranges.push([start, start + sameLineEnd.index + sameLineEnd[0].length]);
      continue;
    }
    let end = lineEnd;
    while (lineEnd < text.length) {
      const next = lineEndAt(text, lineEnd + 1);
      const line = text.slice(lineEnd + 1, next);
      const close = KEY_END.exec(line);
      if (close) {
        end = lineEnd + 1 + close.index + close[0].length;
        break;
      }
      if (!KEY_BODY_LINE.test(line)) break;
      end = next;
      lineEnd = next;
    }
    ranges.push([start, end]);
  }
  return ranges;
}

function lineEndAt(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  return newline === -1 ? text.length : newline;
}

/** Fallback when the provider scan fails: every long token-like run. Over-masks on purpose. */
export function longTokenRanges(text: string): Range[] {
  return [...text.matchAll(/[A-Za-z0-9_\-+/=.]{24,}/g)].map(
    (match): Range => [match.index, match.index + match[0].length],
  );
}
