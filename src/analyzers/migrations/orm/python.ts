import type { SgNode } from '@ast-grep/napi';

export interface PythonArgs {
  positional: SgNode[];
  keywords: Map<string, SgNode>;
}

export function pythonArgs(call: SgNode): PythonArgs {
  const positional: SgNode[] = [];
  const keywords = new Map<string, SgNode>();
  for (const child of call.field('arguments')?.namedChildren() ?? []) {
    const kind = child.kind();
    if (kind === 'keyword_argument') {
      const name = child.field('name')?.text();
      const value = child.field('value');
      if (name && value) keywords.set(name, value);
    } else if (
      kind !== 'comment' &&
      kind !== 'list_splat' &&
      kind !== 'dictionary_splat'
    )
      positional.push(child);
  }
  return { positional, keywords };
}

/** Positional argument `index`, or the keyword argument `name`. */
export function arg(
  args: PythonArgs,
  index: number,
  name: string,
): SgNode | undefined {
  return args.keywords.get(name) ?? args.positional[index];
}

/** The called name: `X` for `X(…)`, `a.b.X(…)`. */
export function calleeName(call: SgNode): string | undefined {
  const fn = call.field('function');
  if (!fn) return undefined;
  if (fn.kind() === 'identifier') return fn.text();
  if (fn.kind() === 'attribute') return fn.field('attribute')?.text();
  return undefined;
}

/** The receiver of a method call: `op` for `op.add_column(…)`. */
export function calleeObject(call: SgNode): SgNode | undefined {
  const fn = call.field('function');
  return fn?.kind() === 'attribute'
    ? (fn.field('object') ?? undefined)
    : undefined;
}

export const isPyTrue = (node: SgNode | undefined): boolean =>
  node?.kind() === 'true';
export const isPyFalse = (node: SgNode | undefined): boolean =>
  node?.kind() === 'false';
export const isPyNone = (node: SgNode | undefined): boolean =>
  node === undefined || node.kind() === 'none';

/** Whether the node sits inside a function definition with one of the given names. */
export function insideFunction(node: SgNode, ...names: string[]): boolean {
  return node
    .ancestors()
    .some(
      (a) =>
        a.kind() === 'function_definition' &&
        names.includes(a.field('name')?.text() ?? ''),
    );
}
