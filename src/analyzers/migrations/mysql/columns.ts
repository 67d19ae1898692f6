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

/** What earlier statements and earlier migrations defined, names in lower case. */
export interface MysqlState {
  /** Column definitions by `table.column`. */
  columns: Map<string, MysqlColumn>;
  /** Each table's indexes (primary key, unique keys, plain keys, the ones InnoDB adds for foreign keys) as column lists. */
  indexes: Map<string, string[][]>;
  tables: Set<string>;
}

export function emptyMysqlState(): MysqlState {
  return { columns: new Map(), indexes: new Map(), tables: new Set() };
}

const Definition = z.looseObject({
  definition: z.looseObject({
    dataType: z.string(),
    length: z.number().optional(),
    expr: z
      .looseObject({ value: z.array(z.looseObject({ value: z.unknown() })) })
      .optional(),
  }),
  nullable: z.looseObject({ type: z.string() }).nullish(),
  character_set: z
    .looseObject({ value: z.looseObject({ value: z.string() }) })
    .nullish(),
  collate: z
    .looseObject({ collate: z.looseObject({ name: z.string() }) })
    .nullish(),
});

/** The definition node-sql-parser gives a column in CREATE TABLE, ADD, MODIFY or CHANGE. */
export function columnOf(node: unknown): MysqlColumn | undefined {
  const parsed = Definition.safeParse(node);
  if (!parsed.success) return undefined;
  const { definition, nullable, character_set, collate } = parsed.data;
  const column: MysqlColumn = {
    type: definition.dataType.toUpperCase(),
    notNull: nullable?.type === 'not null',
  };
  if (definition.length !== undefined) column.length = definition.length;
  if (definition.expr)
    column.values = definition.expr.value.map((v) => String(v.value));
  if (character_set) column.charset = character_set.value.value.toLowerCase();
  if (collate) column.collate = collate.collate.name.toLowerCase();
  return column;
}

/** Whether a redefinition states a character set or collation other than the column's known one. */
export function changesCharset(
  old: MysqlColumn | undefined,
  next: MysqlColumn | undefined,
): boolean {
  if (!next || (next.charset === undefined && next.collate === undefined))
    return false;
  if (!old) return true;
  return (
    (next.charset !== undefined && next.charset !== old.charset) ||
    (next.collate !== undefined && next.collate !== old.collate)
  );
}

const BYTES_PER_CHAR: Record<string, number> = {
  latin1: 1,
  ascii: 1,
  binary: 1,
  utf8: 3,
  utf8mb3: 3,
  utf8mb4: 4,
  ucs2: 2,
  utf16: 4,
  utf32: 4,
};

/**
 * Whether InnoDB changes the column in place instead of copying the table: a VARCHAR that grows
 * while its length prefix stays the same size (255 bytes or less, or more, before and after), and
 * an ENUM/SET that only appends members without needing a wider storage size. Anything else copies.
 */
export function isInPlaceChange(old: MysqlColumn, next: MysqlColumn): boolean {
  if (old.notNull !== next.notNull) return false;
  if (
    old.charset !== undefined &&
    next.charset !== undefined &&
    old.charset !== next.charset
  )
    return false;
  const charset = next.charset ?? old.charset;
  if (
    old.type === 'VARCHAR' &&
    next.type === 'VARCHAR' &&
    old.length !== undefined &&
    next.length !== undefined
  ) {
    const bytes = BYTES_PER_CHAR[charset ?? 'utf8mb4'] ?? 4;
    const prefix = (chars: number): number => (chars * bytes > 255 ? 2 : 1);
    return (
      next.length >= old.length && prefix(next.length) === prefix(old.length)
    );
  }
  if (
    (old.type === 'ENUM' || old.type === 'SET') &&
    next.type === old.type &&
    old.values &&
    next.values
  ) {
    const appended =
      next.values.length >= old.values.length &&
      old.values.every((value, i) => next.values![i] === value);
    const width = (n: number): number =>
      old.type === 'ENUM' ? (n > 255 ? 2 : 1) : Math.ceil(n / 8);
    return appended && width(next.values.length) === width(old.values.length);
  }
  return false;
}

const parser = new sqlParser.Parser();
const TableName = z.looseObject({ table: z.string() });
const Create = z.looseObject({
  type: z.literal('create'),
  keyword: z.literal('table'),
  table: z.union([TableName, z.array(TableName)]),
  create_definitions: z.array(z.unknown()).nullish(),
});
const CreateIndex = z.looseObject({
  type: z.literal('create'),
  keyword: z.literal('index'),
  table: z.union([TableName, z.array(TableName)]),
  index_columns: z.array(z.looseObject({ column: z.unknown() })),
});
const Alter = z.looseObject({
  type: z.literal('alter'),
  table: z.array(TableName).min(1),
  expr: z.array(
    z.looseObject({
      action: z.string().optional(),
      resource: z.string().optional(),
      column: z.unknown(),
      create_definitions: z.unknown(),
    }),
  ),
});
const ColumnName = z.looseObject({
  column: z.looseObject({ column: z.string() }),
});
const ColumnList = z.array(z.looseObject({ column: z.unknown() }));
/** An index or key definition: `definition` lists its columns; `constraint_type` names unique/primary/foreign keys. */
const KeyDefinition = z.looseObject({
  resource: z.string(),
  constraint_type: z.string().nullish(),
  definition: ColumnList,
  reference_definition: z
    .looseObject({ definition: ColumnList, table: z.array(TableName).min(1) })
    .nullish(),
});

