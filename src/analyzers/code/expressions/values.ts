import type { SgNode } from '@ast-grep/napi';
import type { CodeLanguage } from '../languages.ts';
import { KINDS } from './kinds.ts';
import { isSecretName } from './names.ts';
import {
  kindOf,
  namedChildren,
  operatorOf,
  stringValue,
  unwrap,
} from './nodes.ts';
import { objectKinds, readObject } from './objects.ts';

/** A value that reaches a log call under a name: `password`, `req.headers.authorization`, `{ token }`. */
export interface NamedValue {
  name: string;
  node: SgNode;
}

const FIELD_CONSTRUCTOR =
  /^(zap|slog|zerolog|log)\.(String|Any|Reflect|Stringer|ByteString|Str)$/;

/** Calls whose result still carries their argument's text. */
const PASS_THROUGH =
  /^(String|str|repr|JSON\.stringify|json\.dumps|toString|fmt\.Sprint[f]?|String\.valueOf|inspect|to_s)$/;

/**
 * The values flowing into a log argument whose names say they are credentials. Follows string
 * building, object literals, arrays and pass-through conversions; stops at other calls (`mask(x)`,
 * `hash(x)`), comparisons, negations and property reads of a credential (`token.length`).
 */
export function secretValues(
  language: CodeLanguage,
  node: SgNode,
): NamedValue[] {
  const found: NamedValue[] = [];
  visit(language, node, found, 0);
  return found;
}

function visit(
  language: CodeLanguage,
  raw: SgNode,
  found: NamedValue[],
  depth: number,
): void {
  if (depth > 6) return;
  const node = unwrap(language, raw);
  const kind = kindOf(node);
  const kinds = KINDS[language];
  const next = (child: SgNode) => visit(language, child, found, depth + 1);

  if (kinds.identifiers.includes(kind) || kind === 'interpolated_identifier') {
    if (isSecretName(node.text())) found.push({ name: node.text(), node });
    return;
  }
  if (kinds.members.includes(kind)) {
    const name = memberName(node);
    if (name && isSecretName(name)) found.push({ name, node });
    return;
  }
  if (kinds.subscripts.includes(kind)) {
    const index = namedChildren(node).at(-1);
    const key = index ? stringValue(language, index) : undefined;
    if (key && isSecretName(key)) found.push({ name: key, node });
    return;
  }
  if (kinds.strings.includes(kind)) {
    for (const child of node.children()) {
      const childKind = kindOf(child);
      if (childKind === 'interpolated_identifier' || childKind === 'string')
        next(child);
      else if (kinds.interpolations.includes(childKind))
        namedChildren(child).forEach(next);
    }
    return;
  }
  if (kinds.binary.includes(kind)) {
    if (['+', '%', '..'].includes(operatorOf(node) ?? ''))
      namedChildren(node).forEach(next);
    return;
  }
  if (kinds.conditional.includes(kind)) {
    // `token ? 'set' : 'unset'` logs the branches, not the condition.
    namedChildren(node).slice(1).forEach(next);
    return;
  }
  if (objectKinds(language).includes(kind) && kind !== 'argument_list') {
    for (const entry of readObject(language, node)?.entries ?? []) {
      if (isSecretName(entry.key) && carriesValue(language, entry.value))
        found.push({ name: entry.key, node: entry.node });
      else if (entry.value !== entry.node) next(entry.value);
    }
    return;
  }
  if (
    [
      'array',
      'list',
      'tuple',
      'array_creation_expression',
      'expression_list',
    ].includes(kind)
  ) {
    namedChildren(node).forEach(next);
    return;
  }
  if (kind === 'call' && language === 'ruby' && !node.field('arguments')) {
    // Ruby `user.password` is a call without arguments.
    const method = node.field('method')?.text();
    if (method && node.field('receiver') && isSecretName(method))
      found.push({ name: method, node });
    return;
  }
  const getter = headerGetter(language, node);
  if (getter) {
    if (isSecretName(getter)) found.push({ name: getter, node });
    return;
  }
  const callee = (
    node.field('function') ??
    node.field('name') ??
    node.field('method')
  )
    ?.text()
    .replace(/\s+/g, '');
  const fieldArgs = node.field('arguments')
    ? namedChildren(node.field('arguments')!)
    : [];
  // Structured-log fields: `zap.String("token", t)`, `slog.Any("password", p)`.
  if (callee && FIELD_CONSTRUCTOR.test(callee) && fieldArgs.length === 2) {
    const key = stringValue(language, fieldArgs[0]!);
    if (key && isSecretName(key) && carriesValue(language, fieldArgs[1]!))
      found.push({ name: key, node });
    return;
  }
  if (callee && PASS_THROUGH.test(callee)) {
    const args = node.field('arguments');
    if (args) namedChildren(args).forEach(next);
  }
}

/** `a.b.c` → `c`. */
function memberName(node: SgNode): string | undefined {
  const field =
    node.field('property') ?? node.field('attribute') ?? node.field('field');
  if (field) return field.text();
  const last = namedChildren(node).at(-1);
  return last?.text().replace(/^[.?]+/, '');
}

/** `req.get('authorization')`, `r.Header.Get("Authorization")`, `request.headers.get("Cookie")`: the header name. */
function headerGetter(
  language: CodeLanguage,
  node: SgNode,
): string | undefined {
  const callee =
    (
      node.field('function') ??
      node.field('name') ??
      node.field('method')
    )?.text() ?? '';
  if (!/(^|\.)(get|Get|header|getHeader|get_header)$/.test(callee))
    return undefined;
  const args = node.field('arguments');
  const first = args ? namedChildren(args)[0] : undefined;
  return first ? stringValue(language, first) : undefined;
}

/**
 * A value that is the credential itself: a variable, property, string built from values or a
 * pass-through conversion — not a literal, a test about it, or the result of `mask(x)`.
 */
export function carriesValue(language: CodeLanguage, node: SgNode): boolean {
  const target = unwrap(language, node);
  const kind = kindOf(target);
  const kinds = KINDS[language];
  if (kinds.strings.includes(kind))
    return stringValue(language, target) === undefined;
  if (
    kinds.identifiers.includes(kind) ||
    kinds.members.includes(kind) ||
    kinds.subscripts.includes(kind)
  )
    return true;
  if (kinds.binary.includes(kind))
    return ['+', '%'].includes(operatorOf(target) ?? '');
  if (kind === 'call' && language === 'ruby' && !target.field('arguments'))
    return true;
  if (headerGetter(language, target) !== undefined) return true;
  const callee = (
    target.field('function') ??
    target.field('name') ??
    target.field('method')
  )
    ?.text()
    .replace(/\s+/g, '');
  return callee !== undefined && PASS_THROUGH.test(callee);
}
