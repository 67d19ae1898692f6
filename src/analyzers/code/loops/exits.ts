import type { SgNode } from '@ast-grep/napi';
import type { LanguageFamily } from '../source-file.ts';
import { isFunction, kindOf } from '../syntax.ts';

const EXIT_KINDS: Record<LanguageFamily, string[]> = {
  js: ['return_statement', 'break_statement', 'throw_statement'],
  python: ['return_statement', 'break_statement', 'raise_statement'],
  go: ['return_statement', 'break_statement'],
  java: ['return_statement', 'break_statement', 'throw_statement'],
};

/** Constructs a plain `break` stops at instead of leaving the outer loop. */
const BREAK_TARGETS: Record<LanguageFamily, ReadonlySet<string>> = {
  js: new Set([
    'for_statement',
    'for_in_statement',
    'while_statement',
    'do_statement',
    'switch_statement',
  ]),
  python: new Set(['for_statement', 'while_statement']),
  go: new Set([
    'for_statement',
    'expression_switch_statement',
    'type_switch_statement',
    'select_statement',
  ]),
  java: new Set([
    'for_statement',
    'enhanced_for_statement',
    'while_statement',
    'do_statement',
    'switch_expression',
    'switch_block',
  ]),
};

/** `return`, `break` and `throw`/`raise` statements inside `scope` that leave `loop`. */
export function loopExits(
  scope: SgNode,
  loop: SgNode,
  family: LanguageFamily,
): SgNode[] {
  const kinds = EXIT_KINDS[family];
  return scope
    .findAll({ rule: { any: kinds.map((kind) => ({ kind })) } })
    .filter((exit) => leaves(exit, loop, family));
}

/** True when a `return`/`break`/`throw` statement leaves `loop` (not just a callback or an inner loop). */
export function leaves(
  exit: SgNode,
  loop: SgNode,
  family: LanguageFamily,
): boolean {
  const isBreak = exit.kind() === 'break_statement';
  const labelled = isBreak && exit.namedChildren().length > 0;
  const loopId = loop.id();
  for (let current = exit.parent(); current; current = current.parent()) {
    if (current.id() === loopId) return true;
    if (isFunction(current, family)) return false; // returns from a callback, not from the loop
    if (isBreak && !labelled && BREAK_TARGETS[family].has(kindOf(current)))
      return false;
  }
  return false;
}
