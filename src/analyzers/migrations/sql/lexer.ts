/**
 * A small SQL lexer that splits a migration into statements and tokens. It understands exactly
 * what is needed to find statement boundaries safely: quoted strings and identifiers, dollar
 * quotes, nested block comments and line comments. It never fails: unterminated quotes simply run
 * to the end of the text.
 */
export type SqlDialect = 'postgres' | 'mysql';

export type SqlTokenKind = 'word' | 'quoted' | 'string' | 'number' | 'punct';

export interface SqlToken {
  kind: SqlTokenKind;
  /** The source text of the token. */
  text: string;
  /** Upper-cased for words, the unquoted name for quoted identifiers, the contents for strings. */
  value: string;
  /** Offset in the whole text. */
  start: number;
  /** 1-based line of the token's first character. */
  line: number;
}

export interface SqlStatement {
  /** Source text from the first token to the last one (without the terminating semicolon). */
  text: string;
  start: number;
  end: number;
  /** 1-based lines of the first and last token. */
  startLine: number;
  endLine: number;
  tokens: SqlToken[];
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DIGIT = /[0-9]/;

/** Splits SQL text into statements at top-level semicolons. Empty statements are dropped. */
export function splitStatements(
  sql: string,
  dialect: SqlDialect = 'postgres',
): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let tokens: SqlToken[] = [];
  let line = 1;
  let i = 0;
  const n = sql.length;

  const flush = (): void => {
    if (tokens.length === 0) return;
    const first = tokens[0]!;
    const last = tokens[tokens.length - 1]!;
    const end = last.start + last.text.length;
    statements.push({
      text: sql.slice(first.start, end),
      start: first.start,
      end,
      startLine: first.line,
      endLine: last.line + countNewlines(last.text),
      tokens,
    });
    tokens = [];
  };

  /** Advances past `length` characters, counting the newlines skipped. */
  const advance = (to: number): void => {
    for (let k = i; k < to && k < n; k++) if (sql.charCodeAt(k) === 10) line++;
    i = Math.min(to, n);
  };

  while (i < n) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === '\n') {
      line++;
      i++;
      continue;
    }
    if (
      ch === ' ' ||
      ch === '\t' ||
      ch === '\r' ||
      ch === '\f' ||
      ch === '\v'
    ) {
      i++;
      continue;
    }
    // Line comments: `--` everywhere, `#` in MySQL.
    if ((ch === '-' && next === '-') || (ch === '#' && dialect === 'mysql')) {
      const stop = sql.indexOf('\n', i);
      i = stop === -1 ? n : stop;
      continue;
    }
    if (ch === '/' && next === '*') {
      advance(blockCommentEnd(sql, i, dialect === 'postgres'));
      continue;
    }
    if (ch === ';') {
      flush();
      i++;
      continue;
    }
    const start = i;
    const startLine = line;
    const push = (kind: SqlTokenKind, end: number, value: string): void => {
      const text = sql.slice(start, end);
      tokens.push({ kind, text, value, start, line: startLine });
      advance(end);
    };

    if (ch === "'") {
      const end = quotedEnd(sql, i, "'", dialect === 'mysql');
      push('string', end, unquote(sql.slice(i + 1, end - 1), "'"));
      continue;
    }
    if ((ch === 'E' || ch === 'e') && next === "'" && dialect === 'postgres') {
      const end = quotedEnd(sql, i + 1, "'", true);
      push('string', end, sql.slice(i + 2, end - 1));
      continue;
    }
    if (ch === '"') {
      const end = quotedEnd(sql, i, '"', dialect === 'mysql');
      const inner = unquote(sql.slice(i + 1, end - 1), '"');
      push(dialect === 'mysql' ? 'string' : 'quoted', end, inner);
      continue;
    }
    if (ch === '`' && dialect === 'mysql') {
      const end = quotedEnd(sql, i, '`', false);
      push('quoted', end, unquote(sql.slice(i + 1, end - 1), '`'));
      continue;
    }
    if (ch === '$' && dialect === 'postgres') {
      const tag = dollarTag(sql, i);
      if (tag !== undefined) {
        const close = sql.indexOf(tag, i + tag.length);
        const end = close === -1 ? n : close + tag.length;
        push(
          'string',
          end,
          sql.slice(i + tag.length, close === -1 ? n : close),
        );
        continue;
      }
    }
    if (WORD_START.test(ch)) {
      let end = i + 1;
      while (end < n && WORD_PART.test(sql[end]!)) end++;
      push('word', end, sql.slice(i, end).toUpperCase());
      continue;
    }
    if (
      DIGIT.test(ch) ||
      (ch === '.' && next !== undefined && DIGIT.test(next))
    ) {
      let end = i + 1;
      while (end < n && /[0-9.eE_]/.test(sql[end]!)) end++;
      push('number', end, sql.slice(i, end));
      continue;
    }
    // Multi-character operators matter little here; `::` is kept whole so casts read naturally.
    const end = ch === ':' && next === ':' ? i + 2 : i + 1;
    push('punct', end, sql.slice(i, end));
  }
  flush();
  return statements;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 10) count++;
  return count;
}

