import type { ContentReader } from '../../core/change-set.ts';
import { mapLimit } from '../../core/concurrency.ts';
import type { CoverageNote } from '../../core/coverage.ts';
import { addedLines, removedLines } from '../../core/diff/parse-patch.ts';
import type { DraftFinding, LineRange } from '../../core/finding.ts';
import type {
  Analyzer,
  AnalyzerInput,
  AnalyzerOutput,
  ScopedFile,
} from '../../core/ports.ts';
import {
  blankLines,
  fileDialect,
  migrationKind,
  sqlDialect,
  sqlFileRole,
} from './classify.ts';
import {
  CROSS_CHECK_SOURCE,
  crossCheck,
  DEFAULT_CROSS_CHECK_LIMITS,
  type CrossCheckLimits,
} from './cross-check.ts';
import { earlierMysqlState, type MysqlState } from './mysql/columns.ts';
import { analyzeMysql, MYSQL_NEEDS_EARLIER } from './mysql/mysql.ts';
import { analyzeAlembic, isAlembicRevision } from './orm/alembic.ts';
import { parseSource } from './orm/ast.ts';
import { analyzeDjango } from './orm/django.ts';
import { analyzeGoMigration } from './orm/go.ts';
import { analyzeJsMigration } from './orm/js.ts';
import { analyzePrismaSchemas, type PrismaSchemaFile } from './orm/prisma.ts';
import { analyzeRails } from './orm/rails.ts';
import type { OrmEnv } from './orm/shared.ts';
import {
  CONCURRENT_INDEX_RULES,
  lowerForConvention,
  neverConcurrent,
} from './convention.ts';
import { lowerBackfilledNotNull } from './backfilled-not-null.ts';
import { repositoryDialect, type RepositoryDialect } from './repo-dialect.ts';
import { oneWayRewrites } from './data/one-way-rewrite.ts';
import { makeFinding } from './findings.ts';
import { lintPostgres, type PostgresLintResult } from './postgres/lint.ts';
import { LOCK_MODES } from './postgres/locks.ts';
import {
  loadSquawkSettings,
  type SquawkSettings,
} from './postgres/squawk-config.ts';
import { splitStatements } from './sql/lexer.ts';
import { postgresEffects } from './sql/pg-changes.ts';
import {
  DEFAULT_PG_VERSION,
  emptyResult,
  type FileResult,
  type SchemaChange,
  type SqlUnit,
} from './types.ts';
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
export function createMigrationAnalyzer(
  options: MigrationAnalyzerOptions = {},
): Analyzer {
  const pgVersion = options.pgVersion ?? DEFAULT_PG_VERSION;
  const limits = { ...DEFAULT_CROSS_CHECK_LIMITS, ...options.crossCheck };
  return {
    name: MIGRATIONS_ANALYZER,
    lenses: ['schema'],
    async analyze(input: AnalyzerInput): Promise<AnalyzerOutput> {
      if (!input.lenses.has('schema')) return { findings: [], notes: [] };
      const { contents } = input.changeSet;
      const signal = input.signal;
      const candidates = input.files.filter(
        ({ file }) =>
          file.status !== 'removed' && migrationKind(file.path) !== undefined,
      );

      if (candidates.length === 0) return { findings: [], notes: [] };
      // The team's own squawk settings, read at the base: excluded rules and paths, version, transactions.
      const squawk = await loadSquawkSettings(input.changeSet, signal);
      const team = squawk.settings;

      // The database the repository's drivers point to, for SQL files that do not say: read once, if needed.
      let dialect: Promise<RepositoryDialect | undefined> | undefined;
      const repository = () =>
        (dialect ??= repositoryDialect(input.changeSet, signal));
      const prismaFiles: PrismaSchemaFile[] = [];
      const results = await mapLimit(
        candidates,
        4,
        async (scoped): Promise<FileResult> => {
          try {
            return await analyzeFile(
              scoped,
              contents,
              team?.pgVersion ?? pgVersion,
              signal,
              prismaFiles,
              team,
              repository,
            );
          } catch (error) {
            signal.throwIfAborted();
            const result = emptyResult();
            result.notes.push({
              source: MIGRATIONS_ANALYZER,
              path: scoped.file.path,
              message: `could not analyse: ${messageOf(error)}`,
            });
            return result;
          }
        },
        signal,
      );
      if (prismaFiles.length > 0) {
        const migrationSql = candidates.some(({ file }) =>
          isPrismaMigrationSql(file.path),
        );
        prismaFiles.sort((a, b) => a.path.localeCompare(b.path));
        try {
          results.push(analyzePrismaSchemas(prismaFiles, migrationSql));
        } catch (error) {
          const result = emptyResult();
          for (const file of prismaFiles)
            result.notes.push({
              source: MIGRATIONS_ANALYZER,
              path: file.path,
              message: `could not analyse: ${messageOf(error)}`,
            });
          results.push(result);
        }
      }

      // SQL inside ORM migrations may be MySQL; it goes to the MySQL rules instead of squawk.
      const units: SqlUnit[] = [];
      for (const unit of results.flatMap((r) => r.sql)) {
        // Data changes no down migration can undo, whatever the dialect.
        results.push({ ...emptyResult(), findings: oneWayRewrites(unit) });
        if (unit.lintable === false) {
          results.push(sqlEffects(unit));
          continue;
        }
        if (
          unit.statements === undefined &&
          sqlDialect('', unit.sql) === 'mysql'
        ) {
          results.push(
            analyzeMysql(unit.path, unit.sql, unit.added, unit.firstLine),
          );
          continue;
        }
        units.push(unit);
        results.push(sqlEffects(unit));
      }
      const lint = await lintPostgres(units, {
        binary: options.squawkBinary,
        timeoutMs: options.squawkTimeoutMs,
        signal,
      });

      const created = new Set(results.flatMap((r) => r.createdTables));
      const addedColumns = new Set(results.flatMap((r) => r.addedColumns));
      const findings: DraftFinding[] = [
        ...results.flatMap((r) => r.findings),
        ...lint.findings.filter((f) => timeoutApplies(f, lint, created)),
      ];
      for (const { finding, table } of [
        ...results.flatMap((r) => r.conditional),
        ...lint.conditional,
      ]) {
        if (!created.has(table.toLowerCase())) findings.push(finding);
      }
      const notes: CoverageNote[] = [
        ...squawk.notes,
        ...results.flatMap((r) => r.notes),
        ...lint.notes,
      ];

      const raw = results.flatMap((r) => r.changes);
      const all = dedupeChanges(raw);
      // A table swap (drop `t`, rename `t_new` to `t`) leaves a table named `t`: code using it is fine.
      const renamedInto = new Set(
        all
          .filter((c) => c.kind === 'rename-table' && c.newName)
          .map((c) => c.newName!.toLowerCase()),
      );
      const changes = all.filter((change) =>
        change.column === undefined
          ? !created.has(change.table.toLowerCase()) &&
            !(
              change.kind === 'drop-table' &&
              renamedInto.has(change.table.toLowerCase())
            )
          : !addedColumns.has(`${change.table}.${change.column}`.toLowerCase()),
      );
      const excluded = (path: string): boolean =>
        migrationKind(path) !== undefined ||
        /(?:^|\/)db\/schema\.rb$/.test(path);
      try {
        // The repository view, when there is one, lists and reads the whole tree from one snapshot.
        const { repository } = input.changeSet;
        const codeReader = repository
          ? viewContentReader(repository, input.config.limits.max_file_bytes)
          : contents;
        const cross = await crossCheck(
          changes,
          codeReader,
          excluded,
          signal,
          limits,
          addedColumns,
        );
        lowerUnusedDrops(findings, raw, cross.unused, renamedInto);
        findings.push(...cross.findings);
        notes.push(...cross.notes);
      } catch (error) {
        signal.throwIfAborted();
        notes.push({
          source: CROSS_CHECK_SOURCE,
          message: `could not check code for uses of dropped or renamed columns and tables: ${messageOf(error)}`,
        });
      }
      const kept = team
        ? findings.filter((f) => !team.excludedRules.has(f.ruleId))
        : findings;
      await lowerBackfilledNotNull(kept, addedColumns, contents, signal);
      if (
        kept.some(
          (f) => CONCURRENT_INDEX_RULES.has(f.ruleId) && f.severity !== 'low',
        )
      ) {
        try {
          const read = await neverConcurrent(
            contents,
            new Set(input.files.map(({ file }) => file.path)),
            signal,
          );
          if (read !== undefined) lowerForConvention(kept, read);
        } catch (error) {
          signal.throwIfAborted();
          notes.push({
            source: MIGRATIONS_ANALYZER,
            message: `could not read the repository's other migrations for its index-build convention: ${messageOf(error)}`,
          });
        }
      }
      return { findings: kept, notes };
    },
  };
}

