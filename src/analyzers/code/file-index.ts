import type { Range, SgNode } from '@ast-grep/napi';
import { CALL_KINDS, type CallSite } from './calls.ts';
import type { LanguageFamily, SourceFile } from './source-file.ts';
import { kindOf, rangeOf } from './syntax.ts';

/** The structural kinds rules start from, per family (calls are always indexed). */
const STRUCTURES: Record<LanguageFamily, string[]> = {
  js: [
    'catch_clause',
    'for_statement',
    'for_in_statement',
    'while_statement',
    'do_statement',
  ],
  python: [
    'except_clause',
    'for_statement',
    'while_statement',
    'with_statement',
    'decorated_definition',
    'list_comprehension',
    'set_comprehension',
    'dictionary_comprehension',
    'generator_expression',
  ],
  go: ['for_statement', 'if_statement', 'composite_literal'],
  java: [
    'catch_clause',
    'for_statement',
    'enhanced_for_statement',
    'while_statement',
    'do_statement',
    'method_declaration',
  ],
};

/**
 * Every call and every structural node of interest in the searched part of a file, found in one
 * traversal. Building an ast-grep matcher costs far more than walking a small tree, so rules filter
 * this list in JavaScript instead of each running its own search.
 */
export interface FileIndex {
  readonly calls: readonly CallSite[];
  /** Nodes of one structural kind, in source order. */
  ofKind(kind: string): readonly SgNode[];
  /** 1-based lines of the syntax errors found in the searched part. */
  readonly errorLines: readonly number[];
  /** Calls inside `scope` (the scope itself included when it is a call). */
  callsIn(scope: SgNode): CallSite[];
}

function inside(node: SgNode, scope: Range): boolean {
  const own = rangeOf(node);
  return (
    scope.start.index <= own.start.index && own.end.index <= scope.end.index
  );
}

const INDEXES = new WeakMap<SgNode, FileIndex>();

/**
 * The index of the parts of a file searched for a change: each region on its own when there are
 * few, else the whole file in one pass. Cached per tree, so analyzers of the same file share it.
 */
export function fileIndex(file: SourceFile, regions: SgNode[]): FileIndex {
  let index = INDEXES.get(file.root);
  if (!index) {
    index = build(file.family, regions.length <= 4 ? regions : [file.root]);
    INDEXES.set(file.root, index);
  }
  return index;
}

function build(family: LanguageFamily, scopes: SgNode[]): FileIndex {
  const callKinds = new Set(CALL_KINDS[family]);
  const rule = {
    any: [...CALL_KINDS[family], ...STRUCTURES[family], 'ERROR'].map(
      (kind) => ({ kind }),
    ),
  };
  const calls: CallSite[] = [];
  const byKind = new Map<string, SgNode[]>();
  const errorLines: number[] = [];
  for (const scope of scopes) {
    for (const node of scope.findAll({ rule })) {
      const kind = kindOf(node);
      if (callKinds.has(kind)) {
        const site = callSite(node, kind);
        if (site) calls.push(site);
      } else if (kind === 'ERROR') {
        errorLines.push(rangeOf(node).start.line + 1);
      } else {
        const list = byKind.get(kind) ?? [];
        list.push(node);
        byKind.set(kind, list);
      }
    }
  }
  return {
    calls,
    errorLines,
    ofKind: (kind) => byKind.get(kind) ?? [],
    callsIn: (scope) => {
      const range = rangeOf(scope);
      return calls.filter((site) => inside(site.node, range));
    },
  };
}

/** The call sites inside one node, found with a search of their own (for code outside the index). */
export function callSitesIn(node: SgNode, family: LanguageFamily): CallSite[] {
  const sites: CallSite[] = [];
  for (const call of node.findAll({
    rule: { any: CALL_KINDS[family].map((kind) => ({ kind })) },
  })) {
    const site = callSite(call, kindOf(call));
    if (site) sites.push(site);
  }
  return sites;
}

const CALLEE_FIELD: Record<string, string> = {
  call_expression: 'function',
  call: 'function',
  new_expression: 'constructor',
  object_creation_expression: 'type',
};

function callSite(node: SgNode, kind: string): CallSite | undefined {
  if (kind === 'method_invocation') {
    const name = node.field('name')?.text();
    if (!name) return undefined;
    const object = node.field('object');
    return {
      node,
      callee: object ? `${object.text().replace(/\s+/g, '')}.${name}` : name,
      name,
    };
  }
  const callee = node.field(CALLEE_FIELD[kind]!)?.text().replace(/\s+/g, '');
  if (!callee) return undefined;
  return { node, callee, name: callee.slice(callee.lastIndexOf('.') + 1) };
}
