import type { SgNode } from '@ast-grep/napi';
import { namedChildren, stringValue } from './syntax.ts';

/** The statically visible keys of a JavaScript object literal. */
export interface ObjectLiteral {
  node: SgNode;
  /** True when a spread (`...options`) may add keys we cannot see. */
  spread: boolean;
  keys: Set<string>;
  value(key: string): SgNode | undefined;
}

export function objectLiteral(
  node: SgNode | undefined,
): ObjectLiteral | undefined {
  if (node?.kind() !== 'object') return undefined;
  const values = new Map<string, SgNode>();
  let spread = false;
  for (const member of namedChildren(node)) {
    switch (member.kind()) {
      case 'pair': {
        const key = member.field('key');
        const name = key ? propertyName(key) : undefined;
        if (name === undefined)
          spread = true; // computed key: could be anything
        else values.set(name, member.field('value') ?? member);
        break;
      }
      case 'shorthand_property_identifier':
        values.set(member.text(), member);
        break;
      case 'method_definition': {
        const name = member.field('name');
        if (name) values.set(name.text(), member);
        break;
      }
      case 'spread_element':
        spread = true;
        break;
    }
  }
  return {
    node,
    spread,
    keys: new Set(values.keys()),
    value: (key) => values.get(key),
  };
}

function propertyName(key: SgNode): string | undefined {
  if (key.kind() === 'property_identifier' || key.kind() === 'number')
    return key.text();
  return stringValue(key);
}

/** True when an options argument visibly lacks every one of `keys` (and cannot hide them). */
export function visiblyLacks(
  options: SgNode | undefined,
  keys: readonly string[],
): boolean {
  if (!options) return true;
  const literal = objectLiteral(options);
  if (!literal) return false; // a variable or call: its keys are not visible here
  return !literal.spread && !keys.some((key) => literal.keys.has(key));
}
