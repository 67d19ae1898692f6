import { createRequire } from 'node:module';
import type sqlParser from 'node-sql-parser/build/mysql.js';
import { z } from 'zod';
import type { LineRange } from '../../../core/finding.ts';
import { makeFinding } from '../findings.ts';
import { splitStatements, type SqlStatement } from '../sql/lexer.ts';
import { emptyResult, type FileResult } from '../types.ts';

export const MYSQL_SOURCE = 'mysql-migrations';

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
  create_definitions: z.looseObject({ constraint_type: z.string().nullish() }).nullish(),
  table: z.string().optional(),
  algorithm: z.string().optional(),
  lock: z.string().optional(),
});
const AlterStatement = z.looseObject({ type: z.literal('alter'), table: z.array(TableRef).min(1), expr: z.array(AlterExpr) });
const CreateStatement = z.looseObject({
  type: z.literal('create'),
  keyword: z.string(),
  table: z.union([TableRef, z.array(TableRef)]).nullish(),
  algorithm_option: z.looseObject({ algorithm: z.string() }).nullish(),
  lock_option: z.looseObject({ lock: z.string() }).nullish(),
});
const DropStatement = z.looseObject({ type: z.literal('drop'), keyword: z.string(), name: z.array(TableRef).optional() });
const RenameStatement = z.looseObject({ type: z.literal('rename'), table: z.array(z.array(TableRef)) });
type Statement =
  | z.infer<typeof AlterStatement>
  | z.infer<typeof CreateStatement>
  | z.infer<typeof DropStatement>
  | z.infer<typeof RenameStatement>;

/** The statement kinds the rules read; anything else (or an unexpected shape) is skipped. */
function readStatement(node: unknown): Statement | undefined {
  const type = z.looseObject({ type: z.string() }).safeParse(node);
  if (!type.success) return undefined;
  const schema = { alter: AlterStatement, create: CreateStatement, drop: DropStatement, rename: RenameStatement }[type.data.type];
  const parsed = schema?.safeParse(node);
  return parsed?.success ? (parsed.data as Statement) : undefined;
}
type AlterExpr = z.infer<typeof AlterExpr>;

let parser: InstanceType<typeof sqlParser.Parser> | undefined;
/** node-sql-parser loads on the first MySQL statement (most reviews have none): it takes a tenth of a second. */
const mysqlParser = () => (parser ??= new (createRequire(import.meta.url)('node-sql-parser/build/mysql.js') as typeof sqlParser).Parser());

const ONLINE_ALGORITHMS = new Set(['INPLACE', 'INSTANT']);

/**
 * Checks the added statements of a MySQL migration with node-sql-parser, one statement at a time
 * so one unparseable statement does not hide the rest. Rules about existing tables report
 * conditionally: the analyzer drops them when the change creates the table.
 */
export function analyzeMysql(path: string, sql: string, added: ReadonlySet<number>, firstLine = 1): FileResult {
  const result = emptyResult();
  for (const split of splitStatements(sql, 'mysql')) {
    // SQL from a string literal starts at `firstLine` of its file.
    const statement = { ...split, startLine: split.startLine + firstLine - 1, endLine: split.endLine + firstLine - 1 };
    if (!touches(statement, added)) continue;
    let ast: unknown;
    try {
      ast = mysqlParser().astify(statement.text, { database: 'MySQL', parseOptions: { includeLocations: true } });
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : String(error);
      result.notes.push({ source: MYSQL_SOURCE, path, line: statement.startLine, message: `could not analyse: ${message}` });
      continue;
    }
    for (const node of Array.isArray(ast) ? ast : [ast]) {
      const parsed = readStatement(node);
      if (parsed) checkStatement(path, statement, parsed, result);
    }
  }
  return result;
}

function touches(statement: SqlStatement, added: ReadonlySet<number>): boolean {
  for (let line = statement.startLine; line <= statement.endLine; line++) if (added.has(line)) return true;
  return false;
}

function columnName(ref: z.infer<typeof ColumnRef> | undefined): string | undefined {
  if (!ref) return undefined;
  if (typeof ref.column === 'string') return ref.column;
  // Some versions wrap names: { expr: { value: 'name' } }.
  const wrapped = z.object({ expr: z.object({ value: z.string() }) }).safeParse(ref.column);
  return wrapped.success ? wrapped.data.expr.value : undefined;
}

