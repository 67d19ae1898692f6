import type { ContentReader } from '../../core/change-set.ts';
import { mapLimit } from '../../core/concurrency.ts';
import type { CoverageNote } from '../../core/coverage.ts';
import { addedLines, removedLines } from '../../core/diff/parse-patch.ts';
import type { DraftFinding } from '../../core/finding.ts';
import type { Analyzer, AnalyzerInput, AnalyzerOutput, ScopedFile } from '../../core/ports.ts';
import { blankLines, migrationKind, sqlDialect, sqlFileRole } from './classify.ts';
import { CROSS_CHECK_SOURCE, crossCheck, DEFAULT_CROSS_CHECK_LIMITS, type CrossCheckLimits } from './cross-check.ts';
import { earlierMysqlState, type MysqlState } from './mysql/columns.ts';
import { analyzeMysql, MYSQL_NEEDS_EARLIER } from './mysql/mysql.ts';
import { analyzeAlembic, isAlembicRevision } from './orm/alembic.ts';
import { parseSource } from './orm/ast.ts';
import { analyzeDjango } from './orm/django.ts';
import { analyzeJsMigration } from './orm/js.ts';
import { analyzePrismaSchemas, type PrismaSchemaFile } from './orm/prisma.ts';
import { analyzeRails } from './orm/rails.ts';
import type { OrmEnv } from './orm/shared.ts';
import { lintPostgres } from './postgres/lint.ts';
import { splitStatements } from './sql/lexer.ts';
import { postgresEffects } from './sql/pg-changes.ts';
import { DEFAULT_PG_VERSION, emptyResult, type FileResult, type SchemaChange, type SqlUnit } from './types.ts';
import { messageOf } from '../../core/error-message.ts';
import { viewContentReader } from '../../core/repository/view-content-reader.ts';

export const MIGRATIONS_ANALYZER = 'schema-migrations';

export interface MigrationAnalyzerOptions {
  /** Postgres major version squawk assumes (default 15). */
  pgVersion?: number;
  /** The squawk binary; undefined finds the installed one, null means none is available. */
  squawkBinary?: string | null;
  squawkTimeoutMs?: number;
  crossCheck?: Partial<CrossCheckLimits>;
}

/**
 * The schema lens's deterministic analyzer: SQL migrations (Postgres through squawk, MySQL through
 * node-sql-parser), ORM migrations (Rails, Django, Alembic, Knex/Sequelize/TypeORM/node-pg-migrate),
 * Prisma schema changes, and a cross-check of dropped or renamed names against code at head.
 */
export function createMigrationAnalyzer(options: MigrationAnalyzerOptions = {}): Analyzer {
  const pgVersion = options.pgVersion ?? DEFAULT_PG_VERSION;
  const limits = { ...DEFAULT_CROSS_CHECK_LIMITS, ...options.crossCheck };
  return {
    name: MIGRATIONS_ANALYZER,
    lenses: ['schema'],
    async analyze(input: AnalyzerInput): Promise<AnalyzerOutput> {
      if (!input.lenses.has('schema')) return { findings: [], notes: [] };
      const { contents } = input.changeSet;
      const signal = input.signal;
      const candidates = input.files.filter(({ file }) => file.status !== 'removed' && migrationKind(file.path) !== undefined);

      const prismaFiles: PrismaSchemaFile[] = [];
      const results = await mapLimit(
        candidates,
        4,
        async (scoped): Promise<FileResult> => {
          try {
            return await analyzeFile(scoped, contents, pgVersion, signal, prismaFiles);
          } catch (error) {
            signal.throwIfAborted();
            const result = emptyResult();
            result.notes.push({ source: MIGRATIONS_ANALYZER, path: scoped.file.path, message: `could not analyse: ${messageOf(error)}` });
            return result;
          }
        },
        signal,
      );
      if (prismaFiles.length > 0) {
        const migrationSql = candidates.some(({ file }) => isPrismaMigrationSql(file.path));
        prismaFiles.sort((a, b) => a.path.localeCompare(b.path));
        try {
          results.push(analyzePrismaSchemas(prismaFiles, migrationSql));
        } catch (error) {
          const result = emptyResult();
          for (const file of prismaFiles) result.notes.push({ source: MIGRATIONS_ANALYZER, path: file.path, message: `could not analyse: ${messageOf(error)}` });
          results.push(result);
        }
      }

      // SQL inside ORM migrations may be MySQL; it goes to the MySQL rules instead of squawk.
      const units: SqlUnit[] = [];
      for (const unit of results.flatMap((r) => r.sql)) {
        if (unit.statements === undefined && sqlDialect('', unit.sql) === 'mysql') {
          results.push(analyzeMysql(unit.path, unit.sql, unit.added, unit.firstLine));
          continue;
        }
        units.push(unit);
        results.push(sqlEffects(unit));
      }
      const lint = await lintPostgres(units, { binary: options.squawkBinary, timeoutMs: options.squawkTimeoutMs, signal });

      const created = new Set(results.flatMap((r) => r.createdTables));
      const addedColumns = new Set(results.flatMap((r) => r.addedColumns));
      const findings: DraftFinding[] = [...results.flatMap((r) => r.findings), ...lint.findings];
      for (const { finding, table } of [...results.flatMap((r) => r.conditional), ...lint.conditional]) {
        if (!created.has(table.toLowerCase())) findings.push(finding);
      }
      const notes: CoverageNote[] = [...results.flatMap((r) => r.notes), ...lint.notes];

      const changes = dedupeChanges(results.flatMap((r) => r.changes)).filter((change) =>
        change.column === undefined ? !created.has(change.table.toLowerCase()) : !addedColumns.has(`${change.table}.${change.column}`.toLowerCase()),
      );
      const excluded = (path: string): boolean => migrationKind(path) !== undefined || /(?:^|\/)db\/schema\.rb$/.test(path);
      try {
        // The repository view, when there is one, lists and reads the whole tree from one snapshot.
        const { repository } = input.changeSet;
        const codeReader = repository ? viewContentReader(repository, input.config.limits.max_file_bytes) : contents;
        const cross = await crossCheck(changes, codeReader, excluded, signal, limits);
        findings.push(...cross.findings);
        notes.push(...cross.notes);
      } catch (error) {
        signal.throwIfAborted();
        notes.push({ source: CROSS_CHECK_SOURCE, message: `could not check code for uses of dropped or renamed columns and tables: ${messageOf(error)}` });
      }
      return { findings, notes };
    },
  };
}


