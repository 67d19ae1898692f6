import { parse, type SgNode, type SgRoot } from '@ast-grep/napi';
import type { LineRange } from '../../../core/finding.ts';
import { astGrepLang, type CodeLanguage } from '../../code/languages.ts';

/** Parses source with ast-grep; tree-sitter recovers from errors, so this throws only on internal failures. */
export function parseSource(language: CodeLanguage, source: string): SgRoot {
  return parse(astGrepLang(language), source);
}

/** A node's kind as a plain string (the typings model kinds per grammar). */
export function kindOf(node: SgNode): string {
  return String(node.kind());
}

/** 1-based head lines a node spans. */
export function nodeLines(node: SgNode): LineRange {
  const range = node.range();
  return {
    start: range.start.line + 1,
    end: range.end.line + 1,
    side: 'RIGHT',
  };
}

export function touchesAdded(
  node: SgNode,
  added: ReadonlySet<number>,
): boolean {
  const { start, end } = nodeLines(node);
  for (let line = start; line <= end; line++) if (added.has(line)) return true;
  return false;
}

/** Whether the tree has syntax errors, and where the first one is (1-based line). */
export function firstSyntaxError(root: SgRoot): number | undefined {
  const error = root.root().find({ rule: { kind: 'ERROR' } });
  return error ? error.range().start.line + 1 : undefined;
}

const CONTENT_KINDS = new Set([
  'string_content',
  'heredoc_content',
  'string_fragment',
]);
const INTERPOLATION_KINDS = new Set(['interpolation', 'template_substitution']);
const STRING_KINDS = new Set([
  'string',
  'template_string',
  'heredoc_body',
  'concatenated_string',
]);

export function isStringNode(node: SgNode): boolean {
  return STRING_KINDS.has(kindOf(node)) || node.kind() === 'simple_symbol';
}

/**
 * The value of a literal used as a name (`:users`, "users", 'users', `users`); undefined when it is
 * not a plain literal (interpolation, a variable, a call).
 */
export function nameValue(node: SgNode | null | undefined): string | undefined {
  if (!node) return undefined;
  const kind = kindOf(node);
  if (kind === 'simple_symbol')
    return node
      .text()
      .replace(/^:/, '')
      .replace(/^"(.*)"$/, '$1');
  if (
    kind === 'hash_key_symbol' ||
    kind === 'identifier' ||
    kind === 'property_identifier'
  )
    return undefined;
  if (kind !== 'string' && kind !== 'template_string') return undefined;
  const children = node.children();
  if (children.some((c) => INTERPOLATION_KINDS.has(kindOf(c))))
    return undefined;
  return children
    .filter((c) => CONTENT_KINDS.has(kindOf(c)))
    .map((c) => c.text())
    .join('');
}

export interface LiteralText {
  text: string;
  /** 1-based line where the text's first character sits. */
  firstLine: number;
}

/** Unescapes a source escape; line breaks become spaces so the text keeps the source's line layout. */
function unescape(text: string): string {
  return text.replace(
    /\\(u\{?[0-9a-fA-F]+\}?|x[0-9a-fA-F]{2}|.)/g,
    (_, c: string) => {
      if (c === 'n' || c === 't' || c === 'r') return ' ';
      if (c.length > 1) return ' ';
      return c;
    },
  );
}

function placeholder(text: string): string {
  const breaks = (text.match(/\n/g) ?? []).length;
  return `__value__${'\n'.repeat(breaks)}`;
}

/**
 * The text of a string literal (or concatenation of literals) laid out line for line like the
 * source: escapes are resolved without adding line breaks and interpolations become a placeholder
 * identifier, so line N of the text is source line `firstLine + N - 1`.
 */
export function literalText(
  node: SgNode,
  heredocFor?: (node: SgNode) => SgNode | undefined,
): LiteralText | undefined {
  const kind = kindOf(node);
  if (kind === 'heredoc_beginning' && heredocFor) {
    const body = heredocFor(node);
    return body ? literalText(body) : undefined;
  }
  if (
    kind === 'concatenated_string' ||
    (kind === 'binary_expression' &&
      node.children().some((c) => c.text() === '+'))
  ) {
    const parts = node.namedChildren().map((c) => literalText(c, heredocFor));
    if (parts.length === 0 || parts.some((p) => p === undefined))
      return undefined;
    return joinParts(parts as LiteralText[]);
  }
  if (!STRING_KINDS.has(kind)) return undefined;
  const start = node.children().find((c) => c.kind() === 'string_start');
  const raw = start !== undefined && /r/i.test(start.text());
  let text = '';
  let firstLine: number | undefined;
  const visit = (child: SgNode): void => {
    const k = kindOf(child);
    if (CONTENT_KINDS.has(k)) {
      firstLine ??= child.range().start.line + 1;
      text += raw ? child.text() : unescape(child.text());
    } else if (k === 'escape_sequence') {
      firstLine ??= child.range().start.line + 1;
      text += unescape(child.text());
    } else if (INTERPOLATION_KINDS.has(k)) {
      firstLine ??= child.range().start.line + 1;
      text += placeholder(child.text());
    }
  };
  for (const child of node.children()) visit(child);
  if (firstLine === undefined)
    return { text: '', firstLine: node.range().start.line + 1 };
  return { text, firstLine };
}

function joinParts(parts: LiteralText[]): LiteralText {
  let text = parts[0]!.text;
  let line = parts[0]!.firstLine + (text.match(/\n/g) ?? []).length;
  for (const part of parts.slice(1)) {
    text += part.firstLine > line ? '\n'.repeat(part.firstLine - line) : ' ';
    text += part.text;
    line =
      Math.max(line, part.firstLine) + (part.text.match(/\n/g) ?? []).length;
  }
  return { text, firstLine: parts[0]!.firstLine };
}

/** Maps each Ruby heredoc opener (`<<~SQL`) to its body, which tree-sitter places after the call. */
export function heredocResolver(
  root: SgRoot,
): (beginning: SgNode) => SgNode | undefined {
  const bodies = root.root().findAll({ rule: { kind: 'heredoc_body' } });
  return (beginning) => {
    const at = beginning.range().end.index;
    return bodies.find((body) => body.range().start.index >= at);
  };
}
