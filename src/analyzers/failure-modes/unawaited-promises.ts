import type { SgNode } from '@ast-grep/napi';
import type { CheckContext, CodeCheck } from '../code/code-analyzer.ts';
import { callOf, type Call } from '../code/calls.ts';
import type { CallSite } from '../code/calls.ts';
import { draftFinding, headLines } from '../code/findings.ts';
import { isRequestHandler } from '../code/request-handlers.ts';
import type { SourceFile } from '../code/source-file.ts';
import { enclosingFunction } from '../code/syntax.ts';
import { jsHttpCalls } from './http/js-http-calls.ts';
import { defineRule } from '../../core/rules.ts';

export const UNAWAITED_PROMISE = defineRule({
  id: 'failure-mode/unawaited-promise',
  severity: 'high',
  title: 'Promise not awaited in a request handler',
  appliesTo: { languages: ['javascript', 'typescript'] },
});

const PRISMA_WRITE =
  /^(?:this\.)?prisma\.\w+\.(?:create|createMany|update|updateMany|upsert|delete|deleteMany)$|^(?:this\.)?prisma\.\$(?:executeRaw|executeRawUnsafe|queryRaw|queryRawUnsafe)$/;
const DB_RECEIVER =
  /(?:^|\.)(?:pool|db|client|conn|connection|knex|sequelize|database|pg)$/i;

interface Floating {
  node: SgNode;
  what: string;
  lazy: boolean;
}

/**
 * A promise started inside a request handler that nothing awaits, returns, or explicitly detaches
 * with `void`. Reported only when the callee is known to be async: declared `async` in this file, or
 * a well-known promise API (fetch, axios, Prisma writes, `pool.query`, `doc.save()`).
 */
export const unawaitedPromises: CodeCheck = {
  rules: [UNAWAITED_PROMISE],
  families: ['js'],
  run(context) {
    for (const site of context.index.calls) {
      // Cheapest tests first: most calls are awaited, assigned or not in a handler at all.
      if (!context.touches(site.node)) continue;
      const local = LOCAL_CALLEE.test(site.callee);
      if (!local && !knownPromiseApi(site, context)) continue;
      if (
        site.node.kind() !== 'call_expression' ||
        site.node.parent()?.kind() !== 'expression_statement'
      )
        continue;
      const fn = enclosingFunction(site.node, 'js');
      if (!fn || !isRequestHandler(fn, 'js')) continue;
      const floating = classify(
        site,
        local ? declaredAsync(context.file) : EMPTY,
        context,
      );
      if (floating) report(context, floating);
    }
  },
};

const LOCAL_CALLEE = /^(?:this\.)?[\w$]+$/;
const EMPTY = new Set<string>();

function knownPromiseApi(site: CallSite, context: CheckContext): boolean {
  return (
    PRISMA_WRITE.test(site.callee) ||
    site.name === 'save' ||
    site.name === 'query' ||
    jsHttpCalls(context.file, [site]).length > 0
  );
}

/** Known-async calls: declared async here, or a well-known promise API. */
function classify(
  site: CallSite,
  asyncNames: Set<string>,
  context: CheckContext,
): Floating | undefined {
  const { node, callee, name } = site;
  if (asyncNames.has(callee))
    return { node, what: `\`${callee}()\` is async`, lazy: false };
  if (PRISMA_WRITE.test(callee))
    return {
      node,
      what: `\`${callee}()\` returns a lazy Prisma query`,
      lazy: true,
    };
  if (name === 'save' && callee.includes('.')) {
    const call = callOf(node);
    return call && call.args.length === 0
      ? { node, what: '`save()` returns a promise', lazy: false }
      : undefined;
  }
  if (name === 'query' && DB_RECEIVER.test(callee.slice(0, -'.query'.length))) {
    const call = callOf(node);
    return call && !isCallbackStyle(call)
      ? { node, what: `\`${callee}()\` returns a promise`, lazy: false }
      : undefined;
  }
  const http = jsHttpCalls(context.file, [site])[0];
  return http?.kind === 'request'
    ? { node, what: `\`${callee}()\` returns a promise`, lazy: false }
    : undefined;
}

function isCallbackStyle(call: Call): boolean {
  const last = call.args.at(-1);
  return (
    last !== undefined &&
    (last.kind() === 'arrow_function' || last.kind() === 'function_expression')
  );
}

function report(context: CheckContext, floating: Floating): void {
  const consequence = floating.lazy
    ? 'Prisma queries only run when awaited or `.then()`-ed, so this write never happens at all.'
    : 'Nothing waits for it: the response can go out before the work is done, its failure never reaches the error handler or the client, and a rejection becomes an unhandled rejection, which terminates the Node.js process by default (Node 15 and later).';
  context.report(
    draftFinding(
      UNAWAITED_PROMISE,
      context.file.path,
      headLines(floating.node),
      {
        title: `${floating.what} but is not awaited in this request handler`,
        body: consequence,
        fix: '`await` it (or `return` it). If it is meant to run in the background, say so explicitly and keep failures visible: `void task().catch((err) => logger.error(err))`, or hand it to a job queue.',
      },
    ),
  );
}

const ASYNC_NAMES = new WeakMap<SgNode, Set<string>>();

/** Names that refer to async functions declared in this file: `f`, and `this.m` for async methods. */
function declaredAsync(file: SourceFile): Set<string> {
  let names = ASYNC_NAMES.get(file.root);
  if (names) return names;
  names = new Set<string>();
  ASYNC_NAMES.set(file.root, names);
  if (!file.text.includes('async')) return names;
  const rule = {
    any: [
      { kind: 'function_declaration' },
      { kind: 'method_definition' },
      {
        kind: 'variable_declarator',
        has: {
          field: 'value',
          any: [{ kind: 'arrow_function' }, { kind: 'function_expression' }],
        },
      },
    ],
  };
  for (const node of file.root.findAll({ rule })) {
    const fn =
      node.kind() === 'variable_declarator' ? node.field('value') : node;
    if (!fn?.children().some((child) => child.kind() === 'async')) continue;
    const name = node.field('name')?.text();
    if (name)
      names.add(node.kind() === 'method_definition' ? `this.${name}` : name);
  }
  return names;
}
