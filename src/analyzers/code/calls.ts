import type { Rule, SgNode } from '@ast-grep/napi';
import type { LanguageFamily } from './source-file.ts';
import { compact, kindOf, namedChildren } from './syntax.ts';

/**
 * The one call shape of the toolkit: a call or constructor invocation with its callee spelled out,
 * before any deeper (and costlier) look at its arguments. `Call` adds the argument nodes; the
 * security checks' `LanguageCall` adds positional and named arguments for all seven languages.
 */
export interface CallSite {
  node: SgNode;
  /** The callee without whitespace: `axios.get`, `this.prisma.user.create`, `HttpClient.newBuilder().build` for Java chains. */
  callee: string;
  /** The last name of the callee: `get` for `axios.get`. */
  name: string;
}

/** A call or constructor invocation with its arguments, in the same shape for every language. */
export interface Call extends CallSite {
  /** The object a method is called on, if any. */
  receiver?: SgNode;
  /** True for `new X(...)` (JavaScript, Java). */
  constructs: boolean;
  args: SgNode[];
}

/** The node kinds that are calls, per family. */
export const CALL_KINDS: Record<LanguageFamily, string[]> = {
  js: ['call_expression', 'new_expression'],
  python: ['call'],
  go: ['call_expression'],
  java: ['method_invocation', 'object_creation_expression'],
};

export function isCall(node: SgNode, family: LanguageFamily): boolean {
  return CALL_KINDS[family].includes(kindOf(node));
}

/** An ast-grep rule matching calls of a family whose callee text matches `calleeRegex`. */
export function callRule(family: LanguageFamily, calleeRegex: string): Rule {
  switch (family) {
    case 'js':
      return {
        any: [
          {
            kind: 'call_expression',
            has: { field: 'function', regex: calleeRegex },
          },
          {
            kind: 'new_expression',
            has: { field: 'constructor', regex: calleeRegex },
          },
        ],
      };
    case 'python':
    case 'go':
      return {
        kind: family === 'python' ? 'call' : 'call_expression',
        has: { field: 'function', regex: calleeRegex },
      };
    case 'java':
      return {
        any: [
          {
            kind: 'method_invocation',
            has: { field: 'name', regex: calleeRegex },
          },
          {
            kind: 'object_creation_expression',
            has: { field: 'type', regex: calleeRegex },
          },
        ],
      };
  }
}

export function callOf(node: SgNode): Call | undefined {
  switch (node.kind()) {
    case 'call_expression':
    case 'call': {
      const fn = node.field('function');
      if (!fn) return undefined;
      return fromCallee(node, fn, argumentsOf(node.field('arguments')), false);
    }
    case 'new_expression': {
      const ctor = node.field('constructor');
      if (!ctor) return undefined;
      return fromCallee(node, ctor, argumentsOf(node.field('arguments')), true);
    }
    case 'method_invocation': {
      const name = node.field('name');
      if (!name) return undefined;
      const receiver = node.field('object') ?? undefined;
      const args = argumentsOf(node.field('arguments'));
      return {
        node,
        callee: receiver ? `${compact(receiver)}.${name.text()}` : name.text(),
        name: name.text(),
        receiver,
        constructs: false,
        args,
      };
    }
    case 'object_creation_expression': {
      const type = node.field('type');
      if (!type) return undefined;
      const callee = compact(type);
      return {
        node,
        callee,
        name: callee.slice(callee.lastIndexOf('.') + 1),
        constructs: true,
        args: argumentsOf(node.field('arguments')),
      };
    }
    default:
      return undefined;
  }
}

function argumentsOf(list: SgNode | null): SgNode[] {
  if (!list) return [];
  // Python `f(x for x in y)` passes a bare generator expression as the argument list.
  if (list.kind() === 'generator_expression') return [list];
  return namedChildren(list);
}

const MEMBER_FIELDS: Record<string, [object: string, property: string]> = {
  member_expression: ['object', 'property'], // JavaScript
  attribute: ['object', 'attribute'], // Python
  selector_expression: ['operand', 'field'], // Go
};

function fromCallee(
  node: SgNode,
  callee: SgNode,
  args: SgNode[],
  constructs: boolean,
): Call {
  const fields = MEMBER_FIELDS[callee.kind()];
  if (fields) {
    const receiver = callee.field(fields[0]) ?? undefined;
    const property = callee.field(fields[1]);
    return {
      node,
      callee: compact(callee),
      name: property ? property.text() : compact(callee),
      receiver,
      constructs,
      args,
    };
  }
  const text = compact(callee);
  return {
    node,
    callee: text,
    name: text.slice(text.lastIndexOf('.') + 1),
    constructs,
    args,
  };
}

/** A Python keyword argument's value (`timeout=` → its value node). */
export function keywordArgument(call: Call, name: string): SgNode | undefined {
  for (const arg of call.args) {
    if (arg.kind() === 'keyword_argument' && arg.field('name')?.text() === name)
      return arg.field('value') ?? undefined;
  }
  return undefined;
}

/** True when a Python call forwards `**kwargs`, which may carry any keyword. */
export function forwardsKeywords(call: Call): boolean {
  return call.args.some((arg) => arg.kind() === 'dictionary_splat');
}

/** Positional arguments (Python keyword arguments and splats left out). */
export function positional(call: Call): SgNode[] {
  return call.args.filter(
    (arg) =>
      arg.kind() !== 'keyword_argument' &&
      arg.kind() !== 'dictionary_splat' &&
      arg.kind() !== 'list_splat',
  );
}
