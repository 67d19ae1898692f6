import type { RuleContext } from '../catalog.ts';
import {
  identifierName,
  isWord,
  readQualifiedName,
  splitTopLevel,
  type SqlDialect,
  type SqlStatement,
  type SqlToken,
} from './lexer.ts';

export type AlterActionKind =
  | 'add-column'
  | 'add-constraint'
  | 'drop-column'
  | 'drop-other'
  | 'alter-column'
  | 'rename-column'
  | 'rename-table'
  | 'other';

export interface AlterAction {
  kind: AlterActionKind;
  column?: string;
  newName?: string;
  tokens: SqlToken[];
}

export interface AlterTable {
  table: string;
  actions: AlterAction[];
}

const CONSTRAINT_WORDS = [
  'CONSTRAINT',
  'PRIMARY',
  'UNIQUE',
  'FOREIGN',
  'CHECK',
  'EXCLUDE',
  'INDEX',
  'KEY',
  'FULLTEXT',
  'SPATIAL',
];

/** Parses `ALTER TABLE [IF EXISTS] [ONLY] name [*] action, …`; undefined for any other statement. */
export function parseAlterTable(
  statement: SqlStatement,
  dialect: SqlDialect = 'postgres',
): AlterTable | undefined {
  const t = statement.tokens;
  if (!isWord(t[0], 'ALTER')) return undefined;
  let k = 1;
  while (isWord(t[k], 'ONLINE', 'OFFLINE', 'IGNORE')) k++;
  if (!isWord(t[k], 'TABLE')) return undefined;
  k++;
  if (isWord(t[k], 'IF') && isWord(t[k + 1], 'EXISTS')) k += 2;
  if (isWord(t[k], 'ONLY')) k++;
  const name = readQualifiedName(t, k, dialect);
  if (!name) return undefined;
  k = name.next;
  if (t[k]?.text === '*') k++;
  return {
    table: name.name,
    actions: splitTopLevel(t, k).map((tokens) => alterAction(tokens, dialect)),
  };
}

function alterAction(a: SqlToken[], dialect: SqlDialect): AlterAction {
  const w = (k: number, ...words: string[]): boolean => isWord(a[k], ...words);
  const nameAt = (k: number): string | undefined =>
    identifierName(a[k], dialect);
  if (w(0, 'ADD')) {
    let k = 1;
    if (w(k, 'COLUMN')) k++;
    else if (w(k, ...CONSTRAINT_WORDS))
      return { kind: 'add-constraint', tokens: a };
    if (w(k, 'IF') && w(k + 1, 'NOT') && w(k + 2, 'EXISTS')) k += 3;
    return { kind: 'add-column', column: nameAt(k), tokens: a };
  }
  if (w(0, 'DROP')) {
    let k = 1;
    if (w(k, 'COLUMN')) k++;
    else if (w(k, ...CONSTRAINT_WORDS, 'DEFAULT'))
      return { kind: 'drop-other', tokens: a };
    if (w(k, 'IF') && w(k + 1, 'EXISTS')) k += 2;
    return { kind: 'drop-column', column: nameAt(k), tokens: a };
  }
  if (w(0, 'ALTER', 'MODIFY')) {
    const k = w(1, 'COLUMN') ? 2 : 1;
    return { kind: 'alter-column', column: nameAt(k), tokens: a };
  }
  if (w(0, 'CHANGE')) {
    const k = w(1, 'COLUMN') ? 2 : 1;
    return {
      kind: 'alter-column',
      column: nameAt(k),
      newName: nameAt(k + 1),
      tokens: a,
    };
  }
  if (w(0, 'RENAME')) {
    if (w(1, 'TO', 'AS'))
      return {
        kind: 'rename-table',
        newName: readQualifiedName(a, 2, dialect)?.name,
        tokens: a,
      };
    if (w(1, 'CONSTRAINT', 'INDEX', 'KEY')) return { kind: 'other', tokens: a };
    const k = w(1, 'COLUMN') ? 2 : 1;
    if (w(k + 1, 'TO'))
      return {
        kind: 'rename-column',
        column: nameAt(k),
        newName: nameAt(k + 2),
        tokens: a,
      };
    // MySQL's `RENAME new_name` without TO renames the table.
    return { kind: 'rename-table', newName: nameAt(k), tokens: a };
  }
  return { kind: 'other', tokens: a };
}

