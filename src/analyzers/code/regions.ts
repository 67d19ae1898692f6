import type { SgNode } from '@ast-grep/napi';
import type { LineSet } from './line-set.ts';
import type { LanguageFamily } from './source-file.ts';
import { endLine, kindOf, namedChildren, startLine } from './syntax.ts';

// Declarations whose members are searched separately, so a one-line change in a large class does not
// make the whole class the search area.
const CONTAINERS: Record<LanguageFamily, ReadonlySet<string>> = {
  js: new Set([
    'export_statement',
    'class_declaration',
    'abstract_class_declaration',
    'class',
    'class_body',
    'internal_module',
    'module',
    'statement_block',
  ]),
  python: new Set(['class_definition', 'decorated_definition', 'block']),
  go: new Set([]),
  java: new Set([
    'class_declaration',
    'class_body',
    'interface_declaration',
    'interface_body',
    'enum_declaration',
    'enum_body',
    'record_declaration',
    'enum_body_declarations',
  ]),
};

const DECORATORS = new Set(['decorator']);

/**
 * The smallest top-level declarations (or class members) that contain an added line. Rules search
 * these instead of the whole file, which keeps the work proportional to the change.
 */
export function changedRegions(
  root: SgNode,
  family: LanguageFamily,
  added: LineSet,
): SgNode[] {
  const regions: SgNode[] = [];
  collect(root, family, added, regions);
  return regions;
}

function collect(
  parent: SgNode,
  family: LanguageFamily,
  added: LineSet,
  into: SgNode[],
): void {
  const children = namedChildren(parent);
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    if (!added.intersects(startLine(child), endLine(child))) continue;
    if (isContainer(child, family)) {
      collect(child, family, added, into);
      continue;
    }
    into.push(child);
    // A TypeScript decorator is a sibling of the member it decorates: a changed decorator changes the member.
    if (DECORATORS.has(kindOf(child))) {
      let j = i + 1;
      while (j < children.length && DECORATORS.has(kindOf(children[j]!))) j++;
      const member = children[j];
      if (member && !added.intersects(startLine(member), endLine(member)))
        into.push(member);
    }
  }
}

function isContainer(node: SgNode, family: LanguageFamily): boolean {
  const kind = kindOf(node);
  if (!CONTAINERS[family].has(kind)) return false;
  // A Python decorated function is a unit; only a decorated class is opened up.
  if (family === 'python' && kind === 'decorated_definition')
    return node.field('definition')?.kind() === 'class_definition';
  // JavaScript blocks are only opened when they are a class or namespace body.
  if (family === 'js' && kind === 'statement_block')
    return (
      node.parent()?.kind() === 'internal_module' ||
      node.parent()?.kind() === 'module'
    );
  if (family === 'python' && kind === 'block')
    return node.parent()?.kind() === 'class_definition';
  return true;
}
