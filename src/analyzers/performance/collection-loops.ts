import type { SgNode } from '@ast-grep/napi';
import { callOf } from '../code/calls.ts';
import type { FileIndex } from '../code/file-index.ts';
import type { LanguageFamily } from '../code/source-file.ts';
import { isFunction, kindOf, namedChildren } from '../code/syntax.ts';

/** A loop over a collection: its header (for the anchor) and the code run once per element. */
export interface CollectionLoop {
  node: SgNode;
  body: SgNode;
  /** The collection's text, for messages; empty when not visible. */
  over: string;
}

const ITERATING_METHODS = new Set(['forEach', 'map', 'flatMap']);

const LOOP_KINDS: Record<LanguageFamily, string[]> = {
  js: ['for_in_statement', 'for_statement'],
  python: [
    'for_statement',
    'list_comprehension',
    'set_comprehension',
    'dictionary_comprehension',
    'generator_expression',
  ],
  go: ['for_statement'],
  java: ['enhanced_for_statement', 'for_statement'],
};

/**
 * Loops that run once per element of a collection. `while` loops and Go's condition-only `for` are
 * left out: they are usually pagination or polling, where one query per round is the point.
 */
export function collectionLoops(
  family: LanguageFamily,
  index: FileIndex,
): CollectionLoop[] {
  const loops: CollectionLoop[] = [];
  const nodes = LOOP_KINDS[family].flatMap((kind) => index.ofKind(kind));
  if (family === 'js' || family === 'java')
    nodes.push(
      ...index.calls
        .filter(
          (site) =>
            ITERATING_METHODS.has(site.name) && site.callee.includes('.'),
        )
        .map((site) => site.node),
    );
  for (const node of nodes) {
    const loop = asLoop(node, family);
    if (loop) loops.push(loop);
  }
  return loops;
}

function asLoop(
  node: SgNode,
  family: LanguageFamily,
): CollectionLoop | undefined {
  const kind = kindOf(node);
  if (kind === 'call_expression' || kind === 'method_invocation') {
    const call = callOf(node);
    const callback = call?.args.find((arg) => isFunction(arg, family));
    if (!call?.receiver || !callback || call.receiver.text() === 'Promise')
      return undefined;
    const body = callback.field('body');
    return body ? { node, body, over: call.receiver.text() } : undefined;
  }
  if (family === 'python' && kind !== 'for_statement') {
    const body = node.field('body');
    const clause = namedChildren(node).find(
      (child) => child.kind() === 'for_in_clause',
    );
    return body && clause
      ? { node, body, over: clause.field('right')?.text() ?? '' }
      : undefined;
  }
  if (family === 'go') {
    const clause = namedChildren(node).find(
      (child) =>
        child.kind() === 'range_clause' || child.kind() === 'for_clause',
    );
    const body = node.field('body');
    if (!clause || !body) return undefined;
    return {
      node,
      body,
      over:
        clause.kind() === 'range_clause'
          ? (clause.field('right')?.text() ?? '')
          : '',
    };
  }
  if (kind === 'for_statement' && family !== 'python') {
    // A classic `for (init; cond; step)` counts only when it has a condition: `for (;;)` is a retry or poll loop.
    const condition = node.field('condition');
    if (!condition || condition.kind() === 'empty_statement') return undefined;
  }
  const body = node.field('body');
  const over = node.field('right') ?? node.field('value');
  return body ? { node, body, over: over?.text() ?? '' } : undefined;
}