/** `DROP TABLE [IF EXISTS] a, b` → the dropped table names. */
export function droppedTables(
  statement: SqlStatement,
  dialect: SqlDialect = 'postgres',
): string[] {
  const t = statement.tokens;
  let k = 1;
  if (isWord(t[k], 'TEMPORARY')) k++;
  if (!isWord(t[0], 'DROP') || !isWord(t[k], 'TABLE')) return [];
  k++;
  if (isWord(t[k], 'IF') && isWord(t[k + 1], 'EXISTS')) k += 2;
  return splitTopLevel(t, k)
    .map((part) => readQualifiedName(part, 0, dialect)?.name)
    .filter((name): name is string => name !== undefined);
}

/** `CREATE [UNLOGGED|TEMP…] TABLE [IF NOT EXISTS] name` → the created table name. */
export function createdTable(
  statement: SqlStatement,
  dialect: SqlDialect = 'postgres',
): string | undefined {
  const t = statement.tokens;
  if (!isWord(t[0], 'CREATE')) return undefined;
  let k = 1;
  while (
    isWord(
      t[k],
      'OR',
      'REPLACE',
      'UNLOGGED',
      'TEMP',
      'TEMPORARY',
      'GLOBAL',
      'LOCAL',
    )
  )
    k++;
  if (!isWord(t[k], 'TABLE')) return undefined;
  k++;
  if (
    isWord(t[k], 'IF') &&
    isWord(t[k + 1], 'NOT') &&
    isWord(t[k + 2], 'EXISTS')
  )
    k += 3;
  return readQualifiedName(t, k, dialect)?.name;
}

/** `CREATE [UNIQUE] INDEX … ON [ONLY] table` → the table. */
export function indexTable(
  statement: SqlStatement,
  dialect: SqlDialect = 'postgres',
): string | undefined {
  const t = statement.tokens;
  if (!isWord(t[0], 'CREATE')) return undefined;
  const at = isWord(t[1], 'UNIQUE') ? 2 : 1;
  if (!isWord(t[at], 'INDEX')) return undefined;
  const on = t.findIndex((tok, k) => k > at && isWord(tok, 'ON'));
  if (on === -1) return undefined;
  return readQualifiedName(
    t,
    isWord(t[on + 1], 'ONLY') ? on + 2 : on + 1,
    dialect,
  )?.name;
}

/** Table and column names around an offset inside a statement, for finding titles. */
export function contextAt(
  statement: SqlStatement,
  offset: number,
): RuleContext {
  const alter = parseAlterTable(statement);
  if (alter) {
    const action =
      alter.actions.find(
        (a) =>
          a.tokens.length > 0 &&
          a.tokens[0]!.start <= offset &&
          lastEnd(a.tokens) >= offset,
      ) ?? alter.actions[0];
    const ctx: RuleContext = { table: alter.table };
    if (action?.column) ctx.column = action.column;
    if (action?.newName) ctx.newName = action.newName;
    return ctx;
  }
  const dropped = droppedTables(statement);
  if (dropped.length > 0) return { table: dropped[0] };
  const index = indexTable(statement);
  if (index) return { table: index };
  const created = createdTable(statement);
  if (created) {
    const open = statement.tokens.findIndex((tok) => tok.text === '(');
    const inner = open === -1 ? [] : statement.tokens.slice(open + 1);
    const part = splitTopLevel(inner).find(
      (p) => p.length > 0 && p[0]!.start <= offset && lastEnd(p) >= offset,
    );
    const first = part?.[0];
    const column =
      first && !isWord(first, ...CONSTRAINT_WORDS, 'LIKE')
        ? identifierName(first)
        : undefined;
    return column ? { table: created, column } : { table: created };
  }
  const t = statement.tokens;
  if (isWord(t[0], 'TRUNCATE')) {
    const k = isWord(t[1], 'TABLE') ? 2 : 1;
    const name = readQualifiedName(t, isWord(t[k], 'ONLY') ? k + 1 : k)?.name;
    return name ? { table: name } : {};
  }
  return {};
}

function lastEnd(tokens: SqlToken[]): number {
  const last = tokens[tokens.length - 1]!;
  return last.start + last.text.length;
}