function isPrismaMigrationSql(path: string): boolean {
  return /(?:^|\/)migrations\/[^/]+\/migration\.sql$/.test(path);
}

/** The same drop can come from a migration and from the schema file; report it once. */
function dedupeChanges(changes: SchemaChange[]): SchemaChange[] {
  const seen = new Map<string, SchemaChange>();
  for (const change of changes) {
    const key = `${change.kind}:${change.table.toLowerCase()}:${(change.column ?? '').toLowerCase()}`;
    if (!seen.has(key)) seen.set(key, change);
  }
  return [...seen.values()];
}

async function analyzeFile(
  { file, hunks }: ScopedFile,
  contents: ContentReader,
  pgVersion: number,
  signal: AbortSignal,
  prismaFiles: PrismaSchemaFile[],
): Promise<FileResult> {
  const result = emptyResult();
  const kind = migrationKind(file.path)!;
  const added = addedLines(hunks);
  if (kind === 'prisma-schema') {
    const removed = removedLines(hunks);
    if (added.size === 0 && removed.size === 0) return result;
    const [base, head] = await Promise.all([
      contents.read('base', file.previousPath ?? file.path, signal),
      contents.read('head', file.path, signal),
    ]);
    prismaFiles.push({ path: file.path, base, head, added, removed });
    return result;
  }
  if (added.size === 0) return result;
  const source = await contents.read('head', file.path, signal);
  if (source === undefined) {
    result.notes.push({ source: MIGRATIONS_ANALYZER, path: file.path, message: 'could not analyse: the file contents are unavailable (binary, too large or missing)' });
    return result;
  }
  if (kind === 'sql') {
    // MySQL redefinitions and foreign keys are judged against what earlier migrations of the folder define.
    const earlier = sqlDialect(file.path, source) === 'mysql' && MYSQL_NEEDS_EARLIER.test(source) ? await earlierMysqlState(file.path, contents, signal) : undefined;
    return analyzeSqlFile(file.path, source, added, pgVersion, result, earlier);
  }

  const env: OrmEnv = {
    path: file.path,
    added,
    result,
    pgVersion,
    readHead: (path) => contents.read('head', path, signal),
    readBase: (path) => contents.read('base', path, signal),
  };
  if (kind === 'rails') await analyzeRails(env, source);
  else if (kind === 'js') await analyzeJsMigration(env, source);
  else {
    const root = parseSource('python', source);
    if (isAlembicRevision(file.path, root)) await analyzeAlembic(env, root);
    else await analyzeDjango(env, root);
  }
  return result;
}

function analyzeSqlFile(path: string, source: string, added: ReadonlySet<number>, pgVersion: number, result: FileResult, earlierMysql?: MysqlState): FileResult {
  const role = sqlFileRole(path, source);
  if (role.kind === 'skip') {
    result.notes.push({ source: MIGRATIONS_ANALYZER, path, message: role.reason });
    return result;
  }
  const live = new Set([...added].filter((line) => !role.downLines.has(line)));
  if (live.size === 0) return result;
  if (role.dialect === 'mysql') return analyzeMysql(path, blankLines(source, role.downLines), live, 1, earlierMysql);

  const sql = blankLines(source, role.downLines);
  result.sql.push({ path, sql, firstLine: 1, settings: { pgVersion, assumeInTransaction: role.assumeInTransaction }, added: live, statements: splitStatements(sql) });
  return result;
}

/** Drops, renames and creations in a unit of Postgres SQL, on the lines the change added. */
function sqlEffects(unit: SqlUnit): FileResult {
  const result = emptyResult();
  unit.statements ??= splitStatements(unit.sql);
  const toHead = (line: number): number => unit.firstLine + line - 1;
  const effects = postgresEffects(unit.statements, unit.path, (line) => unit.added.has(toHead(line)), toHead);
  result.changes.push(...effects.changes);
  result.createdTables.push(...effects.createdTables);
  result.addedColumns.push(...effects.addedColumns);
  return result;
}
