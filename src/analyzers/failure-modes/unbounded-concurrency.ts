import type { SgNode } from '@ast-grep/napi';
import type { CheckContext, CodeCheck } from '../code/code-analyzer.ts';
import { callOf, type Call } from '../code/calls.ts';
import { draftFinding, headLines } from '../code/findings.ts';
import { objectLiteral } from '../code/js-objects.ts';
import {
  compact,
  enclosingFunctions,
  namedChildren,
  stringValue,
} from '../code/syntax.ts';
import { defineRule } from '../../core/rules.ts';

export const UNBOUNDED_CONCURRENCY = defineRule({
  id: 'failure-mode/unbounded-concurrency',
  severity: 'medium',
  title: 'Unbounded parallel fan-out over input of unknown size',
  appliesTo: { languages: ['javascript', 'typescript'] },
});

type Origin = { kind: 'request' | 'query'; source: string };

const REQUEST_INPUT =
  /^(?:req|request)\.(?:body|query)\b|^ctx\.request\.body\b|^ctx\.query\b/;
const FAN_OUT = new Set([
  'Promise.all',
  'Promise.allSettled',
  'Promise.any',
  'Promise.race',
]);
const LIST_QUERIES = new Set([
  'findMany',
  'findAll',
  'find',
  'findBy',
  'query',
  '$queryRaw',
  '$queryRawUnsafe',
]);

/**
 * `Promise.all(items.map(async ...))` where `items` comes from the request or from a query without a
 * limit: the number of operations started at once is decided by the client or by the table size.
 */
export const unboundedConcurrency: CodeCheck = {
  rules: [UNBOUNDED_CONCURRENCY],
  families: ['js'],
  run(context) {
    for (const site of context.index.calls) {
      if (!FAN_OUT.has(site.callee) || !context.touches(site.node)) continue;
      const mapped = mappedCollection(callOf(site.node));
      if (!mapped) continue;
      const origin = originOf(mapped, site.node);
      if (origin) report(context, site.node, origin);
    }
  },
};

/** The collection in `Promise.all(collection.map(asyncFn))`, when the callback starts async work. */
function mappedCollection(all: Call | undefined): SgNode | undefined {
  const inner = all?.args[0];
  if (inner?.kind() !== 'call_expression') return undefined;
  const map = callOf(inner);
  if (!map?.receiver || (map.name !== 'map' && map.name !== 'flatMap'))
    return undefined;
  const callback = map.args[0];
  if (!callback) return undefined;
  const isAsync = callback.children().some((child) => child.kind() === 'async');
  const body = callback.field('body');
  const returnsCall =
    callback.kind() === 'arrow_function' &&
    (body?.kind() === 'call_expression' || body?.kind() === 'await_expression');
  return isAsync || returnsCall ? map.receiver : undefined;
}

function originOf(collection: SgNode, at: SgNode): Origin | undefined {
  const text = compact(collection);
  if (REQUEST_INPUT.test(text)) return { kind: 'request', source: text };
  if (collection.kind() !== 'identifier') return undefined;
  const value = declaredValue(collection.text(), at);
  if (!value) return undefined;
  const valueText = compact(value);
  if (REQUEST_INPUT.test(valueText))
    return {
      kind: 'request',
      source: `${text} (from ${valueText.split(/[^\w.$]/)[0]})`,
    };
  if (isUnlimitedListQuery(value)) return { kind: 'query', source: text };
  return undefined;
}

/** The initialiser of `const name = ...` / `const { name } = ...` in the functions around `at`. */
function declaredValue(name: string, at: SgNode): SgNode | undefined {
  for (const fn of enclosingFunctions(at, 'js')) {
    const body = fn.field('body');
    if (!body) continue;
    for (const declarator of body.findAll({
      rule: { kind: 'variable_declarator' },
    })) {
      const target = declarator.field('name');
      if (!target) continue;
      const binds =
        target.kind() === 'identifier'
          ? target.text() === name
          : target
              .findAll({
                rule: {
                  any: [
                    { kind: 'shorthand_property_identifier_pattern' },
                    { kind: 'identifier' },
                  ],
                },
              })
              .some((id) => id.text() === name);
      if (binds) return declarator.field('value') ?? undefined;
    }
  }
  return undefined;
}

/** `await prisma.x.findMany({...})` without `take`, `await Model.find()` without `.limit()`, SQL without LIMIT. */
function isUnlimitedListQuery(value: SgNode): boolean {
  const expression =
    value.kind() === 'await_expression' ? namedChildren(value)[0] : value;
  if (expression?.kind() !== 'call_expression') return false;
  const call = callOf(expression);
  if (!call?.receiver || !LIST_QUERIES.has(call.name)) return false;
  if (
    call.args.some(
      (arg) =>
        arg.kind() === 'arrow_function' || arg.kind() === 'function_expression',
    )
  )
    return false; // Array.prototype.find
  if (call.name === 'query' || call.name.startsWith('$queryRaw')) {
    const sql = stringValue(call.args[0]);
    return (
      sql !== undefined &&
      /^\s*select\b/i.test(sql) &&
      !/\blimit\b|\bfetch\s+first\b/i.test(sql)
    );
  }
  const options = objectLiteral(call.args.at(-1));
  if (
    options &&
    (options.spread ||
      options.keys.has('take') ||
      options.keys.has('limit') ||
      options.keys.has('first'))
  )
    return false;
  if (call.args.length > 0 && !options && call.name !== 'find') return false; // options we cannot see
  return true;
}

function report(context: CheckContext, node: SgNode, origin: Origin): void {
  const fromRequest = origin.kind === 'request';
  context.report(
    draftFinding(
      UNBOUNDED_CONCURRENCY,
      context.file.path,
      headLines(node),
      {
        title: fromRequest
          ? `One concurrent task per element of \`${origin.source}\`, which the client controls`
          : `One concurrent task per row of an unlimited query (\`${origin.source}\`)`,
        body: fromRequest
          ? 'Every element starts its async work at the same moment, and the client decides how many elements there are: one request with ten thousand items opens ten thousand concurrent queries or calls, exhausting the connection pool, tripping downstream rate limits and spiking memory. It is an easy denial of service.'
          : 'Every row starts its async work at the same moment, and the query has no limit, so the fan-out grows with the table: what is ten parallel calls today becomes thousands, exhausting the connection pool and downstream rate limits.',
        fix: 'Cap the input size (validate a maximum length, or add a LIMIT/`take`) and run the work with bounded concurrency, e.g. `p-limit`/`p-map` with `{ concurrency: 10 }`, or fixed-size batches.',
      },
      { severity: fromRequest ? 'high' : 'medium' },
    ),
  );
}