function checkStatement(path: string, statement: SqlStatement, node: Statement, result: FileResult): void {
  const whole: LineRange = { start: statement.startLine, end: statement.endLine, side: 'RIGHT' };
  const at = (ref: z.infer<typeof ColumnRef> | undefined): LineRange => {
    const line = ref?.loc?.start.line;
    return line === undefined ? whole : { start: statement.startLine + line - 1, end: statement.startLine + line - 1, side: 'RIGHT' };
  };

  if (node.type === 'create') {
    const tables = node.table ? (Array.isArray(node.table) ? node.table : [node.table]) : [];
    if (node.keyword === 'table') {
      for (const t of tables) result.createdTables.push(t.table.toLowerCase());
      return;
    }
    if (node.keyword === 'index') {
      const table = tables[0]?.table;
      const online = ONLINE_ALGORITHMS.has((node.algorithm_option?.algorithm ?? '').toUpperCase()) && (node.lock_option?.lock ?? '').toUpperCase() === 'NONE';
      if (table && !online) {
        result.conditional.push({ table, finding: makeFinding({ ruleId: 'schema/mysql-index-without-online-ddl', path, lines: whole, ctx: { table } }) });
      }
    }
    return;
  }
  if (node.type === 'drop') {
    if (node.keyword !== 'table') return;
    for (const t of node.name ?? []) {
      result.findings.push(makeFinding({ ruleId: 'schema/mysql-drop-table', path, lines: whole, ctx: { table: t.table } }));
      result.changes.push({ kind: 'drop-table', table: t.table, path, line: statement.startLine, side: 'RIGHT' });
    }
    return;
  }
  if (node.type === 'rename') {
    for (const [from, to] of node.table) {
      if (!from || !to) continue;
      result.findings.push(makeFinding({ ruleId: 'schema/mysql-renaming-table', path, lines: whole, ctx: { table: from.table, newName: to.table } }));
      result.changes.push({ kind: 'rename-table', table: from.table, newName: to.table, path, line: statement.startLine, side: 'RIGHT' });
    }
    return;
  }
  if (node.type === 'alter') checkAlter(path, statement, node.table[0]!.table, node.expr, at, result);
}

function checkAlter(
  path: string,
  statement: SqlStatement,
  table: string,
  exprs: AlterExpr[],
  at: (ref: z.infer<typeof ColumnRef> | undefined) => LineRange,
  result: FileResult,
): void {
  const algorithm = exprs.find((e) => e.resource === 'algorithm')?.algorithm?.toUpperCase();
  const lock = exprs.find((e) => e.resource === 'lock')?.lock?.toUpperCase();
  const online = algorithm !== undefined && ONLINE_ALGORITHMS.has(algorithm) && lock === 'NONE';
  const whole: LineRange = { start: statement.startLine, end: statement.endLine, side: 'RIGHT' };
  const ifExisting = (ruleId: string, lines: LineRange, column?: string): void => {
    result.conditional.push({ table, finding: makeFinding({ ruleId, path, lines, ctx: column ? { table, column } : { table } }) });
  };
  for (const expr of exprs) {
    const column = columnName(expr.column);
    const lines = at(expr.column);
    switch (expr.action) {
      case 'add': {
        if (expr.resource === 'column' && column) {
          result.addedColumns.push(`${table}.${column}`.toLowerCase());
          const required = expr.nullable?.type === 'not null' && expr.default_val == null && expr.generated == null && expr.auto_increment == null;
          if (required) ifExisting('schema/mysql-adding-required-field', lines, column);
          break;
        }
        const constraint = (expr.create_definitions?.constraint_type ?? '').toUpperCase();
        if (constraint === 'FOREIGN KEY') ifExisting('schema/mysql-adding-foreign-key', whole);
        else if ((expr.resource === 'index' || constraint.includes('UNIQUE') || constraint.includes('INDEX') || constraint.includes('KEY')) && !online) {
          ifExisting('schema/mysql-index-without-online-ddl', whole);
        }
        break;
      }
      case 'drop':
        if (expr.resource === 'column' && column) {
          result.findings.push(makeFinding({ ruleId: 'schema/mysql-drop-column', path, lines, ctx: { table, column } }));
          result.changes.push({ kind: 'drop-column', table, column, path, line: lines.start, side: 'RIGHT' });
        }
        break;
      case 'modify':
        if (column && !online) ifExisting('schema/mysql-changing-column-type', lines, column);
        break;
      case 'change': {
        const old = columnName(expr.old_column);
        const lineOfOld = at(expr.old_column);
        if (old && column && old.toLowerCase() !== column.toLowerCase()) {
          result.findings.push(makeFinding({ ruleId: 'schema/mysql-renaming-column', path, lines: lineOfOld, ctx: { table, column: old, newName: column } }));
          result.changes.push({ kind: 'rename-column', table, column: old, newName: column, path, line: lineOfOld.start, side: 'RIGHT' });
          result.addedColumns.push(`${table}.${column}`.toLowerCase());
        } else if (column && !online) {
          ifExisting('schema/mysql-changing-column-type', lines, column);
        }
        break;
      }
      case 'rename':
        if (expr.resource === 'column') {
          const old = columnName(expr.old_column);
          if (old && column) {
            const oldLines = at(expr.old_column);
            result.findings.push(makeFinding({ ruleId: 'schema/mysql-renaming-column', path, lines: oldLines, ctx: { table, column: old, newName: column } }));
            result.changes.push({ kind: 'rename-column', table, column: old, newName: column, path, line: oldLines.start, side: 'RIGHT' });
            result.addedColumns.push(`${table}.${column}`.toLowerCase());
          }
        } else if (expr.resource === 'table' && expr.table) {
          result.findings.push(makeFinding({ ruleId: 'schema/mysql-renaming-table', path, lines: whole, ctx: { table, newName: expr.table } }));
          result.changes.push({ kind: 'rename-table', table, newName: expr.table, path, line: statement.startLine, side: 'RIGHT' });
        }
        break;
      default:
        break;
    }
  }
}