/** Rules whose harm is code that still uses a dropped name; the data loss itself is what a drop is for. */
const DROP_RULES: ReadonlySet<string> = new Set([
  'schema/ban-drop-column',
  'schema/ban-drop-table',
  'schema/mysql-drop-column',
  'schema/mysql-drop-table',
]);

/**
 * A drop that no code at head uses any more is the last step of removing the name, done the way
 * strong_migrations asks: reported low, with the reason. A table swapped in by a rename keeps its
 * finding (the swap is not atomic where DDL is not transactional).
 */
function lowerUnusedDrops(
  findings: DraftFinding[],
  changes: readonly SchemaChange[],
  unusedChanges: ReadonlySet<SchemaChange>,
  renamedInto: ReadonlySet<string>,
): void {
  // The same drop in another dialect's file (or the schema file) was checked once, under one key.
  const unusedKeys = new Set([...unusedChanges].map(changeKey));
  const unused = {
    has: (change: SchemaChange) => unusedKeys.has(changeKey(change)),
  };
  findings.forEach((finding, i) => {
    const lines = finding.lines;
    if (!DROP_RULES.has(finding.ruleId) || !lines) return;
    const covered = changes.filter(
      (c) =>
        c.kind.startsWith('drop') &&
        c.path === finding.path &&
        c.line >= lines.start &&
        c.line <= lines.end,
    );
    if (
      covered.length === 0 ||
      !covered.every(
        (c) => unused.has(c) && !renamedInto.has(c.table.toLowerCase()),
      )
    )
      return;
    const name = covered
      .map((c) => (c.column ? `${c.table}.${c.column}` : c.table))
      .join('`, `');
    findings[i] = {
      ...finding,
      severity: 'low',
      body: `${finding.body} No production code at the head of this branch uses \`${name}\` any more, so this is the planned last step of removing it; make sure the data is no longer needed (or backed up).`,
    };
  });
}

