import type { Range, Rule, SgNode } from '@ast-grep/napi';
import type { CodeLanguage } from '../languages.ts';
import type { CallSite } from '../calls.ts';
import { kindOf, namedChildren } from './nodes.ts';

/**
 * Every call and constructor invocation. Tagged templates (`sql\`...\``) are left out: they send
 * interpolated values as parameters, not as text.
 */
export function allCallsRule(language: CodeLanguage): Rule {
  switch (language) {
    case 'javascript':
    case 'typescript':
      return {
        any: [
          {
            kind: 'call_expression',
            has: { field: 'arguments', kind: 'arguments' },
          },
          { kind: 'new_expression' },
        ],
      };
    case 'python':
    case 'ruby':
      return { kind: 'call' };
    case 'go':
    case 'kotlin':
      return { kind: 'call_expression' };
    case 'java':
      return {
        any: [
          { kind: 'method_invocation' },
          { kind: 'object_creation_expression' },
        ],
      };
  }
}

/**
 * A call site of any of the seven languages, with its arguments (positional and named) read on
 * first use: the toolkit's `CallSite` as the security checks need it.
 */
export class LanguageCall implements CallSite {
  readonly node: SgNode;
  /** The callee without whitespace: `db.query`, `Runtime.getRuntime().exec`, `ProcessBuilder`. */
  readonly callee: string;
  /** The callee's last name: `query`, `exec`, `ProcessBuilder`. */
  readonly name: string;
  /** Everything before the last name: `db`, `Runtime.getRuntime()`; empty for a bare call. */
  readonly receiver: string;
  private readonly language: CodeLanguage;
  private parsed?: { args: SgNode[]; named: Map<string, SgNode> };
  private span?: Range;

  constructor(language: CodeLanguage, node: SgNode, calleeText: string) {
    this.language = language;
    this.node = node;
    this.callee = calleeText
      .replace(/\s+/g, '')
      .replace(/\?\./g, '.')
      .replace(/::/g, '.');
    const dot = this.callee.lastIndexOf('.');
    this.name = this.callee.slice(dot + 1);
    this.receiver = dot === -1 ? '' : this.callee.slice(0, dot);
  }

  /** Positional arguments in order. */
  get args(): SgNode[] {
    return (this.parsed ??= readArguments(this.language, this.node)).args;
  }

  /** Keyword or named arguments (`shell=True`, `verify_mode: X`). */
  get named(): Map<string, SgNode> {
    return (this.parsed ??= readArguments(this.language, this.node)).named;
  }

  get range(): Range {
    return (this.span ??= this.node.range());
  }
}

export function readCall(
  language: CodeLanguage,
  node: SgNode,
): LanguageCall | undefined {
  const callee = calleeText(language, node);
  return callee === undefined
    ? undefined
    : new LanguageCall(language, node, callee);
}

function calleeText(language: CodeLanguage, node: SgNode): string | undefined {
  switch (language) {
    case 'javascript':
    case 'typescript':
      return (node.field('function') ?? node.field('constructor'))?.text();
    case 'python':
    case 'go':
      return node.field('function')?.text();
    case 'java': {
      if (kindOf(node) === 'object_creation_expression')
        return node.field('type')?.text();
      const name = node.field('name')?.text();
      const object = node.field('object')?.text();
      return name === undefined
        ? undefined
        : object
          ? `${object}.${name}`
          : name;
    }
    case 'kotlin':
      return node.child(0)?.text();
    case 'ruby': {
      const method = node.field('method')?.text();
      const receiver = node.field('receiver')?.text();
      return method === undefined
        ? undefined
        : receiver
          ? `${receiver}.${method}`
          : method;
    }
  }
}

function readArguments(
  language: CodeLanguage,
  node: SgNode,
): { args: SgNode[]; named: Map<string, SgNode> } {
  const args: SgNode[] = [];
  const named = new Map<string, SgNode>();
  switch (language) {
    case 'kotlin': {
      const suffix = node
        .children()
        .find((child) => kindOf(child) === 'call_suffix');
      const list = suffix
        ?.children()
        .find((child) => kindOf(child) === 'value_arguments');
      for (const argument of list ? namedChildren(list) : []) {
        if (kindOf(argument) !== 'value_argument') continue;
        const parts = argument.children();
        const value = parts.filter((part) => part.isNamed()).at(-1);
        if (!value) continue;
        if (parts.some((part) => part.text() === '='))
          named.set(parts[0]!.text(), value);
        else args.push(value);
      }
      break;
    }
    default: {
      const list = node.field('arguments');
      for (const child of list ? namedChildren(list) : []) {
        const kind = kindOf(child);
        if (
          kind === 'keyword_argument' ||
          (language === 'ruby' && kind === 'pair')
        ) {
          const key = (child.field('name') ?? child.field('key'))
            ?.text()
            .replace(/^:|:$|^["']|["']$/g, '');
          const value = child.field('value');
          if (key && value) named.set(key, value);
        } else args.push(child);
      }
    }
  }
  return { args, named };
}
