import type { SgNode } from '@ast-grep/napi';
import type { CodeLanguage } from '../languages.ts';
import { KINDS } from './kinds.ts';

/** Small readers over single nodes that every check needs. */

/** A node's kind as a plain string (ast-grep types it as an open union). */
export function kindOf(node: SgNode): string {
  return String(node.kind());
}

export function namedChildren(node: SgNode): SgNode[] {
  return node
    .children()
    .filter((child) => child.isNamed() && !kindOf(child).includes('comment'));
}

/** The operator token of a binary node (`+`, `%`, `||`). */
export function operatorOf(node: SgNode): string | undefined {
  const field = node.field('operator');
  if (field) return field.text();
  return node
    .children()
    .find((child) => !child.isNamed())
    ?.text();
}

/** The expression inside parentheses, casts and awaits. */
export function unwrap(language: CodeLanguage, node: SgNode): SgNode {
  let current = node;
  while (KINDS[language].parenthesized.includes(kindOf(current))) {
    const inner = namedChildren(current).find(
      (child) => !kindOf(child).includes('type'),
    );
    if (!inner) break;
    current = inner;
  }
  return current;
}

/** The value of a string literal without interpolation, or undefined for anything else. */
export function stringValue(
  language: CodeLanguage,
  node: SgNode,
): string | undefined {
  const target = unwrap(language, node);
  if (
    !KINDS[language].strings.includes(kindOf(target)) ||
    kindOf(target) === 'subshell'
  )
    return undefined;
  if (hasInterpolation(language, target)) return undefined;
  if (kindOf(target) === 'concatenated_string')
    return namedChildren(target)
      .map((part) => stringValue(language, part) ?? '')
      .join('');
  return target
    .text()
    .replace(/^[a-zA-Z]{0,2}("""|'''|["'`])/, '')
    .replace(/("""|'''|["'`])$/, '');
}

export function hasInterpolation(
  language: CodeLanguage,
  node: SgNode,
): boolean {
  const kinds = KINDS[language].interpolations;
  if (kinds.length === 0) return false;
  return node
    .children()
    .some(
      (child) =>
        kinds.includes(kindOf(child)) ||
        (kindOf(child) === 'string' && hasInterpolation(language, child)),
    );
}

export function isBoolean(node: SgNode, value: boolean): boolean {
  const text = node.text();
  return value
    ? text === 'true' || text === 'True'
    : text === 'false' || text === 'False';
}

export function numberValue(
  language: CodeLanguage,
  node: SgNode,
): number | undefined {
  const target = unwrap(language, node);
  if (!KINDS[language].numbers.includes(kindOf(target))) return undefined;
  const value = Number(target.text().replace(/_/g, '').replace(/[lL]$/, ''));
  return Number.isFinite(value) ? value : undefined;
}

/** 1-based first and last line of a node. */
export function lineSpan(node: SgNode): { start: number; end: number } {
  const range = node.range();
  return { start: range.start.line + 1, end: range.end.line + 1 };
}

/** The nearest enclosing function-like node, or undefined at the top level. */
export function enclosingFunction(
  language: CodeLanguage,
  node: SgNode,
): SgNode | undefined {
  const kinds = KINDS[language].functions;
  for (let current = node.parent(); current; current = current.parent()) {
    if (kinds.includes(kindOf(current))) return current;
  }
  return undefined;
}

/** The name a function-like node is declared or assigned under, if any. */
export function functionName(node: SgNode): string | undefined {
  const own = node.field('name')?.text();
  if (own) return own;
  const parent = node.parent();
  if (!parent) return undefined;
  return (
    parent.field('name') ??
    parent.field('left') ??
    parent.field('key')
  )?.text();
}
