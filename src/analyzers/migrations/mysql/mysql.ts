import { createRequire } from 'node:module';
import type sqlParser from 'node-sql-parser/build/mysql.js';
import { z } from 'zod';
import type { LineRange } from '../../../core/finding.ts';
import { makeFinding } from '../findings.ts';
import { splitStatements, type SqlStatement } from '../sql/lexer.ts';
import { emptyResult, type FileResult } from '../types.ts';
import {
  changesCharset,
  columnOf,
  emptyMysqlState,
  foreignKeyOf,
  isInPlaceChange,
  parentHasIndex,
  recordColumns,
  type ForeignKey,
  type MysqlState,
} from './columns.ts';

export const MYSQL_SOURCE = 'mysql-migrations';

/** Statements whose verdict depends on what earlier statements or migrations defined (a cheap gate before reading them). */
export const MYSQL_NEEDS_EARLIER = /\b(?:MODIFY|CHANGE|REFERENCES)\b/i;

// node-sql-parser's AST is loosely typed; these schemas name the parts the rules read.
const Loc = z.object({ start: z.object({ line: z.int() }) }).optional();
const ColumnRef = z.looseObject({ column: z.unknown(), loc: Loc });
const TableRef = z.looseObject({ table: z.string() });
const AlterExpr = z.looseObject({
  action: z.string().optional(),
  resource: z.string().optional(),
  column: ColumnRef.optional(),
  old_column: ColumnRef.optional(),
  nullable: z.looseObject({ type: z.string() }).nullish(),
  default_val: z.unknown().optional(),
  generated: z.unknown().optional(),
  auto_increment: z.unknown().optional(),
  create_definitions: z
    .looseObject({ constraint_type: z.string().nullish() })
    .nullish(),
  table: z.string().optional(),
  algorithm: z.string().optional(),
  lock: z.string().optional(),
});
const AlterStatement = z.looseObject({
  type: z.literal('alter'),
  table: z.array(TableRef).min(1),
  expr: z.array(AlterExpr),
});
const CreateStatement = z.looseObject({
  type: z.literal('create'),
  keyword: z.string(),
  table: z.union([TableRef, z.array(TableRef)]).nullish(),
  algorithm_option: z.looseObject({ algorithm: z.string() }).nullish(),
  lock_option: z.looseObject({ lock: z.string() }).nullish(),
});
const DropStatement = z.looseObject({
  type: z.literal('drop'),
  keyword: z.string(),
  name: z.array(TableRef).optional(),
});
const RenameStatement = z.looseObject({
  type: z.literal('rename'),
  table: z.array(z.array(TableRef)),
});
type Statement =
  | z.infer<typeof AlterStatement>
  | z.infer<typeof CreateStatement>
  | z.infer<typeof DropStatement>
  | z.infer<typeof RenameStatement>;

/** The statement kinds the rules read; anything else (or an unexpected shape) is skipped. */
function readStatement(node: unknown): Statement | undefined {
  const type = z.looseObject({ type: z.string() }).safeParse(node);
  if (!type.success) return undefined;
  const schema = {
    alter: AlterStatement,
    create: CreateStatement,
    drop: DropStatement,
    rename: RenameStatement,
  }[type.data.type];
  const parsed = schema?.safeParse(node);
  return parsed?.success ? (parsed.data as Statement) : undefined;
}
type AlterExpr = z.infer<typeof AlterExpr>;

let parser: InstanceType<typeof sqlParser.Parser> | undefined;
/** node-sql-parser loads on the first MySQL statement (most reviews have none): it takes a tenth of a second. */
const mysqlParser = () =>
  (parser ??= new (
    createRequire(import.meta.url)(
      'node-sql-parser/build/mysql.js',
    ) as typeof sqlParser
  ).Parser());

const ONLINE_ALGORITHMS = new Set(['INPLACE', 'INSTANT']);

/**
 * Checks the added statements of a MySQL migration with node-sql-parser, one statement at a time
 * so one unparseable statement does not hide the rest. Rules about existing tables report
 * conditionally: the analyzer drops them when the change creates the table.
 */