const SHARE_UPDATE_EXCLUSIVE = LOCK_MODES.indexOf('ShareUpdateExclusive');

/**
 * squawk asks for timeouts before every statement. A timeout only matters where the statement waits
 * for a lock that conflicts with the traffic on a table that exists before the migration: not for a
 * table the change creates, not for row-level statements, and not for CONCURRENTLY forms, where a
 * lock_timeout that fires leaves an INVALID index behind instead of protecting anything.
 */
function timeoutApplies(
  finding: DraftFinding,
  lint: PostgresLintResult,
  created: ReadonlySet<string>,
): boolean {
  const context = lint.timeoutContext.get(finding);
  if (!context) return true;
  if (
    context.concurrent ||
    context.creates ||
    context.target === undefined ||
    context.mode === undefined
  )
    return false;
  if (LOCK_MODES.indexOf(context.mode) < SHARE_UPDATE_EXCLUSIVE) return false;
  return !created.has(context.target.toLowerCase().replace(/^.*\./, ''));
}

function isPrismaMigrationSql(path: string): boolean {
  return /(?:^|\/)migrations\/[^/]+\/migration\.sql$/.test(path);
}

function changeKey(change: SchemaChange): string {
  return `${change.kind}:${change.table.toLowerCase()}:${(change.column ?? '').toLowerCase()}`;
}

