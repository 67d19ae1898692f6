import sqlParser from 'node-sql-parser/build/mysql.js';
import { z } from 'zod';
import type { ContentReader } from '../../../core/change-set.ts';
import { splitStatements } from '../sql/lexer.ts';

/** A column definition as far as in-place changes depend on it. */
export interface MysqlColumn {
  type: string;
  length?: number;
  /** ENUM/SET members in order. */
  values?: string[];
  charset?: string;
  collate?: string;
  notNull: boolean;
}

/** Column definitions by `table.column` (lower case), from earlier statements and earlier migrations. */
export type MysqlColumns = Map<string, MysqlColumn>;

const Definition = z.looseObject({
  definition: z.looseObject({
    dataType: z.string(),
    length: z.number().optional(),
    expr: z.looseObject({ value: z.array(z.looseObject({ value: z.unknown() })) }).optional(),
  }),
  nullable: z.looseObject({ type: z.string() }).nullish(),
  character_set: z.looseObject({ value: z.looseObject({ value: z.string() }) }).nullish(),
  collate: z.looseObject({ collate: z.looseObject({ name: z.string() }) }).nullish(),
});

/** The definition node-sql-parser gives a column in CREATE TABLE, ADD, MODIFY or CHANGE. */
export function columnOf(node: unknown): MysqlColumn | undefined {
  const parsed = Definition.safeParse(node);
  if (!parsed.success) return undefined;
  const { definition, nullable, character_set, collate } = parsed.data;
  const column: MysqlColumn = { type: definition.dataType.toUpperCase(), notNull: nullable?.type === 'not null' };
  if (definition.length !== undefined) column.length = definition.length;
  if (definition.expr) column.values = definition.expr.value.map((v) => String(v.value));
  if (character_set) column.charset = character_set.value.value.toLowerCase();
  if (collate) column.collate = collate.collate.name.toLowerCase();
  return column;
}

/** Whether a redefinition states a character set or collation other than the column's known one. */
export function changesCharset(old: MysqlColumn | undefined, next: MysqlColumn | undefined): boolean {
  if (!next || (next.charset === undefined && next.collate === undefined)) return false;
  if (!old) return true;
  return (next.charset !== undefined && next.charset !== old.charset) || (next.collate !== undefined && next.collate !== old.collate);
}

const BYTES_PER_CHAR: Record<string, number> = { latin1: 1, ascii: 1, binary: 1, utf8: 3, utf8mb3: 3, utf8mb4: 4, ucs2: 2, utf16: 4, utf32: 4 };

/**
 * Whether InnoDB changes the column in place instead of copying the table: a VARCHAR that grows
 * while its length prefix stays the same size (255 bytes or less, or more, before and after), and
 * an ENUM/SET that only appends members without needing a wider storage size. Anything else copies.
 */
export function isInPlaceChange(old: MysqlColumn, next: MysqlColumn): boolean {
  if (old.notNull !== next.notNull) return false;
  if (old.charset !== undefined && next.charset !== undefined && old.charset !== next.charset) return false;
  const charset = next.charset ?? old.charset;
  if (old.type === 'VARCHAR' && next.type === 'VARCHAR' && old.length !== undefined && next.length !== undefined) {
    const bytes = BYTES_PER_CHAR[charset ?? 'utf8mb4'] ?? 4;
    const prefix = (chars: number): number => (chars * bytes > 255 ? 2 : 1);
    return next.length >= old.length && prefix(next.length) === prefix(old.length);
  }
  if ((old.type === 'ENUM' || old.type === 'SET') && next.type === old.type && old.values && next.values) {
    const appended = next.values.length >= old.values.length && old.values.every((value, i) => next.values![i] === value);
    const width = (n: number): number => (old.type === 'ENUM' ? (n > 255 ? 2 : 1) : Math.ceil(n / 8));
    return appended && width(next.values.length) === width(old.values.length);
  }
  return false;
}

const parser = new sqlParser.Parser();
const Create = z.looseObject({ type: z.literal('create'), keyword: z.literal('table'), table: z.union([z.looseObject({ table: z.string() }), z.array(z.looseObject({ table: z.string() }))]), create_definitions: z.array(z.unknown()).nullish() });
const Alter = z.looseObject({ type: z.literal('alter'), table: z.array(z.looseObject({ table: z.string() })).min(1), expr: z.array(z.looseObject({ action: z.string().optional(), resource: z.string().optional(), column: z.unknown() })) });
const ColumnName = z.looseObject({ column: z.looseObject({ column: z.string() }) });

/** Applies one parsed statement's column definitions to `columns` (CREATE TABLE, ADD/MODIFY/CHANGE/DROP COLUMN). */
export function recordColumns(node: unknown, columns: MysqlColumns): void {
  const create = Create.safeParse(node);
  if (create.success) {
    const table = (Array.isArray(create.data.table) ? create.data.table[0] : create.data.table)?.table;
    for (const definition of create.data.create_definitions ?? []) {
      const name = ColumnName.safeParse(definition);
      const column = columnOf(definition);
      if (table && name.success && column) columns.set(`${table}.${name.data.column.column}`.toLowerCase(), column);
    }
    return;
  }
  const alter = Alter.safeParse(node);
  if (!alter.success) return;
  const table = alter.data.table[0]!.table;
  for (const expr of alter.data.expr) {
    const name = ColumnName.safeParse(expr);
    if (!name.success || expr.resource !== 'column') continue;
    const key = `${table}.${name.data.column.column}`.toLowerCase();
    if (expr.action === 'drop') columns.delete(key);
    else {
      const column = columnOf(expr);
      if (column) columns.set(key, column);
    }
  }
}

const MAX_EARLIER_FILES = 500;

/**
 * Column definitions from the migrations that run before `path`: the `.sql` files of its folder
 * at head whose names sort before it, replayed in order. Empty when the tree cannot be listed.
 */
export async function earlierMysqlColumns(path: string, contents: ContentReader, signal: AbortSignal): Promise<MysqlColumns> {
  const columns: MysqlColumns = new Map();
  if (!contents.listHeadPaths) return columns;
  const dir = path.slice(0, path.lastIndexOf('/') + 1);
  const earlier = (await contents.listHeadPaths(signal))
    .filter((p) => p.startsWith(dir) && !p.slice(dir.length).includes('/') && p.toLowerCase().endsWith('.sql') && p < path)
    .sort()
    .slice(-MAX_EARLIER_FILES);
  for (const file of earlier) {
    const text = await contents.read('head', file, signal);
    if (text === undefined) continue;
    for (const statement of splitStatements(text, 'mysql')) {
      let ast: unknown;
      try {
        ast = parser.astify(statement.text, { database: 'MySQL' });
      } catch {
        continue;
      }
      for (const node of Array.isArray(ast) ? ast : [ast]) recordColumns(node, columns);
    }
  }
  return columns;
}
