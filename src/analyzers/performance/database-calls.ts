import type { SgNode } from '@ast-grep/napi';
import { callOf, positional, type Call } from '../code/calls.ts';
import type { CallSite } from '../code/calls.ts';
import { receiverName, receiverText } from '../code/receiver.ts';
import type { LanguageFamily } from '../code/source-file.ts';

/** A call that runs a database query, as far as its name and receiver show. */
export interface DatabaseCall {
  node: SgNode;
  label: string;
}

/** Callee names worth a closer look, per family (Python also matches Django/Flask-SQLAlchemy managers by callee). */
const CANDIDATES: Record<LanguageFamily, RegExp> = {
  js: /^(?:findOne|findOneBy|findOneOrFail|findById|findByPk|findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|findMany|findAll|findAndCountAll|findBy|find|count|countDocuments|aggregate|query|execute|\$queryRaw|\$queryRawUnsafe)$/,
  python: /^(?:query|execute|scalars|scalar|get|fetch|fetchrow|fetchval)$/,
  go: /^(?:QueryContext|QueryRowContext|ExecContext|QueryRow|QueryxContext|QueryRowxContext|GetContext|SelectContext|NamedExecContext|Query|Exec|Get|Select|First|Find|Take|Last|Count)$/,
  java: /^(?:find\w*|get\w*|load\w*|exists\w*|count\w*|query\w*|select\w*|search\w*|createQuery|createNativeQuery)$/,
};

const JS_SPECIFIC = new Set([
  'findOne',
  'findOneBy',
  'findOneOrFail',
  'findById',
  'findByPk',
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'findAndCountAll',
  'countDocuments',
  '$queryRaw',
  '$queryRawUnsafe',
]);
const JS_DB_RECEIVER =
  /^(?:pool|db|client|conn|connection|knex|sequelize|database|pg|manager|em|entityManager|dataSource|tx|trx|queryRunner)$/i;
const JS_MODEL_RECEIVER =
  /^(?:[A-Z]\w*|\w*(?:Model|Repository|Repo|repository|repo))$/;
const PY_DB_RECEIVER =
  /^(?:cursor|cur|conn|connection|db|database|engine|session|pool)$/i;
const GO_CONTEXT_METHODS = new Set([
  'QueryContext',
  'QueryRowContext',
  'ExecContext',
  'QueryRow',
  'QueryxContext',
  'QueryRowxContext',
  'GetContext',
  'SelectContext',
  'NamedExecContext',
]);
const GO_DB_NAME = /^(?:db|tx|conn|pool|database|\w*DB|\w*Db)$/;
const JAVA_REPOSITORY = /(?:Repository|Repo|Dao|DAO|Mapper)$/;
const JAVA_ENTITY_MANAGER = /^(?:entityManager|em)$/;

/** Database calls among `sites`. */
export function databaseCalls(
  family: LanguageFamily,
  sites: readonly CallSite[],
): DatabaseCall[] {
  const found: DatabaseCall[] = [];
  for (const site of sites) {
    const candidate =
      CANDIDATES[family].test(site.name) ||
      (family === 'python' && /\.(?:objects|query)\.\w+$/.test(site.callee));
    if (!candidate || !site.callee.includes('.')) continue;
    const call = callOf(site.node);
    if (
      call &&
      !call.constructs &&
      call.receiver &&
      isDatabaseCall(call, family)
    )
      found.push({
        node: site.node,
        label: `${receiverText(call)}.${call.name}()`,
      });
  }
  return found;
}

function isDatabaseCall(call: Call, family: LanguageFamily): boolean {
  const receiver = receiverName(call);
  switch (family) {
    case 'js': {
      if (
        call.args.some(
          (arg) =>
            arg.kind() === 'arrow_function' ||
            arg.kind() === 'function_expression',
        )
      )
        return false; // array methods and callbacks
      if (
        JS_SPECIFIC.has(call.name) ||
        /(?:^|\.)prisma\./.test(receiverText(call))
      )
        return true;
      if (call.name === 'query' || call.name === 'execute')
        return JS_DB_RECEIVER.test(receiver);
      return JS_MODEL_RECEIVER.test(receiver);
    }
    case 'python': {
      const text = receiverText(call);
      if (/(?:^|\.)objects$/.test(text)) return true; // Django manager
      if (/^[A-Z]\w*\.query$/.test(text)) return true; // Flask-SQLAlchemy Model.query
      if (!PY_DB_RECEIVER.test(receiver)) return false;
      if (call.name === 'get')
        return (
          /session$/i.test(receiver) &&
          /^[A-Z]/.test(positional(call)[0]?.text() ?? '')
        ); // session.get(Model, id)
      if (call.name === 'query') return /session$/i.test(receiver);
      return true;
    }
    case 'go': {
      if (GO_CONTEXT_METHODS.has(call.name)) return true;
      return receiverText(call)
        .split(/[.()]/)
        .some((part) => GO_DB_NAME.test(part));
    }
    case 'java': {
      if (JAVA_REPOSITORY.test(receiver))
        return /^(?:find|get|load|exists|count|query|select|search|read)/.test(
          call.name,
        );
      if (/jdbcTemplate$/i.test(receiver)) return call.name.startsWith('query');
      return (
        JAVA_ENTITY_MANAGER.test(receiver) &&
        ['find', 'createQuery', 'createNativeQuery', 'getReference'].includes(
          call.name,
        )
      );
    }
  }
}
