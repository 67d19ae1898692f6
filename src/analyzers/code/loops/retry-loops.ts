import type { SgNode } from '@ast-grep/napi';
import type { FileIndex } from '../file-index.ts';
import type { LanguageFamily } from '../source-file.ts';
import { contains, kindOf, namedChildren } from '../syntax.ts';
import { delayKind, type DelayKind } from './delays.ts';
import { leaves, loopExits } from './exits.ts';

/** A loop that runs an operation again after it fails. */
export interface RetryLoop {
  loop: SgNode;
  /** The code of one attempt: the `try` block, or a Go loop's body. */
  attempt: SgNode;
  /** No condition ends the loop and nothing but success leaves it. */
  unbounded: boolean;
  delay: DelayKind;
}

const LOOP_KINDS: Record<LanguageFamily, string[]> = {
  js: ['while_statement', 'do_statement', 'for_statement'],
  python: ['while_statement', 'for_statement'],
  go: ['for_statement'],
  java: ['while_statement', 'do_statement', 'for_statement'],
};

/** The loops of a file's index that could be retry loops, in source order. */
export function candidateLoops(
  family: LanguageFamily,
  index: FileIndex,
): SgNode[] {
  return LOOP_KINDS[family].flatMap((kind) => index.ofKind(kind));
}

const found = new WeakMap<FileIndex, RetryLoop[]>();

/** The retry loops of a file, recognised once per file however many checks ask. */
export function retryLoops(
  family: LanguageFamily,
  index: FileIndex,
): RetryLoop[] {
  let loops = found.get(index);
  if (!loops) {
    loops = candidateLoops(family, index).flatMap(
      (loop) => retryLoopOf(loop, family, index) ?? [],
    );
    found.set(index, loops);
  }
  return loops;
}

/** Recognises a retry loop: try an operation, leave on success, go round again on failure. */
export function retryLoopOf(
  loop: SgNode,
  family: LanguageFamily,
  index: FileIndex,
): RetryLoop | undefined {
  if (!LOOP_KINDS[family].includes(kindOf(loop))) return undefined;
  const shape = family === 'go' ? goShape(loop) : tryShape(loop, family);
  if (!shape) return undefined;
  const { attempt, successExits, forever } = shape;
  if (successExits.length === 0) return undefined;
  const success = new Set(successExits.map((exit) => exit.id()));
  const otherExits = loopExits(loop.field('body') ?? loop, loop, family).filter(
    (exit) => !success.has(exit.id()) && !insideAny(exit, attempt, family),
  );
  return {
    loop,
    attempt,
    unbounded: forever && otherExits.length === 0,
    delay: delayKind(loop, family, index),
  };
}

interface Shape {
  attempt: SgNode;
  successExits: SgNode[];
  forever: boolean;
}

/** JavaScript, Python and Java: a loop whose body holds a try block that ends by leaving the loop. */
function tryShape(loop: SgNode, family: LanguageFamily): Shape | undefined {
  const forever = runsForever(loop, family);
  if (forever === undefined) return undefined;
  const body = loop.field('body');
  if (!body) return undefined;
  const statement = namedChildren(body).find(
    (child) =>
      child.kind() === 'try_statement' ||
      child.kind() === 'try_with_resources_statement',
  );
  if (!statement) return undefined;
  const attempt = statement.field('body');
  if (!attempt) return undefined;
  const handled = namedChildren(statement).some(
    (child) =>
      child.kind() === 'catch_clause' ||
      child.kind() === 'except_clause' ||
      child.kind() === 'except_group_clause',
  );
  if (!handled) return undefined;
  // Success leaves the loop from the end of the try block (or from Python's `else:`), not from somewhere
  // in the middle, which would be a worker loop that stops when it runs out of work.
  const finalStatements = [lastStatement(attempt)];
  const orElse = namedChildren(statement).find(
    (child) => child.kind() === 'else_clause',
  );
  if (orElse)
    finalStatements.push(lastStatement(namedChildren(orElse).at(-1) ?? orElse));
  const successExits = finalStatements.filter(
    (s): s is SgNode => s !== undefined && isSuccessExit(s, loop, family),
  );
  return { attempt, successExits, forever };
}

/**
 * Go: a loop that checks `err` and leaves when it is nil: `if err == nil { return ... }`, or
 * `if err != nil { ...; continue }` followed by a final `return`/`break`.
 */