const names = (list: z.infer<typeof ColumnList>): string[] =>
  list
    .map((c) => (typeof c.column === 'string' ? c.column.toLowerCase() : ''))
    .filter(Boolean);

/** A foreign key's referencing columns and the referenced table and columns. */
export interface ForeignKey {
  columns: string[];
  parent: string;
  parentColumns: string[];
}

/** The foreign key a CREATE TABLE entry or ALTER … ADD defines, if it is one. */
export function foreignKeyOf(definition: unknown): ForeignKey | undefined {
  const key = KeyDefinition.safeParse(definition);
  if (
    !key.success ||
    key.data.constraint_type?.toUpperCase() !== 'FOREIGN KEY' ||
    !key.data.reference_definition
  )
    return undefined;
  const reference = key.data.reference_definition;
  return {
    columns: names(key.data.definition),
    parent: reference.table[0]!.table.toLowerCase(),
    parentColumns: names(reference.definition),
  };
}

/**
 * Whether MySQL can add a foreign key to `parent(columns)`: InnoDB requires an index on the
 * referenced table whose leading columns are the referenced ones. Undefined when the parent table
 * is not known from this or earlier migrations.
 */
export function parentHasIndex(
  state: MysqlState,
  key: ForeignKey,
): boolean | undefined {
  if (!state.tables.has(key.parent)) return undefined;
  return (state.indexes.get(key.parent) ?? []).some((index) =>
    key.parentColumns.every((column, i) => index[i] === column),
  );
}

function addIndex(state: MysqlState, table: string, columns: string[]): void {
  if (columns.length === 0) return;
  const list = state.indexes.get(table) ?? [];
  list.push(columns);
  state.indexes.set(table, list);
}

/** Indexes a CREATE TABLE entry or an ALTER … ADD defines (InnoDB indexes a foreign key's own columns too). */
function recordKey(
  state: MysqlState,
  table: string,
  definition: unknown,
): void {
  const key = KeyDefinition.safeParse(definition);
  if (
    !key.success ||
    (key.data.resource !== 'index' && key.data.resource !== 'constraint')
  )
    return;
  const type = key.data.constraint_type?.toUpperCase() ?? '';
  if (type === 'CHECK') return;
  addIndex(state, table, names(key.data.definition));
}

const first = (
  table: z.infer<typeof TableName> | Array<z.infer<typeof TableName>>,
): string | undefined =>
  (Array.isArray(table) ? table[0] : table)?.table.toLowerCase();

/** Applies one parsed statement to `state`: tables, column definitions and indexes (CREATE TABLE/INDEX, ALTER TABLE). */
export function recordColumns(node: unknown, state: MysqlState): void {
  const create = Create.safeParse(node);
  if (create.success) {
    const table = first(create.data.table);
    if (!table) return;
    state.tables.add(table);
    for (const definition of create.data.create_definitions ?? []) {
      const name = ColumnName.safeParse(definition);
      const column = columnOf(definition);
      if (name.success && column) {
        const columnName = name.data.column.column.toLowerCase();
        state.columns.set(`${table}.${columnName}`, column);
        const inline = z
          .looseObject({
            primary_key: z.string().nullish(),
            unique: z.string().nullish(),
            unique_or_primary: z.string().nullish(),
          })
          .safeParse(definition);
        if (
          inline.success &&
          (inline.data.primary_key ||
            inline.data.unique ||
            inline.data.unique_or_primary)
        )
          addIndex(state, table, [columnName]);
      } else recordKey(state, table, definition);
    }
    return;
  }
  const index = CreateIndex.safeParse(node);
  if (index.success) {
    const table = first(index.data.table);
    if (table) addIndex(state, table, names(index.data.index_columns));
    return;
  }
  const alter = Alter.safeParse(node);
  if (!alter.success) return;
  const table = alter.data.table[0]!.table.toLowerCase();
  for (const expr of alter.data.expr) {
    if (expr.action === 'add' && expr.resource !== 'column') {
      recordKey(state, table, expr.create_definitions ?? expr);
      continue;
    }
    const name = ColumnName.safeParse(expr);
    if (!name.success || expr.resource !== 'column') continue;
    const key = `${table}.${name.data.column.column}`.toLowerCase();
    if (expr.action === 'drop') state.columns.delete(key);
    else {
      const column = columnOf(expr);
      if (column) state.columns.set(key, column);
    }
  }
}

const MAX_EARLIER_FILES = 500;

/**
 * Tables, columns and indexes from the migrations that run before `path`: the `.sql` files of its folder
 * at head whose names sort before it, replayed in order. Empty when the tree cannot be listed.
 */
export async function earlierMysqlState(
  path: string,
  contents: ContentReader,
  signal: AbortSignal,
): Promise<MysqlState> {
  const columns = emptyMysqlState();
  if (!contents.listHeadPaths) return columns;
  const dir = path.slice(0, path.lastIndexOf('/') + 1);
  const earlier = (await contents.listHeadPaths(signal))
    .filter(
      (p) =>
        p.startsWith(dir) &&
        !p.slice(dir.length).includes('/') &&
        p.toLowerCase().endsWith('.sql') &&
        p < path,
    )
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
      for (const node of Array.isArray(ast) ? ast : [ast])
        recordColumns(node, columns);
    }
  }
  return columns;
}