export function analyzeMysql(
  path: string,
  sql: string,
  added: ReadonlySet<number>,
  firstLine = 1,
  state: MysqlState = emptyMysqlState(),
): FileResult {
  const result = emptyResult();
  // Names a statement renamed away, to spot a swap done in two statements.
  const renamedAway = new Set<string>();
  for (const split of splitStatements(sql, 'mysql')) {
    // SQL from a string literal starts at `firstLine` of its file.
    const statement = {
      ...split,
      startLine: split.startLine + firstLine - 1,
      endLine: split.endLine + firstLine - 1,
    };
    const live = touches(statement, added);
    // Statements outside the change still define the columns later ones change.
    if (!live && !MYSQL_NEEDS_EARLIER.test(sql)) continue;
    let ast: unknown;
    try {
      ast = mysqlParser().astify(statement.text, {
        database: 'MySQL',
        parseOptions: { includeLocations: true },
      });
    } catch (error) {
      if (!live) continue;
      const message =
        error instanceof Error
          ? error.message.split('\n')[0]!.slice(0, 200)
          : String(error);
      result.notes.push({
        source: MYSQL_SOURCE,
        path,
        line: statement.startLine,
        message: `could not analyse: node-sql-parser cannot parse this statement, so the MySQL rules did not check it (${message})`,
      });
      continue;
    }
    for (const node of Array.isArray(ast) ? ast : [ast]) {
      const parsed = readStatement(node);
      if (parsed && live) {
        checkStatement(path, statement, parsed, result, state);
        checkForeignKeys(path, statement, node, state, result);
        checkSwap(path, statement, parsed, renamedAway, result);
      }
      recordColumns(node, state);
    }
  }
  return result;
}

/** Foreign keys of a CREATE TABLE or ALTER TABLE … ADD, in parser order. */
function foreignKeysOf(node: unknown): ForeignKey[] {
  const create = z
    .looseObject({
      type: z.literal('create'),
      keyword: z.literal('table'),
      create_definitions: z.array(z.unknown()).nullish(),
    })
    .safeParse(node);
  if (create.success)
    return (create.data.create_definitions ?? [])
      .map(foreignKeyOf)
      .filter((k) => k !== undefined);
  const alter = z
    .looseObject({
      type: z.literal('alter'),
      expr: z.array(
        z.looseObject({
          action: z.string().optional(),
          create_definitions: z.unknown(),
        }),
      ),
    })
    .safeParse(node);
  if (!alter.success) return [];
  return alter.data.expr
    .filter((e) => e.action === 'add')
    .map((e) => foreignKeyOf(e.create_definitions))
    .filter((k) => k !== undefined);
}

/**
 * A foreign key whose referenced columns lead no index of the referenced table makes MySQL reject
 * the statement ("Missing index for constraint", error 1822). Only reported when this or an earlier
 * migration of the folder defines the referenced table, so its indexes are known.
 */
function checkForeignKeys(
  path: string,
  statement: SqlStatement,
  node: unknown,
  state: MysqlState,
  result: FileResult,
): void {
  for (const key of foreignKeysOf(node)) {
    if (parentHasIndex(state, key) !== false) continue;
    const lines: LineRange = {
      start: statement.startLine,
      end: statement.endLine,
      side: 'RIGHT',
    };
    result.findings.push(
      makeFinding({
        ruleId: 'schema/mysql-foreign-key-without-index',
        path,
        lines,
        ctx: { table: key.parent, column: key.parentColumns.join(', ') },
      }),
    );
  }
}

/** Renames of one statement as [from, to] pairs. */
function renamesOf(node: Statement): Array<[string, string]> {
  if (node.type === 'rename')
    return node.table.flatMap(([from, to]) =>
      from && to ? [[from.table, to.table] as [string, string]] : [],
    );
  if (node.type === 'alter')
    return node.expr.flatMap((e) =>
      e.action === 'rename' && e.resource === 'table' && e.table
        ? [[node.table[0]!.table, e.table] as [string, string]]
        : [],
    );
  return [];
}

/**
 * A table swapped in two statements (`RENAME TABLE a TO a_old; RENAME TABLE b TO a;`) leaves `a`
 * missing in between; one RENAME TABLE with both pairs is atomic.
 */
