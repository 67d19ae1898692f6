import type { SgNode } from '@ast-grep/napi';
import type { SourceFile } from './source-file.ts';
import { namedChildren, stringValue } from './syntax.ts';

/**
 * What a local name refers to: `module` is the imported module, `member` the imported name
 * (`default`, `*` for a namespace or whole module, or a named export).
 */
export interface Binding {
  module: string;
  member: string;
}

export type Bindings = Map<string, Binding>;

const cache = new WeakMap<SgNode, Bindings>();

/** Module-level imports of a file (imports inside functions are not tracked). */
export function bindingsOf(file: SourceFile): Bindings {
  let bindings = cache.get(file.root);
  if (!bindings) {
    bindings = new Map();
    for (const statement of namedChildren(file.root))
      collect(statement, file.family, bindings);
    cache.set(file.root, bindings);
  }
  return bindings;
}

/** Local names bound to a module (or to one of its members, when `member` is given). */
export function localNames(
  bindings: Bindings,
  module: string | ((module: string) => boolean),
  member?: string,
): string[] {
  const names: string[] = [];
  for (const [local, binding] of bindings) {
    const moduleMatches =
      typeof module === 'string'
        ? binding.module === module
        : module(binding.module);
    if (moduleMatches && (member === undefined || binding.member === member))
      names.push(local);
  }
  return names;
}

function collect(
  statement: SgNode,
  family: SourceFile['family'],
  into: Bindings,
): void {
  const kind = statement.kind();
  if (family === 'js') {
    if (kind === 'import_statement') return collectJsImport(statement, into);
    if (kind === 'lexical_declaration' || kind === 'variable_declaration') {
      for (const declarator of namedChildren(statement))
        if (declarator.kind() === 'variable_declarator')
          collectRequire(declarator, into);
    }
    return;
  }
  if (family === 'python') {
    if (kind === 'import_statement')
      return collectPythonImport(statement, into);
    if (kind === 'import_from_statement')
      return collectPythonFromImport(statement, into);
    return;
  }
  if (family === 'go' && kind === 'import_declaration') {
    for (const spec of statement.findAll({ rule: { kind: 'import_spec' } })) {
      const path = stringValue(spec.field('path'));
      if (path === undefined) continue;
      const alias = spec.field('name')?.text();
      into.set(alias ?? goPackageName(path), { module: path, member: '*' });
    }
  }
}

function collectJsImport(statement: SgNode, into: Bindings): void {
  const module = stringValue(statement.field('source'));
  const clause = namedChildren(statement).find(
    (child) => child.kind() === 'import_clause',
  );
  if (module === undefined || !clause) return;
  for (const part of namedChildren(clause)) {
    if (part.kind() === 'identifier')
      into.set(part.text(), { module, member: 'default' });
    else if (part.kind() === 'namespace_import') {
      const name = namedChildren(part).find(
        (child) => child.kind() === 'identifier',
      );
      if (name) into.set(name.text(), { module, member: '*' });
    } else if (part.kind() === 'named_imports') {
      for (const specifier of namedChildren(part)) {
        const imported = specifier.field('name')?.text();
        if (imported)
          into.set(specifier.field('alias')?.text() ?? imported, {
            module,
            member: imported,
          });
      }
    }
  }
}

/** `const x = require('m')`, `const { a, b: c } = require('m')`, `const x = require('m').y`. */
function collectRequire(declarator: SgNode, into: Bindings): void {
  const name = declarator.field('name');
  let value = declarator.field('value');
  if (!name || !value) return;
  let member = '*';
  if (value.kind() === 'member_expression') {
    member = value.field('property')?.text() ?? '*';
    value = value.field('object');
    if (!value) return;
  }
  if (
    value.kind() !== 'call_expression' ||
    value.field('function')?.text() !== 'require'
  )
    return;
  const module = stringValue(namedChildren(value.field('arguments')!)[0]);
  if (module === undefined) return;
  if (name.kind() === 'identifier') {
    into.set(name.text(), { module, member });
    return;
  }
  if (name.kind() === 'object_pattern') {
    for (const part of namedChildren(name)) {
      if (part.kind() === 'shorthand_property_identifier_pattern')
        into.set(part.text(), { module, member: part.text() });
      else if (part.kind() === 'pair_pattern') {
        const key = part.field('key')?.text();
        const local = part.field('value');
        if (key && local?.kind() === 'identifier')
          into.set(local.text(), { module, member: key });
      }
    }
  }
}

function collectPythonImport(statement: SgNode, into: Bindings): void {
  for (const part of namedChildren(statement)) {
    if (part.kind() === 'dotted_name') {
      // `import a.b.c` binds `a`; code then spells out `a.b.c.f()`, so the dotted path is recorded too.
      const dotted = part.text();
      const first = dotted.split('.')[0]!;
      into.set(first, { module: first, member: '*' });
      if (dotted !== first) into.set(dotted, { module: dotted, member: '*' });
    } else if (part.kind() === 'aliased_import') {
      const module = part.field('name')?.text();
      const alias = part.field('alias')?.text();
      if (module && alias) into.set(alias, { module, member: '*' });
    }
  }
}

function collectPythonFromImport(statement: SgNode, into: Bindings): void {
  const moduleNode = statement.field('module_name');
  if (!moduleNode) return;
  const module = moduleNode.text();
  for (const part of namedChildren(statement)) {
    if (part.kind() === 'dotted_name' && part.id() !== moduleNode.id())
      into.set(part.text(), { module, member: part.text() });
    else if (part.kind() === 'aliased_import') {
      const name = part.field('name')?.text();
      const alias = part.field('alias')?.text();
      if (name && alias) into.set(alias, { module, member: name });
    }
  }
}

/** Go's default package name: the last path element, skipping a major-version suffix (`/v5`). */
function goPackageName(path: string): string {
  const parts = path.split('/');
  let last = parts.at(-1)!;
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts.at(-2)!;
  return last
    .replace(/\.v\d+$/, '')
    .replace(/^go-/, '')
    .replace(/-/g, '');
}