function goShape(loop: SgNode): Shape | undefined {
  const forever = runsForever(loop, 'go');
  if (forever === undefined) return undefined;
  const body = loop.field('body');
  const statements = body ? namedChildren(namedChildren(body)[0] ?? body) : [];
  let checksError = false;
  const successExits: SgNode[] = [];
  for (const statement of statements) {
    if (statement.kind() !== 'if_statement') continue;
    const test = errorTest(statement.field('condition'));
    if (!test) continue;
    checksError = true;
    const onSuccess =
      test === 'nil'
        ? statement.field('consequence')
        : statement.field('alternative');
    const last = onSuccess ? lastStatement(onSuccess) : undefined;
    if (last && isSuccessExit(last, loop, 'go')) successExits.push(last);
  }
  if (!checksError) return undefined;
  const final = statements.at(-1);
  if (
    final &&
    (final.kind() === 'return_statement' || final.kind() === 'break_statement')
  )
    successExits.push(final);
  return body ? { attempt: body, successExits, forever } : undefined;
}

/** A `return` or `break` that leaves the loop. */
function isSuccessExit(
  statement: SgNode,
  loop: SgNode,
  family: LanguageFamily,
): boolean {
  const kind = statement.kind();
  return (
    (kind === 'return_statement' || kind === 'break_statement') &&
    leaves(statement, loop, family)
  );
}

/** `err == nil` → 'nil', `err != nil` → 'not-nil'. */
function errorTest(condition: SgNode | null): 'nil' | 'not-nil' | undefined {
  if (condition?.kind() !== 'binary_expression') return undefined;
  const left = condition.field('left')?.text() ?? '';
  const right = condition.field('right')?.text();
  const operator = condition.field('operator')?.text();
  if (!/^err\w*$/i.test(left) || right !== 'nil') return undefined;
  return operator === '==' ? 'nil' : operator === '!=' ? 'not-nil' : undefined;
}

/**
 * True when only leaving the loop ends it (`while (true)`, `for (;;)`, Go's `for {}`), false for a
 * loop bounded by a condition or an attempt range, undefined for loops that are not retry-shaped
 * (iteration over a collection).
 */
function runsForever(
  loop: SgNode,
  family: LanguageFamily,
): boolean | undefined {
  const kind = kindOf(loop);
  if (family === 'go') {
    const clause = namedChildren(loop).filter(
      (child) => child.kind() !== 'block',
    );
    if (clause.length === 0) return true;
    const head = clause[0]!;
    if (head.kind() === 'range_clause')
      return isAttemptRange(head.field('right')) ? false : undefined;
    if (head.kind() === 'for_clause') return head.field('condition') === null;
    return isConstantTrue(head);
  }
  if (family === 'python' && kind === 'for_statement') {
    const iterable = loop.field('right');
    return iterable?.kind() === 'call' &&
      iterable.field('function')?.text() === 'range'
      ? false
      : undefined;
  }
  if (kind === 'for_statement') {
    const condition = loop.field('condition');
    return (
      condition === null ||
      condition.kind() === 'empty_statement' ||
      condition.text() === ';' ||
      isConstantTrue(condition)
    );
  }
  return isConstantTrue(loop.field('condition'));
}

function isConstantTrue(condition: SgNode | null): boolean {
  if (!condition) return false;
  const text = condition.text().replace(/[()\s;]/g, '');
  return (
    text === 'true' ||
    text === 'True' ||
    text === '1' ||
    text === '!0' ||
    text === '!false'
  );
}

/** Go 1.22 `for range 3` / `for i := range maxAttempts`. */
function isAttemptRange(value: SgNode | null): boolean {
  if (!value) return false;
  return (
    value.kind() === 'int_literal' ||
    (value.kind() === 'identifier' &&
      /attempt|retr|tries|max/i.test(value.text()))
  );
}

function lastStatement(block: SgNode): SgNode | undefined {
  let children = namedChildren(block);
  // Go blocks wrap their statements in a statement_list.
  if (children.length === 1 && children[0]!.kind() === 'statement_list')
    children = namedChildren(children[0]!);
  return children.at(-1);
}

function insideAny(
  node: SgNode,
  scope: SgNode,
  family: LanguageFamily,
): boolean {
  // A Go attempt is the whole body; its exits are classified one by one.
  return family !== 'go' && contains(scope, node);
}