function checkSwap(
  path: string,
  statement: SqlStatement,
  node: Statement,
  renamedAway: Set<string>,
  result: FileResult,
): void {
  const pairs = renamesOf(node);
  for (const [, to] of pairs) {
    const name = to.toLowerCase();
    if (
      renamedAway.has(name) &&
      !pairs.some(([from]) => from.toLowerCase() === name)
    ) {
      const lines: LineRange = {
        start: statement.startLine,
        end: statement.endLine,
        side: 'RIGHT',
      };
      result.findings.push(
        makeFinding({
          ruleId: 'schema/mysql-non-atomic-table-swap',
          path,
          lines,
          ctx: { table: to, newName: to },
        }),
      );
    }
  }
  for (const [from] of pairs) renamedAway.add(from.toLowerCase());
}

function touches(statement: SqlStatement, added: ReadonlySet<number>): boolean {
  for (let line = statement.startLine; line <= statement.endLine; line++)
    if (added.has(line)) return true;
  return false;
}

function columnName(
  ref: z.infer<typeof ColumnRef> | undefined,
): string | undefined {
  if (!ref) return undefined;
  if (typeof ref.column === 'string') return ref.column;
  // Some versions wrap names: { expr: { value: 'name' } }.
  const wrapped = z
    .object({ expr: z.object({ value: z.string() }) })
    .safeParse(ref.column);
  return wrapped.success ? wrapped.data.expr.value : undefined;
}

function checkStatement(
  path: string,
  statement: SqlStatement,
  node: Statement,
  result: FileResult,
  state: MysqlState,
): void {
  const whole: LineRange = {
    start: statement.startLine,
    end: statement.endLine,
    side: 'RIGHT',
  };
  const at = (ref: z.infer<typeof ColumnRef> | undefined): LineRange => {
    const line = ref?.loc?.start.line;
    return line === undefined
      ? whole
      : {
          start: statement.startLine + line - 1,
          end: statement.startLine + line - 1,
          side: 'RIGHT',
        };
  };

  if (node.type === 'create') {
    const tables = node.table
      ? Array.isArray(node.table)
        ? node.table
        : [node.table]
      : [];
    if (node.keyword === 'table') {
      for (const t of tables) result.createdTables.push(t.table.toLowerCase());
      return;
    }
    if (node.keyword === 'index') {
      const table = tables[0]?.table;
      const online =
        ONLINE_ALGORITHMS.has(
          (node.algorithm_option?.algorithm ?? '').toUpperCase(),
        ) && (node.lock_option?.lock ?? '').toUpperCase() === 'NONE';
      const indexType = String(
        (node as { index_type?: unknown }).index_type ?? '',
      );
      const blocking =
        blockingOptions(
          node.algorithm_option?.algorithm,
          node.lock_option?.lock,
        ) ?? (FULLTEXT.test(indexType) ? FULLTEXT_REASON : undefined);
      if (table && blocking) {
        result.conditional.push({
          table,
          finding: makeFinding({
            ruleId: 'schema/mysql-alter-not-online',
            path,
            lines: whole,
            ctx: { table, newName: blocking },
          }),
        });
      } else if (table && !online) {
        result.conditional.push({
          table,
          finding: makeFinding({
            ruleId: 'schema/mysql-index-without-online-ddl',
            path,
            lines: whole,
            ctx: { table },
          }),
        });
      }
    }
    return;
  }
  if (node.type === 'drop') {
    if (node.keyword !== 'table') return;
    for (const t of node.name ?? []) {
      result.findings.push(
        makeFinding({
          ruleId: 'schema/mysql-drop-table',
          path,
          lines: whole,
          ctx: { table: t.table },
        }),
      );
      result.changes.push({
        kind: 'drop-table',
        table: t.table,
        path,
        line: statement.startLine,
        side: 'RIGHT',
      });
    }
    return;
  }
  if (node.type === 'rename') {
    for (const [from, to] of node.table) {
      if (!from || !to) continue;
      result.findings.push(
        makeFinding({
          ruleId: 'schema/mysql-renaming-table',
          path,
          lines: whole,
          ctx: { table: from.table, newName: to.table },
        }),
      );
      result.changes.push({
        kind: 'rename-table',
        table: from.table,
        newName: to.table,
        path,
        line: statement.startLine,
        side: 'RIGHT',
      });
    }
    return;
  }
  if (node.type === 'alter')
    checkAlter(
      path,
      statement,
      node.table[0]!.table,
      node.expr,
      at,
      result,
      state,
    );
}

