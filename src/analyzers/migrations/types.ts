import type { CoverageNote } from '../../core/coverage.ts';
import type { DraftFinding, Side } from '../../core/finding.ts';
import type { SqlStatement } from './sql/lexer.ts';

/** A drop or rename that code still using the old name would trip over. */
export interface SchemaChange {
  kind: 'drop-column' | 'rename-column' | 'drop-table' | 'rename-table';
  /** Database table name, unqualified. */
  table: string;
  column?: string;
  newName?: string;
  /** Other names code uses for the table or column: ORM model and field names. */
  tableAliases?: string[];
  columnAliases?: string[];
  path: string;
  line: number;
  side: Side;
}

/** Postgres settings squawk lints a unit with. */
export interface SqlSettings {
  pgVersion: number;
  assumeInTransaction: boolean;
}

/** A piece of Postgres SQL to lint: a whole migration file or a string literal inside an ORM migration. */
export interface SqlUnit {
  /** Repository path of the file the SQL lives in. */
  path: string;
  sql: string;
  /** Head line number of the SQL's first line. */
  firstLine: number;
  settings: SqlSettings;
  /** Head lines the change added; only violations touching them are reported. */
  added: ReadonlySet<number>;
  /** The SQL already split into statements, when the caller did it, so it is lexed once. */
  statements?: SqlStatement[];
  /** False for SQL of another dialect (SQLite) read only for its drops and renames. */
  lintable?: boolean;
}

/** What one migration file contributes to the review. */
export interface FileResult {
  findings: DraftFinding[];
  /** Findings that only hold for a table that already exists: dropped when the change creates `table`. */
  conditional: Array<{ finding: DraftFinding; table: string }>;
  notes: CoverageNote[];
  changes: SchemaChange[];
  /** SQL to lint with squawk, with the rest of the review's SQL, in one run. */
  sql: SqlUnit[];
  /** Tables this change creates, lower-cased: rules about existing tables skip them. */
  createdTables: string[];
  /** `table.column` pairs this change adds, lower-cased: a drop of the same name is a re-creation. */
  addedColumns: string[];
}

export function emptyResult(): FileResult {
  return {
    findings: [],
    conditional: [],
    notes: [],
    changes: [],
    sql: [],
    createdTables: [],
    addedColumns: [],
  };
}

export const DEFAULT_PG_VERSION = 15;