/** The same drop can come from a migration and from the schema file; report it once. */
function dedupeChanges(changes: SchemaChange[]): SchemaChange[] {
  const seen = new Map<string, SchemaChange>();
  for (const change of changes) {
    const key = changeKey(change);
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
  team: SquawkSettings | undefined,
  repository: () => Promise<RepositoryDialect | undefined>,
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
  const removed = removedLines(hunks);
  if (added.size === 0 && (file.status !== 'modified' || removed.size === 0))
    return result;
  const source = await contents.read('head', file.path, signal);
  if (source === undefined) {
    result.notes.push({
      source: MIGRATIONS_ANALYZER,
      path: file.path,
      message:
        'could not analyse: the file contents are unavailable (binary, too large or missing)',
    });
    return result;
  }
  if (file.status === 'modified')
    await editedMigration(
      file.path,
      kind,
      source,
      added,
      removed,
      () => contents.read('base', file.path, signal),
      result,
    );
  if (added.size === 0) return result;
  if (kind === 'sql') {
    const repo = await repository();
    // MySQL redefinitions and foreign keys are judged against what earlier migrations of the folder define.
    const earlier =
      fileDialect(file.path, source, repo).dialect === 'mysql' &&
      MYSQL_NEEDS_EARLIER.test(source)
        ? await earlierMysqlState(file.path, contents, signal)
        : undefined;
    return analyzeSqlFile(
      file.path,
      source,
      added,
      pgVersion,
      result,
      team,
      earlier,
      repo,
    );
  }

  const env: OrmEnv = {
    path: file.path,
    added,
    result,
    pgVersion,
    readHead: (path) => contents.read('head', path, signal),
    readBase: (path) => contents.read('base', path, signal),
    listHead: async () =>
      contents.listHeadPaths ? contents.listHeadPaths(signal) : [],
  };
  if (kind === 'rails') await analyzeRails(env, source);
  else if (kind === 'js') await analyzeJsMigration(env, source);
  else if (kind === 'go') analyzeGoMigration(env, source);
  else {
    const root = parseSource('python', source);
    if (isAlembicRevision(file.path, root)) await analyzeAlembic(env, root);
    else await analyzeDjango(env, root);
  }
  return result;
}

/** Statements and ORM operations that shape the schema, as they appear in SQL and migration code. */
const SCHEMA_OPERATION =
  /\b(?:CREATE|ALTER|DROP|RENAME|TRUNCATE)\s+(?:UNIQUE\s+)?(?:TABLE|INDEX|COLUMN|CONSTRAINT|VIEW|TYPE|SEQUENCE|TRIGGER|FUNCTION|SCHEMA|EXTENSION)\b|\b(?:add|remove|change|rename)_(?:index|column|reference|foreign_key|timestamps)\b|\b(?:create|drop|rename|change)_table\b|\b(?:Add|Remove|Alter|Rename)(?:Field|Index|Constraint)\b|\b(?:Create|Delete|Rename)Model\b|\bop\.(?:create|drop|add|alter|rename)_\w+|\b(?:createTable|dropTable|alterTable|addColumn|dropColumn|renameColumn|createIndex|dropIndex|addIndex|removeIndex)\b/gi;

/**
 * The schema operations of a migration's text, each with its arguments (to the end of its statement,
 * or of its call across lines), normalised for spacing and case, in order. Comments are left out.
 */
function schemaOperations(text: string): string[] {
  const code = text.replace(/(?:--|\/\/)[^\n]*|^\s*#[^\n]*/gm, '');
  const operations: string[] = [];
  for (const match of code.matchAll(SCHEMA_OPERATION)) {
    let depth = 0;
    let end = match.index!;
    for (; end < code.length && end - match.index! < 4000; end++) {
      const c = code[end]!;
      if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c)) {
        if (depth === 0) break;
        depth--;
        // A call's arguments end where its parentheses close.
        if (depth === 0) {
          end++;
          break;
        }
      } else if (
        depth === 0 &&
        (c === ';' || c === '\n' || c === '`' || c === '"' || c === "'")
      )
        break;
    }
    operations.push(
      code
        .slice(match.index!, end)
        .replace(/\s+/g, ' ')
        .replace(/[\s,;]+$/, '')
        .trim()
        .toLowerCase(),
    );
  }
  return operations;
}

/** Whether a path is a migration whose history a tool records (not seeds, dumps, queries or importers). */
function isRecordedMigration(path: string, kind: string): boolean {
  const dirs = path.toLowerCase().split('/').slice(0, -1);
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (dirs.some((d) => /^(?:seeds?|fixtures?|tests?|dumps?)$/.test(d)))
    return false;
  if (kind === 'python')
    return /^\d{4}_\w+\.py$/.test(name) || dirs[dirs.length - 1] === 'versions';
  if (kind === 'sql')
    return dirs.some(
      (d) => d.includes('migrat') || d === 'changelog' || d === 'changelogs',
    );
  // Go migrations are often per-release files the project extends until it ships (listmonk).
  if (kind === 'go') return false;
  return true;
}

/**
 * A migration that exists at the base and whose schema operations the change edits: databases that
 * ran it never see the edit. Reformatting, comments and procedural code around unchanged operations
 * (a fixed count query, one statement per call) change nothing that was applied.
 */
async function editedMigration(
  path: string,
  kind: string,
  source: string,
  added: ReadonlySet<number>,
  removed: ReadonlySet<number>,
  readBase: () => Promise<string | undefined>,
  result: FileResult,
): Promise<void> {
  if (
    !isRecordedMigration(path, kind) ||
    (kind === 'sql' && sqlFileRole(path, source).kind === 'skip')
  )
    return;
  const base = await readBase();
  if (base === undefined) return;
  const before = new Map<string, number>();
  for (const op of schemaOperations(base))
    before.set(op, (before.get(op) ?? 0) + 1);
  const after = schemaOperations(source);
  const changed =
    after.length !== [...before.values()].reduce((a, b) => a + b, 0) ||
    after.some((op) => {
      const left = before.get(op) ?? 0;
      before.set(op, left - 1);
      return left <= 0;
    });
  if (!changed) return;
  // On the first added line with an operation; when the edit only removes, on the first removed line.
  const lines = source.split('\n');
  const sorted = [...added].sort((a, b) => a - b);
  const first =
    sorted.find((line) => schemaOperations(lines[line - 1] ?? '').length > 0) ??
    sorted[0];
  const anchor =
    first !== undefined
      ? { start: first, end: first, side: 'RIGHT' as const }
      : removedAnchor(base, removed);
  if (!anchor) return;
  result.findings.push(
    makeFinding({
      ruleId: 'schema/edited-applied-migration',
      path,
      lines: anchor,
    }),
  );
}

