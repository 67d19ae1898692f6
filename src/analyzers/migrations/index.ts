export {
  createMigrationAnalyzer,
  MIGRATIONS_ANALYZER,
  type MigrationAnalyzerOptions,
} from './analyzer.ts';
export { rules } from './rules.ts';
export {
  lintPostgres,
  type PostgresLintOptions,
  type PostgresLintResult,
} from './postgres/lint.ts';
export { squawkBinaryPath } from './postgres/squawk.ts';
export {
  statementLock,
  describeLock,
  LOCK_MODES,
  type LockMode,
  type StatementLock,
} from './postgres/locks.ts';
export type { SqlSettings, SqlUnit } from './types.ts';

import { createMigrationAnalyzer as create } from './analyzer.ts';

/** The analyzer with default settings (Postgres 15, installed squawk). */
export const migrationAnalyzer = create();