/** Why a statement cannot run online when it asks for `ALGORITHM=COPY` / `LOCK=SHARED|EXCLUSIVE`; undefined when it asks for neither. */
function blockingOptions(
  algorithm: string | undefined,
  lock: string | undefined,
): string | undefined {
  const parts = [
    algorithm?.toUpperCase() === 'COPY' ? 'ALGORITHM=COPY' : '',
    ['SHARED', 'EXCLUSIVE'].includes(lock?.toUpperCase() ?? '')
      ? `LOCK=${lock!.toUpperCase()}`
      : '',
  ].filter(Boolean);
  return parts.length > 0 ? `it asks for ${parts.join(', ')}` : undefined;
}

const FULLTEXT = /^(?:fulltext|spatial)/i;
const FULLTEXT_REASON =
  'InnoDB does not allow writes while it builds a FULLTEXT or SPATIAL index';

/**
 * Operations InnoDB cannot run with concurrent writes whatever the statement asks for: FULLTEXT and
 * SPATIAL index builds (LOCK=SHARED at least), and dropping the primary key without adding another
 * in the same statement (ALGORITHM=COPY only).
 */
function offlineOperation(exprs: AlterExpr[]): string | undefined {
  const keyword = (e: AlterExpr): string =>
    String((e as { keyword?: unknown }).keyword ?? '');
  if (
    exprs.some(
      (e) =>
        e.action === 'add' &&
        e.resource === 'index' &&
        FULLTEXT.test(keyword(e)),
    )
  )
    return FULLTEXT_REASON;
  const dropsPrimary = exprs.some(
    (e) => e.action === 'drop' && /^primary key$/i.test(keyword(e)),
  );
  const addsPrimary = exprs.some(
    (e) =>
      e.action === 'add' &&
      /^primary key$/i.test(e.create_definitions?.constraint_type ?? ''),
  );
  if (dropsPrimary && !addsPrimary)
    return 'dropping the primary key without adding another copies the table';
  return undefined;
}

