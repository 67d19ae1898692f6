import type { SgNode } from '@ast-grep/napi';
import type { FileContext } from '../file-context.ts';
import { unwrap } from '../../code/expressions/nodes.ts';
import { readObject } from '../../code/expressions/objects.ts';
import { argumentShape } from './helpers.ts';
import { defineRule } from '../../../core/rules.ts';

export const NOSQL_INJECTION = defineRule({
  id: 'security/nosql-injection',
  severity: 'high',
  title:
    'Request data or built strings reach MongoDB query operators or `$where`',
  appliesTo: { languages: ['javascript', 'typescript', 'python'] },
});

/** A whole request body or query string: JSON or `qs` parsing lets a client send `{"$ne": null}` instead of a string. */
const JS_REQUEST_OBJECT = /^(req|request|ctx\.request|ctx)\.(body|query)$/;
const JS_REQUEST_VALUE =
  /^(req|request|ctx\.request|ctx)\.(body|query)(\.[\w$]+|\[[^\]]+\])+$/;
const PY_REQUEST_OBJECT =
  /^(request\.(json|get_json\(\))|await request\.json\(\))$/;
const PY_REQUEST_VALUE =
  /^(request\.(json|get_json\(\))|\(await request\.json\(\)\))(\[[^\]]+\]|\.get\([^)]*\))+$/;

const MONGO_METHODS =
  'find|findOne|findOneAndUpdate|findOneAndDelete|findOneAndReplace|findOneAndRemove|updateOne|updateMany|deleteOne|deleteMany|replaceOne|countDocuments|count|exists|distinct|where|find_one|find_one_and_update|find_one_and_delete|find_one_and_replace|update_one|update_many|delete_one|delete_many|replace_one|count_documents';

const FIX_JS =
  'Cast each filter value to the type you expect before querying (`String(req.body.email)`), or validate the body with a schema (zod, joi) that only allows scalars; never pass a request object as a filter, and avoid `$where`.';
const FIX_PY =
  'Validate the body into scalars first (pydantic, marshmallow) and build the filter from those values; avoid `$where`.';

/** Request data used as MongoDB query operators, and `$where` JavaScript built from values. */
export function checkNoSqlInjection(ctx: FileContext): void {
  const js = ctx.language === 'javascript' || ctx.language === 'typescript';
  if (!js && ctx.language !== 'python') return;
  const wholeObject = js ? JS_REQUEST_OBJECT : PY_REQUEST_OBJECT;
  const requestValue = js ? JS_REQUEST_VALUE : PY_REQUEST_VALUE;
  const fix = js ? FIX_JS : FIX_PY;

  for (const pair of ctx.find({
    kind: 'pair',
    has: { field: 'key', regex: '^["\']?\\$where["\']?$' },
  })) {
    const value = pair.field('value');
    if (!value) continue;
    const shape = argumentShape(ctx.language, value);
    if (
      shape.shape !== 'built' &&
      !requestValue.test(unwrap(ctx.language, value).text()) &&
      !wholeObject.test(value.text())
    )
      continue;
    ctx.report({
      rule: NOSQL_INJECTION,
      at: pair,
      title:
        'NoSQL injection: `$where` JavaScript built from non-constant values',
      body: "MongoDB runs a `$where` string as JavaScript against every document. Building it from request values lets a caller change the predicate (`' || true || '`) and read or match every document, or tie up the database with an expensive script.",
      fix: 'Replace `$where` with ordinary query operators (`{ name: value }`, `$expr`) on values that have been cast to the expected type.',
    });
  }

  for (const site of ctx.calls(MONGO_METHODS)) {
    const filter = site.args[0];
    if (!filter || site.receiver === '') continue;
    const text = unwrap(ctx.language, filter).text();
    let offending: SgNode | undefined;
    let what = '';
    if (wholeObject.test(text)) {
      offending = filter;
      what = `the whole \`${text}\``;
    } else {
      const object = readObject(ctx.language, filter);
      const hit = object?.entries.find((entry) =>
        requestValue.test(unwrap(ctx.language, entry.value).text()),
      );
      if (hit) {
        offending = hit.node;
        what = `\`${unwrap(ctx.language, hit.value).text()}\` as the value of \`${hit.key}\``;
      }
    }
    if (!offending) continue;
    ctx.report({
      rule: NOSQL_INJECTION,
      at: [offending, site.node],
      title: `NoSQL injection: \`${site.callee}\` filters on unvalidated request data`,
      body: `\`${site.callee}\` uses ${what} as a query filter. A JSON body or a query string like \`?password[$ne]=x\` turns that value into an operator object, so a caller can match any document — for example log in without the password.`,
      fix,
    });
  }
}
