import type { CodeLanguage } from '../../code/languages.ts';
import type { FileContext } from '../file-context.ts';
import type { LanguageCall } from '../../code/expressions/language-call.ts';
import { argumentShape, describeBuilding, viaVariable } from './helpers.ts';
import { defineRule } from '../../../core/rules.ts';
import { SECURITY_LANGUAGES } from '../languages.ts';
import { enclosingFunction } from '../../code/expressions/nodes.ts';
import { onlyPlaceholders } from './placeholder-sql.ts';

export const SQL_INJECTION = defineRule({
  id: 'security/sql-injection',
  severity: 'high',
  title: 'SQL text built from non-constant values is passed to a query API',
  appliesTo: { languages: SECURITY_LANGUAGES },
});

interface SqlApi {
  /** Methods that take SQL text. */
  names: string;
  /** Methods that take a SQL fragment (a WHERE or ORDER BY clause), so the text need not look like a statement. */
  fragments: RegExp;
  /** Methods with generic names that count only on a database-like receiver. */
  receiverBound?: { names: RegExp; receiver: RegExp };
  /** Which arguments carry the SQL. */
  sqlArguments: (site: LanguageCall) => number[];
  fix: string;
}

const DB_RECEIVER =
  /(^|\.)(db|database|sqlite|conn|connection|client|pool|tx|trx|knex|sequelize|prisma|pg|mysql)$/i;
const first = () => [0];

const JVM_FIX =
  'Use a `PreparedStatement` with `?` placeholders and `setString`/`setLong`, JdbcTemplate arguments (`jdbc.query("... where id = ?", mapper, id)`) or JPA `setParameter`; table or column names must come from an allow-list.';

const JS_API: SqlApi = {
  names:
    'query|execute|raw|\\$queryRawUnsafe|\\$executeRawUnsafe|queryRawUnsafe|executeRawUnsafe|whereRaw|orWhereRaw|andWhereRaw|havingRaw|orHavingRaw|orderByRaw|groupByRaw|joinRaw|fromRaw|selectRaw|unsafe|literal|exec|run|all|get|prepare|each',
  fragments:
    /^(whereRaw|orWhereRaw|andWhereRaw|havingRaw|orHavingRaw|orderByRaw|groupByRaw|joinRaw|fromRaw|selectRaw|literal)$/,
  receiverBound: {
    names: /^(exec|run|all|get|prepare|each)$/,
    receiver: DB_RECEIVER,
  },
  sqlArguments: first,
  fix: "Pass values as bind parameters: `db.query('... WHERE id = $1', [id])` (`?` for MySQL/SQLite), Prisma `$queryRaw` as a tagged template, knex `whereRaw('id = ?', [id])`; table or column names must come from an allow-list.",
};

const APIS: Record<CodeLanguage, SqlApi> = {
  javascript: JS_API,
  typescript: JS_API,
  python: {
    names:
      'execute|executemany|executescript|raw|text|read_sql|read_sql_query|RawSQL|mogrify',
    fragments: /^$/,
    sqlArguments: first,
    fix: 'Pass values as bind parameters: `cursor.execute("... WHERE id = %s", (user_id,))` or SQLAlchemy `text("... WHERE id = :id")` with `{"id": user_id}`; table or column names must come from an allow-list.',
  },
  go: {
    names:
      'Query|QueryRow|Exec|QueryContext|QueryRowContext|ExecContext|Prepare|PrepareContext|Raw|Queryx|QueryRowx|MustExec|NamedExec|NamedQuery|Select|Get|Where|Order|Having|Joins|Group',
    fragments: /^(Where|Order|Having|Joins|Group)$/,
    sqlArguments: (site) => site.args.map((_, i) => i),
    fix: 'Pass values as arguments after the query: `db.QueryContext(ctx, "... WHERE id = $1", id)` (or `?` for MySQL/SQLite); table or column names must come from an allow-list.',
  },
  java: {
    names:
      'executeQuery|executeUpdate|executeLargeUpdate|execute|addBatch|prepareStatement|prepareCall|createQuery|createNativeQuery|createSQLQuery|query|queryForObject|queryForList|queryForMap|queryForRowSet|queryForStream|update|batchUpdate',
    fragments: /^$/,
    sqlArguments: first,
    fix: JVM_FIX,
  },
  kotlin: {
    names:
      'executeQuery|executeUpdate|execute|addBatch|prepareStatement|prepareCall|createQuery|createNativeQuery|query|queryForObject|queryForList|queryForMap|update|batchUpdate',
    fragments: /^$/,
    sqlArguments: first,
    fix: JVM_FIX,
  },
  ruby: {
    names:
      'where|not|find_by_sql|count_by_sql|execute|exec_query|exec_update|exec_delete|exec_insert|select_all|select_one|select_value|select_values|select_rows|order|reorder|group|having|joins|pluck|from|exec|query',
    fragments: /^(where|not|order|reorder|group|having|joins|pluck|from)$/,
    sqlArguments: first,
    fix: 'Use placeholders or hash conditions: `User.where("name = ?", name)` / `User.where(name: name)`, `exec_query(sql, "name", [binds])`; column names in `order` must come from an allow-list.',
  },
};

/** Text that reads like SQL; keeps `execute(f"...")` of non-SQL commands out. */
const SQL_TEXT =
  /\b(select\s[\s\S]*\bfrom|insert\s+into|update\s[\s\S]*\bset|delete\s+from|where\s+[\w."`]+\s*(=|<|>|!=|\bin\b|\blike\b|\bis\b|\bbetween\b)|order\s+by|group\s+by|values\s*\(|(create|drop|alter|truncate)\s+(table|index|view|database|schema))/i;

/** SQL text assembled from non-constant values and handed to a query API. */
export function checkSqlInjection(ctx: FileContext): void {
  const api = APIS[ctx.language];
  for (const site of ctx.calls(api.names)) {
    if (
      api.receiverBound?.names.test(site.name) &&
      !api.receiverBound.receiver.test(site.receiver)
    )
      continue;
    for (const index of api.sqlArguments(site)) {
      const argument = site.args[index];
      if (!argument) continue;
      const shape = argumentShape(ctx.language, argument);
      if (shape.shape !== 'built') continue;
      if (!api.fragments.test(site.name) && !SQL_TEXT.test(shape.built.text()))
        continue;
      // Constants and bind-parameter placeholders (`?, ?`, `$1`) joined into the text inject nothing.
      const scope = {
        text: (enclosingFunction(ctx.language, site.node) ?? site.node).text(),
        file: site.node.getRoot().root().text(),
      };
      if (onlyPlaceholders(shape.built.text(), scope)) continue;
      ctx.report({
        rule: SQL_INJECTION,
        at: shape.origin ? [site.node, shape.origin] : site.node,
        title: `SQL injection: \`${site.callee}\` runs SQL built by ${describeBuilding(ctx.language, shape.built)}`,
        body:
          `\`${site.callee}\` receives SQL assembled from non-constant values${viaVariable(argument, shape)}. ` +
          'Any value that reaches it from a request can close the quoted text and add its own SQL: read other rows, skip the WHERE clause, or change data.',
        fix: api.fix,
        ...(shape.origin
          ? {
              related: {
                node: shape.origin,
                note: 'the SQL text is assembled here',
              },
            }
          : {}),
      });
      break;
    }
  }
}