/** The offset just past a quoted run starting at `start`; doubled quotes (and backslashes, if allowed) escape. */
function quotedEnd(
  sql: string,
  start: number,
  quote: string,
  backslashEscapes: boolean,
): number {
  let k = start + 1;
  while (k < sql.length) {
    const c = sql[k]!;
    if (backslashEscapes && c === '\\') {
      k += 2;
      continue;
    }
    if (c === quote) {
      if (sql[k + 1] === quote) {
        k += 2;
        continue;
      }
      return k + 1;
    }
    k++;
  }
  return sql.length;
}

function unquote(inner: string, quote: string): string {
  return inner.split(quote + quote).join(quote);
}

/** Postgres block comments nest; MySQL's do not. */
function blockCommentEnd(sql: string, start: number, nested: boolean): number {
  let depth = 0;
  let k = start;
  while (k < sql.length) {
    if (sql[k] === '/' && sql[k + 1] === '*') {
      depth = nested ? depth + 1 : 1;
      k += 2;
      continue;
    }
    if (sql[k] === '*' && sql[k + 1] === '/') {
      depth--;
      k += 2;
      if (depth === 0) return k;
      continue;
    }
    k++;
  }
  return sql.length;
}

/** `$$` or `$tag$` at `start`, else undefined (a positional parameter like `$1`). */
function dollarTag(sql: string, start: number): string | undefined {
  let k = start + 1;
  while (k < sql.length && /[A-Za-z0-9_]/.test(sql[k]!)) k++;
  if (sql[k] !== '$') return undefined;
  const tag = sql.slice(start, k + 1);
  if (/^\$[0-9]/.test(tag)) return undefined;
  return tag;
}

/** True when the token is the given keyword (case-insensitive). */
export function isWord(
  token: SqlToken | undefined,
  ...words: string[]
): boolean {
  return (
    token !== undefined && token.kind === 'word' && words.includes(token.value)
  );
}

/** An identifier's name: words as written (lower-cased, as Postgres folds them), quoted ones verbatim. */
export function identifierName(
  token: SqlToken | undefined,
  dialect: SqlDialect = 'postgres',
): string | undefined {
  if (!token) return undefined;
  if (token.kind === 'quoted') return token.value;
  if (token.kind === 'word')
    return dialect === 'postgres' ? token.text.toLowerCase() : token.text;
  return undefined;
}

/**
 * Reads a possibly schema-qualified name at `index` (`name`, `schema.name`, `"s"."n"`). Returns the
 * last part and the index after the name.
 */
export function readQualifiedName(
  tokens: SqlToken[],
  index: number,
  dialect: SqlDialect = 'postgres',
): { name: string; next: number } | undefined {
  let name = identifierName(tokens[index], dialect);
  if (name === undefined) return undefined;
  let k = index + 1;
  while (
    tokens[k]?.text === '.' &&
    identifierName(tokens[k + 1], dialect) !== undefined
  ) {
    name = identifierName(tokens[k + 1], dialect)!;
    k += 2;
  }
  return { name, next: k };
}

/** Splits tokens at top-level commas (outside parentheses). */
export function splitTopLevel(tokens: SqlToken[], from = 0): SqlToken[][] {
  const parts: SqlToken[][] = [];
  let depth = 0;
  let current: SqlToken[] = [];
  for (let k = from; k < tokens.length; k++) {
    const token = tokens[k]!;
    if (token.kind === 'punct') {
      if (token.text === '(') depth++;
      else if (token.text === ')') depth--;
      else if (token.text === ',' && depth === 0) {
        parts.push(current);
        current = [];
        continue;
      }
    }
    current.push(token);
  }
  if (current.length > 0) parts.push(current);
  return parts;
}