function removedAnchor(
  base: string,
  removed: ReadonlySet<number>,
): LineRange | undefined {
  const lines = base.split('\n');
  const sorted = [...removed].sort((a, b) => a - b);
  const line =
    sorted.find((n) => schemaOperations(lines[n - 1] ?? '').length > 0) ??
    sorted[0];
  return line === undefined
    ? undefined
    : { start: line, end: line, side: 'LEFT' };
}

const DIALECT_NAMES = {
  postgres: 'Postgres',
  mysql: 'MySQL',
  sqlite: 'SQLite',
} as const;

function analyzeSqlFile(
  path: string,
  source: string,
  added: ReadonlySet<number>,
  pgVersion: number,
  result: FileResult,
  team: SquawkSettings | undefined,
  earlierMysql: MysqlState | undefined,
  repository: RepositoryDialect | undefined,
): FileResult {
  const role = sqlFileRole(path, source, repository);
  if (role.kind === 'skip') {
    result.notes.push({
      source: MIGRATIONS_ANALYZER,
      path,
      message: role.reason,
    });
    return result;
  }
  if (role.dialect === 'sqlite') {
    result.notes.push({
      source: MIGRATIONS_ANALYZER,
      path,
      message: `SQLite migration (${role.dialectReason}): Postgres and MySQL locking rules do not apply, so only dropped and renamed names were checked against code`,
    });
    result.sql.push({
      path,
      sql: blankLines(role.sql, role.downLines),
      firstLine: 1,
      settings: { pgVersion, assumeInTransaction: true },
      added: new Set([...added].filter((l) => !role.downLines.has(l))),
      lintable: false,
    });
    return result;
  }
  if (repository && role.dialectReason === repository.reason)
    result.notes.push({
      source: MIGRATIONS_ANALYZER,
      path,
      message: `${DIALECT_NAMES[role.dialect]} migration: nothing in the file names its database, so ${repository.reason} decided`,
    });
  if (role.dialect === 'postgres' && team?.isExcludedPath(path)) {
    result.notes.push({
      source: MIGRATIONS_ANALYZER,
      path,
      message: "not linted: the team's .squawk.toml excludes this path",
    });
    return result;
  }
  const live = new Set([...added].filter((line) => !role.downLines.has(line)));
  if (live.size === 0) return result;
  if (role.dialect === 'mysql') {
    // Keep what was found before (an edit of an applied migration, the dialect note).
    const mysql = analyzeMysql(
      path,
      blankLines(role.sql, role.downLines),
      live,
      1,
      earlierMysql,
    );
    mysql.findings.unshift(...result.findings);
    mysql.notes.unshift(...result.notes);
    return mysql;
  }

  const sql = blankLines(role.sql, role.downLines);
  // The team's assume_in_transaction describes its runner; a file's own marker (NO TRANSACTION) still wins.
  const assumeInTransaction =
    role.framework === 'plain SQL' &&
    !role.noTransactionMarker &&
    team?.assumeInTransaction !== undefined
      ? team.assumeInTransaction
      : role.assumeInTransaction;
  result.sql.push({
    path,
    sql,
    firstLine: 1,
    settings: { pgVersion, assumeInTransaction },
    added: live,
    statements: splitStatements(sql),
  });
  return result;
}

/** Drops, renames and creations in a unit of Postgres SQL, on the lines the change added. */
function sqlEffects(unit: SqlUnit): FileResult {
  const result = emptyResult();
  unit.statements ??= splitStatements(unit.sql);
  const toHead = (line: number): number => unit.firstLine + line - 1;
  const effects = postgresEffects(
    unit.statements,
    unit.path,
    (line) => unit.added.has(toHead(line)),
    toHead,
  );
  result.changes.push(...effects.changes);
  result.createdTables.push(...effects.createdTables);
  result.addedColumns.push(...effects.addedColumns);
  return result;
}
