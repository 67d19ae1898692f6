import type { SgNode } from '@ast-grep/napi';
import type { CodeLanguage } from '../../code/languages.ts';
import type { FileContext } from '../file-context.ts';
import { anyKind, KINDS } from '../../code/expressions/kinds.ts';
import { isPasswordName } from '../../code/expressions/names.ts';
import {
  enclosingFunction,
  functionName,
  kindOf,
  namedChildren,
  operatorOf,
  unwrap,
} from '../../code/expressions/nodes.ts';
import {
  isIdentifier,
  resolveIdentifier,
} from '../../code/expressions/resolve.ts';
import {
  formatArguments,
  shapeOf,
  type Shape,
} from '../../code/expressions/strings.ts';

export interface ArgumentShape {
  shape: Shape;
  /** The expression that was built: the argument itself, or the value of the assignment it came from. */
  built: SgNode;
  /** The assignment the shape came from, when the argument is a variable. */
  origin?: SgNode;
}

/** The shape of an argument, following a plain variable one step back to its assignment. */
export function argumentShape(
  language: CodeLanguage,
  node: SgNode,
): ArgumentShape {
  const target = unwrap(language, node);
  const shape = shapeOf(language, target);
  if (shape !== 'dynamic' || !isIdentifier(language, target))
    return { shape, built: target };
  const resolved = resolveIdentifier(language, target);
  if (!resolved.origin) return { shape, built: target };
  return {
    shape: resolved.shape,
    built: assignedValue(resolved.origin),
    origin: resolved.origin,
  };
}

/** "string interpolation", "concatenation", … for the message. */
export function describeBuilding(language: CodeLanguage, node: SgNode): string {
  const target = unwrap(language, node);
  const kind = kindOf(target);
  if (KINDS[language].strings.includes(kind)) return 'string interpolation';
  if (KINDS[language].binary.includes(kind))
    return operatorOf(target) === '%'
      ? '`%` formatting'
      : 'string concatenation';
  if (formatArguments(language, target)) return 'a format call';
  return 'string building';
}

/** For an assignment or declaration, its value; otherwise the node. */
export function assignedValue(node: SgNode): SgNode {
  const value =
    node.field('value') ??
    node.field('right') ??
    namedChildren(node).at(-1) ??
    node;
  return kindOf(value) === 'expression_list'
    ? (namedChildren(value)[0] ?? value)
    : value;
}

export function lineOf(node: SgNode): number {
  return node.range().start.line + 1;
}

/** " (via `sql`, assembled on line 12)" when the text was built in an earlier statement. */
export function viaVariable(argument: SgNode, shape: ArgumentShape): string {
  return shape.origin
    ? ` (via \`${argument.text()}\`, assembled on line ${lineOf(shape.origin)})`
    : '';
}

const BLOCKS = new Set([
  'statement_block',
  'block',
  'program',
  'module',
  'source_file',
  'class_body',
  'statements',
  'body_statement',
  'function_body',
  'statement_list',
  'lambda_literal',
  'do_block',
  'switch_body',
  'expression_statement',
]);

/** The statement a node belongs to (its ancestor just below the enclosing block). */
export function statementOf(node: SgNode): SgNode {
  let current = node;
  for (
    let parent = current.parent();
    parent && !BLOCKS.has(kindOf(parent));
    parent = parent.parent()
  )
    current = parent;
  return current;
}

/**
 * True when a hash call is about passwords: its statement names a password; or its function is
 * named for passwords and the statement uses one of the function's parameters (`hashPassword(pw)`);
 * or the statement stores the hasher in a variable that a later statement feeds a password
 * (`md = MessageDigest.getInstance("MD5"); md.digest(password.getBytes())`).
 */
export function aboutPasswords(language: CodeLanguage, node: SgNode): boolean {
  const wordRule = { rule: anyKind(language, KINDS[language].words) };
  const statement = statementOf(node);
  const statementWords = statement.findAll(wordRule).map((word) => word.text());
  if (statementWords.some(isPasswordName)) return true;
  const fn = enclosingFunction(language, node);
  if (!fn) return false;
  const name = functionName(fn);
  const params =
    fn.field('parameters') ??
    fn
      .children()
      .find((child) => /parameters|parameter_list/.test(kindOf(child)));
  const paramNames = new Set(
    params ? params.findAll(wordRule).map((word) => word.text()) : [],
  );
  if (
    name &&
    isPasswordName(name) &&
    statementWords.some((word) => paramNames.has(word))
  )
    return true;
  const stored = destinationName(language, node);
  if (!stored || !/^[A-Za-z_$][\w$]*$/.test(stored)) return false;
  const use = new RegExp(`(^|[^\\w$.])${stored.replace(/\$/g, '\\$')}\\s*\\.`);
  return statement
    .nextAll()
    .some(
      (later) =>
        use.test(later.text()) &&
        later.findAll(wordRule).some((word) => isPasswordName(word.text())),
    );
}

const CALL_KINDS = new Set([
  'call_expression',
  'call',
  'method_invocation',
  'object_creation_expression',
  'new_expression',
]);

/**
 * The name a value is stored or returned under: the variable, property, key or argument it is
 * assigned to, or the enclosing function's name when it is returned.
 */
export function destinationName(
  language: CodeLanguage,
  node: SgNode,
): string | undefined {
  let child = node;
  for (
    let current = node.parent();
    current;
    child = current, current = current.parent()
  ) {
    const kind = kindOf(current);
    if (KINDS[language].functions.includes(kind)) return functionName(current);
    if (kind === 'pair' || kind === 'keyed_element')
      return namedChildren(current)[0]?.text();
    if (kind === 'keyword_argument') return current.field('name')?.text();
    if (CALL_KINDS.has(kind)) {
      // `user.setResetToken(value)` names its argument; other calls pass values through.
      const method = current.field('name')?.text();
      if (method && /^set[A-Z_]/.test(method) && /argument/.test(kindOf(child)))
        return method;
      continue;
    }
    const target = current.field('name') ?? current.field('left');
    if (target && target.id() !== child.id()) return target.text();
    if (BLOCKS.has(kind)) {
      // A returned value is named by its function; Ruby returns a method's last expression.
      if (/return/.test(kindOf(child))) continue;
      const owner = current.parent();
      if (
        language === 'ruby' &&
        owner &&
        KINDS.ruby.functions.includes(kindOf(owner))
      )
        return functionName(owner);
      return undefined;
    }
  }
  return undefined;
}

/** True when the file mentions a module path in a string (an import, require or use of it). */
export function mentionsModule(ctx: FileContext, pattern: string): boolean {
  return (
    ctx.root.find({
      rule: {
        ...anyKind(ctx.language, KINDS[ctx.language].strings),
        regex: pattern,
      },
    }) !== null
  );
}

export const SHELLS =
  /^(\/usr)?(\/bin\/)?(sh|bash|zsh|dash|ksh|cmd|cmd\.exe|powershell|pwsh)$/;
export const SHELL_FLAGS = /^(-c|\/c|\/C|-Command|-command)$/;
