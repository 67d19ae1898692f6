import type { SgNode } from '@ast-grep/napi';
import type { CodeLanguage } from '../languages.ts';
import { kindOf, namedChildren, unwrap } from './nodes.ts';

/** One key of an object, dict, hash or struct literal. */
export interface Entry {
  key: string;
  /** The value node; for JS shorthand `{ token }` the identifier itself. */
  value: SgNode;
  node: SgNode;
}

export interface ObjectLiteral {
  node: SgNode;
  entries: Entry[];
  /** True when a spread (`...rest`, `**kwargs`) may add keys not seen here. */
  spread: boolean;
}

const OBJECT_KINDS: Record<CodeLanguage, readonly string[]> = {
  javascript: ['object'],
  typescript: ['object'],
  python: ['dictionary'],
  go: ['composite_literal', 'literal_value'],
  java: [],
  kotlin: [],
  ruby: ['hash', 'argument_list'],
};

export function objectKinds(language: CodeLanguage): readonly string[] {
  return OBJECT_KINDS[language];
}

function keyText(node: SgNode): string {
  return node.text().replace(/^[:"'`]+|[:"'`]+$/g, '');
}

/** Reads an object-like literal; undefined when the node is not one. */
export function readObject(
  language: CodeLanguage,
  raw: SgNode,
): ObjectLiteral | undefined {
  let node = unwrap(language, raw);
  if (!OBJECT_KINDS[language].includes(kindOf(node))) return undefined;
  if (kindOf(node) === 'composite_literal') {
    const body = node.field('body');
    if (!body) return undefined;
    node = body;
  }
  const entries: Entry[] = [];
  let spread = false;
  for (const child of namedChildren(node)) {
    switch (kindOf(child)) {
      case 'pair': {
        const key = child.field('key');
        const value = child.field('value');
        if (key && value)
          entries.push({ key: keyText(key), value, node: child });
        break;
      }
      case 'shorthand_property_identifier':
        entries.push({ key: child.text(), value: child, node: child });
        break;
      case 'keyed_element': {
        const [key, value] = namedChildren(child);
        if (key && value)
          entries.push({
            key: keyText(key),
            value: namedChildren(value)[0] ?? value,
            node: child,
          });
        break;
      }
      case 'spread_element':
      case 'dictionary_splat':
      case 'hash_splat_argument':
        spread = true;
        break;
    }
  }
  return { node, entries, spread };
}

export function entry(
  object: ObjectLiteral | undefined,
  ...keys: string[]
): Entry | undefined {
  return object?.entries.find((candidate) => keys.includes(candidate.key));
}