function checkAlter(
  path: string,
  statement: SqlStatement,
  table: string,
  exprs: AlterExpr[],
  at: (ref: z.infer<typeof ColumnRef> | undefined) => LineRange,
  result: FileResult,
  state: MysqlState,
): void {
  const algorithm = exprs
    .find((e) => e.resource === 'algorithm')
    ?.algorithm?.toUpperCase();
  const lock = exprs.find((e) => e.resource === 'lock')?.lock?.toUpperCase();
  const blocking = blockingOptions(algorithm, lock) ?? offlineOperation(exprs);
  // A statement that cannot run online is reported once, as such, instead of per action.
  const online =
    (algorithm !== undefined &&
      ONLINE_ALGORITHMS.has(algorithm) &&
      lock === 'NONE') ||
    blocking !== undefined;
  const whole: LineRange = {
    start: statement.startLine,
    end: statement.endLine,
    side: 'RIGHT',
  };
  const ifExisting = (
    ruleId: string,
    lines: LineRange,
    column?: string,
  ): void => {
    result.conditional.push({
      table,
      finding: makeFinding({
        ruleId,
        path,
        lines,
        ctx: column ? { table, column } : { table },
      }),
    });
  };
  if (blocking)
    result.conditional.push({
      table,
      finding: makeFinding({
        ruleId: 'schema/mysql-alter-not-online',
        path,
        lines: whole,
        ctx: { table, newName: blocking },
      }),
    });
  const charsetChanged = exprs.some(
    (e) =>
      e.resource === 'default charset' ||
      e.resource === 'character set' ||
      e.resource === 'charset' ||
      e.resource === 'collate',
  );
  if (charsetChanged) ifExisting('schema/mysql-charset-change', whole);
  /** A redefinition InnoDB applies in place (VARCHAR growth within its length-prefix size, ENUM append) is not a copy. */
  const inPlace = (column: string, expr: AlterExpr): boolean => {
    const old = state.columns.get(`${table}.${column}`.toLowerCase());
    const next = columnOf(expr);
    return (
      old !== undefined && next !== undefined && isInPlaceChange(old, next)
    );
  };
  const charsetChange = (column: string, expr: AlterExpr): boolean =>
    changesCharset(
      state.columns.get(`${table}.${column}`.toLowerCase()),
      columnOf(expr),
    );
  for (const expr of exprs) {
    const column = columnName(expr.column);
    const lines = at(expr.column);
    switch (expr.action) {
      case 'add': {
        if (expr.resource === 'column' && column) {
          result.addedColumns.push(`${table}.${column}`.toLowerCase());
          const required =
            expr.nullable?.type === 'not null' &&
            expr.default_val == null &&
            expr.generated == null &&
            expr.auto_increment == null;
          if (required)
            ifExisting('schema/mysql-adding-required-field', lines, column);
          break;
        }
        const constraint = (
          expr.create_definitions?.constraint_type ?? ''
        ).toUpperCase();
        if (constraint === 'FOREIGN KEY')
          ifExisting('schema/mysql-adding-foreign-key', whole);
        else if (constraint === 'CHECK')
          ifExisting('schema/mysql-adding-check-constraint', whole);
        else if (
          (expr.resource === 'index' ||
            constraint.includes('UNIQUE') ||
            constraint.includes('INDEX') ||
            constraint.includes('KEY')) &&
          !online
        ) {
          ifExisting('schema/mysql-index-without-online-ddl', whole);
        }
        break;
      }
      case 'drop':
        if (expr.resource === 'column' && column) {
          result.findings.push(
            makeFinding({
              ruleId: 'schema/mysql-drop-column',
              path,
              lines,
              ctx: { table, column },
            }),
          );
          result.changes.push({
            kind: 'drop-column',
            table,
            column,
            path,
            line: lines.start,
            side: 'RIGHT',
          });
        }
        break;
      case 'modify':
        if (column && charsetChange(column, expr))
          ifExisting('schema/mysql-charset-change', lines, column);
        else if (column && !online && !inPlace(column, expr))
          ifExisting('schema/mysql-changing-column-type', lines, column);
        break;
      case 'change': {
        const old = columnName(expr.old_column);
        const lineOfOld = at(expr.old_column);
        if (old && column && old.toLowerCase() !== column.toLowerCase()) {
          result.findings.push(
            makeFinding({
              ruleId: 'schema/mysql-renaming-column',
              path,
              lines: lineOfOld,
              ctx: { table, column: old, newName: column },
            }),
          );
          result.changes.push({
            kind: 'rename-column',
            table,
            column: old,
            newName: column,
            path,
            line: lineOfOld.start,
            side: 'RIGHT',
          });
          result.addedColumns.push(`${table}.${column}`.toLowerCase());
        } else if (column && charsetChange(column, expr)) {
          ifExisting('schema/mysql-charset-change', lines, column);
        } else if (column && !online && !inPlace(column, expr)) {
          ifExisting('schema/mysql-changing-column-type', lines, column);
        }
        break;
      }
      case 'rename':
        if (expr.resource === 'column') {
          const old = columnName(expr.old_column);
          if (old && column) {
            const oldLines = at(expr.old_column);
            result.findings.push(
              makeFinding({
                ruleId: 'schema/mysql-renaming-column',
                path,
                lines: oldLines,
                ctx: { table, column: old, newName: column },
              }),
            );
            result.changes.push({
              kind: 'rename-column',
              table,
              column: old,
              newName: column,
              path,
              line: oldLines.start,
              side: 'RIGHT',
            });
            result.addedColumns.push(`${table}.${column}`.toLowerCase());
          }
        } else if (expr.resource === 'table' && expr.table) {
          result.findings.push(
            makeFinding({
              ruleId: 'schema/mysql-renaming-table',
              path,
              lines: whole,
              ctx: { table, newName: expr.table },
            }),
          );
          result.changes.push({
            kind: 'rename-table',
            table,
            newName: expr.table,
            path,
            line: statement.startLine,
            side: 'RIGHT',
          });
        }
        break;
      default:
        break;
    }
  }
}
