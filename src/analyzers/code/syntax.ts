import type { Range, SgNode } from '@ast-grep/napi';
import type { LanguageFamily } from './source-file.ts';

/** A node's kind as a plain string (the typings widen it to allow unnamed kinds). */
export function kindOf(node: SgNode): string {
  return node.kind() as string;
}

const RANGES = new WeakMap<SgNode, Range>();

/** A node's range, asked of the native side once per node object. */
export function rangeOf(node: SgNode): Range {
  let range = RANGES.get(node);
  if (!range) {
    range = node.range();
    RANGES.set(node, range);
  }
  return range;
}

/** 1-based first line of a node. */
export function startLine(node: SgNode): number {
  return rangeOf(node).start.line + 1;
}

/** 1-based last line of a node. */
export function endLine(node: SgNode): number {
  return rangeOf(node).end.line + 1;
}

/** Node text with all whitespace removed, so multi-line member chains compare equal to one-line ones. */
export function compact(node: SgNode): string {
  return node.text().replace(/\s+/g, '');
}

const FUNCTION_KINDS: Record<LanguageFamily, ReadonlySet<string>> = {
  js: new Set([
    'function_declaration',
    'function_expression',
    'arrow_function',
    'method_definition',
    'generator_function_declaration',
    'generator_function',
    'function',
  ]),
  python: new Set(['function_definition', 'lambda']),
  go: new Set(['function_declaration', 'method_declaration', 'func_literal']),
  java: new Set([
    'method_declaration',
    'constructor_declaration',
    'lambda_expression',
  ]),
};

export function isFunction(node: SgNode, family: LanguageFamily): boolean {
  return FUNCTION_KINDS[family].has(kindOf(node));
}

/** The innermost function around a node (not the node itself). */
export function enclosingFunction(
  node: SgNode,
  family: LanguageFamily,
): SgNode | undefined {
  for (let current = node.parent(); current; current = current.parent()) {
    if (isFunction(current, family)) return current;
  }
  return undefined;
}

/** Every function around a node, innermost first. */
export function enclosingFunctions(
  node: SgNode,
  family: LanguageFamily,
): SgNode[] {
  return node.ancestors().filter((ancestor) => isFunction(ancestor, family));
}

/** True when `inner` lies inside `outer` (or is it), compared by source position. */
export function contains(outer: SgNode, inner: SgNode): boolean {
  const o = rangeOf(outer);
  const i = rangeOf(inner);
  return o.start.index <= i.start.index && i.end.index <= o.end.index;
}

/** Named children without comments. */
export function namedChildren(node: SgNode): SgNode[] {
  return node
    .namedChildren()
    .filter(
      (child) =>
        child.kind() !== 'comment' &&
        child.kind() !== 'line_comment' &&
        child.kind() !== 'block_comment',
    );
}

/**
 * The value of a plain string literal, or undefined for anything computed (template substitutions,
 * f-strings, concatenation).
 */
export function stringValue(
  node: SgNode | undefined | null,
): string | undefined {
  if (!node) return undefined;
  switch (node.kind()) {
    case 'string': {
      // JavaScript strings hold `string_fragment`s; Python strings hold `string_content` and maybe interpolations.
      const parts = namedChildren(node);
      if (parts.some((part) => part.kind() === 'interpolation'))
        return undefined;
      const start = parts.find((part) => part.kind() === 'string_start');
      if (start && /f/i.test(start.text())) return undefined;
      return parts
        .filter(
          (part) =>
            part.kind() === 'string_fragment' ||
            part.kind() === 'string_content' ||
            part.kind() === 'escape_sequence',
        )
        .map((part) => part.text())
        .join('');
    }
    case 'template_string': {
      const parts = namedChildren(node);
      if (parts.some((part) => part.kind() === 'template_substitution'))
        return undefined;
      return parts.map((part) => part.text()).join('');
    }
    case 'string_literal': // Java
    case 'interpreted_string_literal': // Go
    case 'raw_string_literal':
      return namedChildren(node)
        .map((part) => part.text())
        .join('');
    default:
      return undefined;
  }
}

/** The string kinds of each family, for searches over literals. */
const STRING_KINDS: Record<LanguageFamily, string[]> = {
  js: ['string', 'template_string'],
  python: ['string'],
  go: ['interpreted_string_literal', 'raw_string_literal'],
  java: ['string_literal'],
};

/** The identifier-like leaf kinds of each family. */
const NAME_KINDS: Record<LanguageFamily, string[]> = {
  // Only kinds both JavaScript grammars know: rules with an unknown kind are rejected.
  js: [
    'identifier',
    'property_identifier',
    'shorthand_property_identifier',
    'shorthand_property_identifier_pattern',
  ],
  python: ['identifier'],
  go: [
    'identifier',
    'field_identifier',
    'package_identifier',
    'type_identifier',
  ],
  java: ['identifier', 'type_identifier'],
};

/** All names (identifiers, properties) inside a node, including the node itself. */
export function namesIn(node: SgNode, family: LanguageFamily): string[] {
  const kinds = NAME_KINDS[family];
  return node
    .findAll({ rule: { any: kinds.map((kind) => ({ kind })) } })
    .map((leaf) => leaf.text());
}

/** True when a string literal or a name inside `node` matches the (Rust-syntax) regular expression. */
export function mentions(
  node: SgNode,
  family: LanguageFamily,
  regex: string,
): boolean {
  const kinds = [...STRING_KINDS[family], ...NAME_KINDS[family]];
  return (
    node.find({ rule: { any: kinds.map((kind) => ({ kind, regex })) } }) !==
    null
  );
}
