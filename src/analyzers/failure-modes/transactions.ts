import type { SgNode } from '@ast-grep/napi';
import { callOf } from '../code/calls.ts';
import type { CallSite } from '../code/calls.ts';
import type { FileIndex } from '../code/file-index.ts';
import { javaAnnotations } from '../code/request-handlers.ts';
import type { SourceFile } from '../code/source-file.ts';
import {
  isFunction,
  kindOf,
  namedChildren,
  stringValue,
} from '../code/syntax.ts';

/** Code that runs while a database transaction is open. */
export interface TransactionScope {
  /** What opens the transaction: the call, `with` statement or annotation. */
  opener: SgNode;
  label: string;
  bodies: SgNode[];
}

const JS_OPENERS = new Set(['$transaction', 'transaction', 'withTransaction']);
const PYTHON_OPENERS = /(?:^|\.)(?:atomic|begin|begin_nested|transaction)$/;
const GO_CLOSURE_OPENERS = new Set([
  'Transaction',
  'RunInTx',
  'RunInTransaction',
  'WithTransaction',
  'WithTx',
  'InTx',
  'ExecTx',
]);
const GO_BEGIN = new Set(['Begin', 'BeginTx', 'Beginx', 'BeginTxx']);
const JAVA_TEMPLATE_METHODS = new Set(['execute', 'executeWithoutResult']);

export function transactionScopes(
  file: SourceFile,
  index: FileIndex,
): TransactionScope[] {
  const calls = index.calls;
  switch (file.family) {
    case 'js':
      return [
        ...closureScopes(
          file,
          calls.filter(
            (site) => site.callee.includes('.') && JS_OPENERS.has(site.name),
          ),
        ),
        ...untilCommit(
          calls.filter(
            (site) => site.name === 'query' && isSql(site, SQL_BEGIN),
          ),
          index,
          'statement_block',
          (site) => site.name === 'query' && isSql(site, SQL_COMMIT),
        ),
      ];
    case 'python':
      return pythonScopes(index);
    case 'go':
      return [
        ...closureScopes(
          file,
          calls.filter(
            (site) =>
              site.callee.includes('.') && GO_CLOSURE_OPENERS.has(site.name),
          ),
        ),
        ...untilCommit(
          calls.filter((site) => GO_BEGIN.has(site.name)),
          index,
          'statement_list',
          (site) => site.name === 'Commit',
        ),
      ];
    case 'java':
      return [
        ...(file.text.includes('Transactional') ? javaScopes(index) : []),
        ...closureScopes(
          file,
          calls.filter(
            (site) =>
              JAVA_TEMPLATE_METHODS.has(site.name) &&
              /transactionTemplate\.\w+$/i.test(site.callee),
          ),
        ),
      ];
  }
}

/** `prisma.$transaction(async (tx) => ...)`, `db.Transaction(func(tx *gorm.DB) error {...})`. */
function closureScopes(
  file: SourceFile,
  openers: CallSite[],
): TransactionScope[] {
  const scopes: TransactionScope[] = [];
  for (const site of openers) {
    const call = callOf(site.node);
    if (!call) continue;
    const bodies = call.args
      .filter((arg) => isFunction(arg, file.family))
      .map((fn) => fn.field('body') ?? fn);
    if (bodies.length > 0)
      scopes.push({ opener: site.node, label: `${call.callee}()`, bodies });
  }
  return scopes;
}

/** `with transaction.atomic():`, `with session.begin():`, `@transaction.atomic`. */
function pythonScopes(index: FileIndex): TransactionScope[] {
  const scopes: TransactionScope[] = [];
  for (const statement of index.ofKind('with_statement')) {
    const clause = namedChildren(statement).find(
      (child) => child.kind() === 'with_clause',
    );
    const opener = (clause ? namedChildren(clause) : []).find((item) => {
      const value = item.field('value');
      const call =
        value?.kind() === 'as_pattern' ? namedChildren(value)[0] : value;
      return (
        call?.kind() === 'call' &&
        PYTHON_OPENERS.test(call.field('function')?.text() ?? '')
      );
    });
    const body = statement.field('body');
    if (opener && body)
      scopes.push({
        opener: statement,
        label: `with ${opener.text()}`,
        bodies: [body],
      });
  }
  for (const statement of index.ofKind('decorated_definition')) {
    const definition = statement.field('definition');
    if (definition?.kind() !== 'function_definition') continue;
    const decorator = namedChildren(statement).find((child) => {
      if (child.kind() !== 'decorator') return false;
      const expression = namedChildren(child)[0];
      const callee =
        expression?.kind() === 'call'
          ? expression.field('function')
          : expression;
      return (
        callee !== undefined &&
        callee !== null &&
        /(?:^|\.)atomic$/.test(callee.text())
      );
    });
    const body = definition.field('body');
    if (decorator && body)
      scopes.push({
        opener: decorator,
        label: decorator.text(),
        bodies: [body],
      });
  }
  return scopes;
}

/** Methods annotated (or in a class annotated) `@Transactional`, unless propagation suspends it. */
function javaScopes(index: FileIndex): TransactionScope[] {
  const scopes: TransactionScope[] = [];
  for (const method of index.ofKind('method_declaration')) {
    const body = method.field('body');
    if (!body) continue;
    const own = javaAnnotations(method).find((a) => a.name === 'Transactional');
    if (own) {
      if (!suspends(own.args))
        scopes.push({
          opener: own.node,
          label: '@Transactional',
          bodies: [body],
        });
      continue;
    }
    const owner = method.parent()?.parent();
    const inherited =
      owner?.kind() === 'class_declaration'
        ? javaAnnotations(owner).find((a) => a.name === 'Transactional')
        : undefined;
    const isPublic = namedChildren(method).some(
      (child) =>
        child.kind() === 'modifiers' && /\bpublic\b/.test(child.text()),
    );
    if (inherited && isPublic && !suspends(inherited.args))
      scopes.push({
        opener: method.field('name') ?? method,
        label: '@Transactional (on the class)',
        bodies: [body],
      });
  }
  return scopes;
}

function suspends(args: SgNode | undefined): boolean {
  return args !== undefined && /NOT_SUPPORTED|NEVER/.test(args.text());
}

/**
 * Explicit transactions: the statements after Go's `tx, err := db.BeginTx(...)` or JavaScript's
 * `await client.query('BEGIN')`, in the same block, up to the one that commits.
 */
function untilCommit(
  begins: CallSite[],
  index: FileIndex,
  block: string,
  commits: (site: CallSite) => boolean,
): TransactionScope[] {
  const scopes: TransactionScope[] = [];
  for (const begin of begins) {
    let statement: SgNode | null = begin.node;
    while (statement && statement.parent()?.kind() !== block)
      statement = statement.parent();
    if (!statement) continue;
    const bodies: SgNode[] = [];
    for (let next = statement.next(); next; next = next.next()) {
      if (!next.isNamed() || kindOf(next) === 'comment') continue;
      if (index.callsIn(next).some(commits)) break;
      bodies.push(next);
    }
    if (bodies.length > 0)
      scopes.push({
        opener: begin.node,
        label: `${begin.callee}(${begin.name === 'query' ? "'BEGIN'" : ''})`,
        bodies,
      });
  }
  return scopes;
}

const SQL_BEGIN = /^\s*(?:BEGIN|START\s+TRANSACTION)\b/i;
const SQL_COMMIT = /^\s*COMMIT\b/i;

function isSql(site: CallSite, statement: RegExp): boolean {
  return statement.test(stringValue(callOf(site.node)?.args[0]) ?? '');
}
