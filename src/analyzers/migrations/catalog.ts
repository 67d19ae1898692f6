import type { Severity } from '../../core/finding.ts';
import { DATA_RULES } from './data/rules.ts';
import { MYSQL_RULES } from './mysql/rules.ts';
import { RAILS_RULES } from './orm/rails-rules.ts';
import type { LockMode } from './postgres/locks.ts';

/** Names a finding can mention; every field is optional because not every source knows them. */
export interface RuleContext {
  table?: string;
  column?: string;
  /** The new name of a renamed column or table. */
  newName?: string;
}

export interface CatalogEntry {
  /** `schema/<rule>`. */
  id: string;
  severity: Severity;
  /** Generic one-line description (rule list, SARIF). */
  title: string;
  /** The finding's one-line title, with names where known. */
  headline(ctx: RuleContext): string;
  /** What breaks and for whom. */
  body(ctx: RuleContext): string;
  /** The default fix, written for plain SQL; ORM checks pass a framework-specific one. */
  fix: string;
  /** The lock the operation usually takes, for ORM findings that have no SQL statement to read. */
  lock?: LockMode;
  /** Whether the finding explains which lock the statement takes and what it blocks. */
  lockAware: boolean;
  /** False for rules squawk runs only when asked (`include`); on by default otherwise. */
  enabledByDefault?: boolean;
}

const code = (name: string | undefined, fallback: string): string =>
  name ? `\`${name}\`` : fallback;
const col = (ctx: RuleContext): string =>
  ctx.column
    ? ctx.table
      ? `\`${ctx.table}.${ctx.column}\``
      : `\`${ctx.column}\``
    : 'the column';
const tbl = (ctx: RuleContext): string => code(ctx.table, 'the table');
const on = (ctx: RuleContext): string =>
  ctx.table ? ` on \`${ctx.table}\`` : '';

const entries: CatalogEntry[] = [
  {
    id: 'schema/adding-field-with-default',
    severity: 'high',
    title: 'Column added with a default that forces a table rewrite',
    headline: (c) => `Adding ${col(c)} with this default rewrites ${tbl(c)}`,
    body: () =>
      'A column whose DEFAULT is volatile (random(), uuid generation, clock_timestamp()), a STORED generated column, or any default before Postgres 11 makes Postgres rewrite every row and rebuild every index of the table. On a large table that takes minutes, and the table is unavailable the whole time.',
    fix: 'Add the column without the default (or with a constant one), set the default in a separate statement, and backfill existing rows in batches.',
    lock: 'AccessExclusive',
    lockAware: true,
  },
  {
    id: 'schema/adding-foreign-key-constraint',
    severity: 'high',
    title: 'Foreign key added with a full validation scan',
    headline: (c) =>
      `Foreign key${on(c)} is validated against every existing row`,
    body: () =>
      'Adding a FOREIGN KEY to an existing table checks every row while holding locks on both this table and the referenced one, so writes to both stall until the scan finishes.',
    fix: 'Add the constraint with NOT VALID, then run ALTER TABLE … VALIDATE CONSTRAINT in a separate transaction; validation takes a lock that lets reads and writes continue.',
    lock: 'ShareRowExclusive',
    lockAware: true,
  },
  {
    id: 'schema/adding-not-nullable-field',
    severity: 'high',
    title:
      'SET NOT NULL on an existing column scans the table under an exclusive lock',
    headline: (c) => `Making ${col(c)} NOT NULL scans the whole table`,
    body: () =>
      'Postgres proves the column has no NULLs by scanning the whole table while it holds the lock. The migration also fails outright if any row is still NULL.',
    fix: 'Backfill NULLs first. On Postgres 12+, add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a separate transaction, then SET NOT NULL (which then skips the scan) and drop the check.',
    lock: 'AccessExclusive',
    lockAware: true,
  },
  {
    id: 'schema/adding-required-field',
    severity: 'high',
    title: 'NOT NULL column added without a default',
    headline: (c) => `${col(c)} is added as NOT NULL without a default`,
    body: () =>
      'Adding a NOT NULL column without a DEFAULT fails on a table that already has rows. Once it exists, every INSERT that does not set the column fails too, including those from the previous release that is still running during the deploy.',
    fix: 'Add the column as nullable (or with a constant DEFAULT), deploy code that writes it, backfill, then add NOT NULL in a later migration.',
    lock: 'AccessExclusive',
    lockAware: false,
  },
  {
    id: 'schema/adding-serial-primary-key-field',
    severity: 'high',
    title: 'Primary key built while the table is locked',
    headline: (c) =>
      `Primary key${on(c)} is built under an ACCESS EXCLUSIVE lock`,
    body: () =>
      'Adding a PRIMARY KEY to an existing table builds its unique index while holding the lock, so reads and writes stop for the whole build.',
    fix: 'CREATE UNIQUE INDEX CONCURRENTLY first, then ALTER TABLE … ADD CONSTRAINT … PRIMARY KEY USING INDEX ….',
    lock: 'AccessExclusive',
    lockAware: true,
  },
  {
    id: 'schema/ban-alter-domain-with-add-constraint',
    severity: 'medium',
    title: 'Constraint added to a domain',
    headline: () => 'A constraint is added to a domain',
    body: () =>
      'ALTER DOMAIN … ADD CONSTRAINT re-checks every column of every table that uses the domain, taking locks on each of those tables for the duration.',
    fix: 'Put the CHECK on the table columns instead (added NOT VALID and validated separately).',
    lockAware: false,
  },
  {
    id: 'schema/ban-char-field',
    severity: 'low',
    title: 'char(n) column',
    headline: (c) => `${col(c)} uses char(n)`,
    body: () =>
      'char(n) pads values with spaces to n characters, which surprises comparisons and clients, and is no faster than text or varchar in Postgres.',
    fix: 'Use text (with a CHECK on length if a limit is needed) or varchar.',
    lockAware: false,
  },
  {
    id: 'schema/ban-concurrent-index-creation-in-transaction',
    severity: 'high',
    title: 'Concurrent index build inside a transaction',
    headline: () =>
      'CONCURRENTLY cannot run inside a transaction; this migration will fail',
    body: () =>
      'Postgres rejects CREATE INDEX CONCURRENTLY inside a transaction block. This migration runs in one (the file opens it, or the migration tool wraps every migration in a transaction), so the deploy fails at this statement.',
    fix: "Move the concurrent index build to a migration of its own with the tool's transaction turned off (for example disable_ddl_transaction!, atomic = False, or -- +goose NO TRANSACTION).",
    lockAware: false,
  },
  {
    id: 'schema/ban-create-domain-with-constraint',
    severity: 'low',
    title: 'Domain created with a CHECK constraint',
    headline: () => 'Domain is created with a CHECK constraint',
    body: () =>
      'A constraint on a domain is expensive to change later: altering it re-checks every column that uses the domain, under locks on each table.',
    fix: 'Keep the domain unconstrained and put CHECK constraints on the table columns.',
    lockAware: false,
  },
  {
    id: 'schema/ban-drop-column',
    severity: 'high',
    title: 'Column dropped',
    headline: (c) => `${col(c)} is dropped`,
    body: () =>
      "Every client and application instance that still reads or writes the column fails as soon as the migration runs, including the previous release during a rolling deploy and ORMs that cached the table's columns. The column's data is deleted.",
    fix: 'Stop using the column in code first (and make the ORM ignore it), deploy that, then drop the column in a later migration.',
    lock: 'AccessExclusive',
    lockAware: false,
  },
  {
    id: 'schema/ban-drop-database',
    severity: 'critical',
    title: 'DROP DATABASE in a migration',
    headline: () => 'A migration drops a whole database',
    body: () =>
      'DROP DATABASE deletes every table and row in the database. Running it from a migration is almost never intended and cannot be undone.',
    fix: 'Remove it from the migration; drop databases by hand, with a backup and the right approvals.',
    lockAware: false,
  },
  {
    id: 'schema/ban-drop-not-null',
    // Low: dropping NOT NULL is instant, cannot fail, and breaks nothing until new code writes NULLs;
    // the change that does so is the one to judge, and it is usually in the same pull request.
    severity: 'low',
    title: 'NOT NULL dropped',
    headline: (c) => `${col(c)} may now be NULL`,
    body: () =>
      'Dropping the constraint is instant and cannot fail, but code, reports and downstream consumers that assume the column is always set start seeing NULLs once new code writes them.',
    fix: 'Check that every reader handles NULL before deploying, or keep the constraint and use a default.',
    lockAware: false,
  },
  {
    id: 'schema/ban-drop-table',
    severity: 'high',
    title: 'Table dropped',
    headline: (c) => `Table ${tbl(c)} is dropped`,
    body: () =>
      'Every query that still touches the table fails once the migration runs, including those from the release still running during the deploy, and all of its rows are deleted.',
    fix: 'Remove every use of the table and deploy that first; drop the table in a later migration, after taking a backup.',
    lock: 'AccessExclusive',
    lockAware: false,
  },
  {
    id: 'schema/ban-duplicate-column-assignments',
    severity: 'medium',
    title: 'Column assigned or declared twice in one statement',
    headline: (c) =>
      c.column
        ? `${col(c)} appears more than once in one statement`
        : 'The same column appears twice in one statement',
    body: () =>
      'Postgres rejects a statement that assigns or declares the same column twice, so the migration fails when it reaches it.',
    fix: 'Keep one assignment or declaration per column.',
    lockAware: false,
  },
  {
    id: 'schema/ban-truncate-cascade',
    severity: 'high',
    title: 'TRUNCATE … CASCADE',
    headline: (c) =>
      `TRUNCATE … CASCADE${on(c)} also empties referencing tables`,
    body: () =>
      'CASCADE empties every table that references this one through a foreign key, and the tables referencing those, which can silently delete far more data than intended.',
    fix: 'Truncate the intended tables by name, without CASCADE.',
    lock: 'AccessExclusive',
    lockAware: true,
  },
  {
    id: 'schema/ban-uncommitted-transaction',
    severity: 'high',
    title: 'Transaction opened but never committed',
    headline: () => 'BEGIN without a matching COMMIT',
    body: () =>
      "When the session ends, Postgres rolls back the open transaction, so the migration's changes silently disappear while the tool may still record the migration as applied.",
    fix: 'Add COMMIT at the end of the file, or remove BEGIN if the migration tool already wraps the file in a transaction.',
    lockAware: false,
  },
  {
    id: 'schema/changing-column-type',
    severity: 'high',
    title: 'Column type changed',
    headline: (c) => `The type of ${col(c)} changes`,
    body: () =>
      "Changing a column's type usually rewrites the whole table and rebuilds its indexes while holding the lock, and clients that still send or expect the old type can break.",
    fix: 'Add a new column with the new type, write both and backfill in batches, move readers, then drop the old column. (Widening varchar or varchar → text does not rewrite.)',
    lock: 'AccessExclusive',
    lockAware: true,
  },
  {
    id: 'schema/constraint-missing-not-valid',
    severity: 'high',
    title: 'Constraint added without NOT VALID',
    headline: (c) =>
      `Constraint${on(c)} is validated against every existing row`,
    body: () =>
      'Adding a CHECK or FOREIGN KEY constraint validates every existing row while holding the lock, for as long as the scan takes.',
    fix: 'Add the constraint NOT VALID, then run VALIDATE CONSTRAINT in a separate transaction.',
    lock: 'AccessExclusive',
    lockAware: true,
  },
  {
    id: 'schema/disallowed-unique-constraint',
    severity: 'high',
    title: 'UNIQUE constraint built while the table is locked',
    headline: (c) =>
      `UNIQUE constraint${on(c)} builds its index under an ACCESS EXCLUSIVE lock`,
    body: () =>
      'ADD CONSTRAINT … UNIQUE builds a unique index while holding the lock, and fails if duplicates already exist.',
    fix: 'CREATE UNIQUE INDEX CONCURRENTLY, then ALTER TABLE … ADD CONSTRAINT … UNIQUE USING INDEX ….',
    lock: 'AccessExclusive',
    lockAware: true,
  },
  {
    id: 'schema/identifier-too-long',
    severity: 'medium',
    title: 'Identifier longer than 63 bytes',
    headline: () => 'An identifier is longer than Postgres keeps',
    body: () =>
      'Postgres silently truncates identifiers to 63 bytes, so the object gets a different name than the one code uses, and two long names can collide.',
    fix: 'Shorten the name to 63 bytes or fewer.',
    lockAware: false,
  },
  {
    id: 'schema/prefer-bigint-over-int',
    severity: 'low',
    title: '32-bit integer column',
    headline: (c) => `${col(c)} is a 32-bit integer`,
    body: () =>
      'A 32-bit id or counter stops at about 2.1 billion; widening it later rewrites the table under an exclusive lock.',
    fix: 'Use bigint (or a bigint identity column).',
    lockAware: false,
  },
  {
    id: 'schema/prefer-bigint-over-smallint',
    severity: 'low',
    title: 'smallint column',
    headline: (c) => `${col(c)} is a smallint`,
    body: () =>
      'smallint stops at 32,767; widening it later rewrites the table under an exclusive lock.',
    fix: 'Use bigint.',
    lockAware: false,
  },
  {
    id: 'schema/prefer-identity',
    severity: 'low',
    title: 'serial column instead of an identity column',
    headline: (c) => `${col(c)} uses serial`,
    body: () =>
      'serial creates a separately owned sequence, which complicates permissions, dumps and later schema changes.',
    fix: 'Use GENERATED BY DEFAULT AS IDENTITY (bigint).',
    lockAware: false,
  },
  {
    id: 'schema/prefer-repack',
    severity: 'low',
    title: 'VACUUM FULL or CLUSTER where REPACK is available',
    headline: (c) => `Table rewrite${on(c)} under an exclusive lock`,
    body: () =>
      'VACUUM FULL and CLUSTER rewrite the table while holding the lock for the whole rewrite.',
    fix: 'On Postgres 19+, use REPACK (with CONCURRENTLY where possible); on older versions, pg_repack.',
    lock: 'AccessExclusive',
    lockAware: true,
  },
  {
    id: 'schema/prefer-robust-stmts',
    severity: 'low',
    title: 'Statement cannot be re-run',
    headline: () => 'This statement fails if the migration is re-run',
    body: () =>
      'If the migration stops part-way (a lock timeout, a deploy cancelled), running it again fails on the statements that already took effect, and someone has to repair it by hand.',
    fix: 'Use IF [NOT] EXISTS, or run the whole file in a transaction.',
    lockAware: false,
  },
  {
    id: 'schema/prefer-text-field',
    severity: 'low',
    title: 'varchar(n) column',
    headline: (c) => `${col(c)} uses varchar(n)`,
    body: () =>
      'A varchar length limit is costly to change later: shrinking it rewrites the table under an ACCESS EXCLUSIVE lock.',
    fix: 'Use text with a CHECK (char_length(col) <= n) constraint, which can be replaced NOT VALID without a rewrite.',
    lockAware: false,
  },
  {
    id: 'schema/prefer-timestamp-tz',
    severity: 'low',
    title: 'timestamp without time zone',
    headline: (c) => `${col(c)} is a timestamp without time zone`,
    body: () =>
      'timestamp drops the UTC offset, so instants written from different time zones are stored as the same value and compare wrongly.',
    fix: 'Use timestamptz.',
    lockAware: false,
  },
  {
    id: 'schema/renaming-column',
    severity: 'high',
    title: 'Column renamed',
    headline: (c) =>
      `${col(c)} is renamed${c.newName ? ` to \`${c.newName}\`` : ''}`,
    body: () =>
      'Every client and application instance that still uses the old name fails as soon as the migration runs, including the previous release during a rolling deploy.',
    fix: 'Add the new column, write both and backfill, move readers to it, then drop the old one; or deploy code that tolerates both names (an ORM column alias or a view) before renaming.',
    lock: 'AccessExclusive',
    lockAware: false,
  },
  {
    id: 'schema/renaming-table',
    severity: 'high',
    title: 'Table renamed',
    headline: (c) =>
      `Table ${tbl(c)} is renamed${c.newName ? ` to \`${c.newName}\`` : ''}`,
    body: () =>
      'Every client and application instance that still uses the old name fails as soon as the migration runs, including the previous release during a rolling deploy.',
    fix: 'Create the new table (or a view with the new name), move code to it, then retire the old name; or keep a view with the old name until every client has moved.',
    lock: 'AccessExclusive',
    lockAware: false,
  },
  {
    id: 'schema/require-concurrent-index-creation',
    severity: 'high',
    title: 'Index built without CONCURRENTLY',
    headline: (c) => `Index${on(c)} is built without CONCURRENTLY`,
    body: () =>
      'Building an index without CONCURRENTLY holds the lock for the whole build; on a large table that is minutes of failed or queued writes.',
    fix: 'CREATE INDEX CONCURRENTLY in a migration that does not run inside a transaction.',
    lock: 'Share',
    lockAware: true,
  },
  {
    id: 'schema/require-concurrent-index-deletion',
    severity: 'high',
    title: 'Index dropped without CONCURRENTLY',
    headline: (c) => `Index${on(c)} is dropped without CONCURRENTLY`,
    body: () =>
      'DROP INDEX without CONCURRENTLY waits for every running query on the table and blocks all new ones until it finishes.',
    fix: 'DROP INDEX CONCURRENTLY in a migration that does not run inside a transaction.',
    lock: 'AccessExclusive',
    lockAware: true,
  },
  {
    id: 'schema/require-concurrent-partition-detach',
    severity: 'high',
    title: 'Partition detached without CONCURRENTLY',
    headline: (c) =>
      `Partition is detached from ${tbl(c)} without CONCURRENTLY`,
    body: () =>
      'Detaching a partition without CONCURRENTLY locks the parent table, so queries on every partition wait.',
    fix: 'Use DETACH PARTITION … CONCURRENTLY (Postgres 14+) outside a transaction.',
    lock: 'AccessExclusive',
    lockAware: true,
  },
  {
    id: 'schema/require-concurrent-reindex',
    severity: 'high',
    title: 'REINDEX without CONCURRENTLY',
    headline: () => 'REINDEX runs without CONCURRENTLY',
    body: () =>
      "REINDEX without CONCURRENTLY blocks the table's queries for the whole rebuild.",
    fix: 'Use REINDEX … CONCURRENTLY (Postgres 12+) outside a transaction.',
    lock: 'AccessExclusive',
    lockAware: true,
  },
  {
    id: 'schema/require-enum-value-ordering',
    severity: 'low',
    title: 'Enum value added without a position',
    headline: () => 'Enum value is appended without BEFORE/AFTER',
    body: () =>
      'ALTER TYPE … ADD VALUE without BEFORE or AFTER puts the value last, and ORDER BY on an enum sorts by that position, not alphabetically.',
    fix: 'State the position with BEFORE or AFTER.',
    lockAware: false,
  },
  {
    id: 'schema/require-lock-timeout',
    // Advice, not a defect: whether a lock can queue traffic depends on how the team deploys (migrations
    // at startup or with the service stopped have nothing to queue). squawk itself makes it opt-in.
    severity: 'low',
    title: 'No lock_timeout before a locking statement',
    headline: () => 'No lock_timeout is set before this locking statement',
    body: () =>
      'Without lock_timeout the statement waits indefinitely for its lock behind any long-running query, and every query that arrives meanwhile queues behind it, so a short lock turns into an outage.',
    fix: "SET lock_timeout = '2s' (or similar) at the top of the migration, and retry the migration when it times out.",
    lockAware: true,
  },
  {
    id: 'schema/require-statement-timeout',
    severity: 'low',
    title: 'No statement_timeout before a slow statement',
    headline: () =>
      'No statement_timeout is set before this potentially slow statement',
    body: () =>
      'Without statement_timeout a slow statement keeps its locks for as long as it runs, with nothing to stop it.',
    fix: "SET statement_timeout = '5min' (or a limit that fits) at the top of the migration.",
    lockAware: true,
  },
  {
    id: 'schema/require-table-schema',
    severity: 'low',
    title: 'Table name without a schema',
    headline: (c) => `${tbl(c)} is not schema-qualified`,
    body: () =>
      'An unqualified name resolves through search_path, so the migration can touch a different table than intended when search_path differs.',
    fix: 'Qualify the table with its schema, e.g. public.table.',
    lockAware: false,
    enabledByDefault: false,
  },
  {
    id: 'schema/transaction-nesting',
    severity: 'medium',
    title: 'Explicit transaction inside a transaction',
    headline: () => 'Explicit BEGIN/COMMIT inside a transaction',
    body: () =>
      "Postgres has no nested transactions: an inner COMMIT commits everything so far and the migration tool's rollback no longer covers the rest, while a nested BEGIN only warns.",
    fix: "Remove the explicit BEGIN/COMMIT, or turn off the migration tool's transaction for this migration.",
    lockAware: false,
  },
  {
    id: 'schema/unused-ignore',
    severity: 'low',
    title: 'squawk-ignore comment that suppresses nothing',
    headline: () => 'This squawk-ignore comment suppresses nothing',
    body: () =>
      'An ignore comment with nothing to ignore hides future problems on the lines it covers.',
    fix: 'Remove the comment.',
    lockAware: false,
  },
  // MySQL (node-sql-parser).
  {
    id: 'schema/mysql-adding-required-field',
    severity: 'high',
    title: 'MySQL: NOT NULL column added without a default',
    headline: (c) => `${col(c)} is added as NOT NULL without a DEFAULT`,
    body: () =>
      'MySQL fills existing rows with an implicit value, but once the column exists every INSERT that does not set it fails in strict mode ("Field doesn\'t have a default value"), including INSERTs from the release still running during the deploy.',
    fix: 'Give the column a DEFAULT, or add it NULL, deploy code that writes it, backfill, and make it NOT NULL later.',
    lockAware: false,
  },
  {
    id: 'schema/mysql-drop-column',
    severity: 'high',
    title: 'MySQL: column dropped',
    headline: (c) => `${col(c)} is dropped`,
    body: () =>
      'Every query that still reads or writes the column fails once the migration runs, including the previous release during a rolling deploy; the data is deleted, and InnoDB rebuilds the table to do it.',
    fix: 'Stop using the column in code and deploy that first; drop it in a later migration.',
    lockAware: false,
  },
  {
    id: 'schema/mysql-drop-table',
    severity: 'high',
    title: 'MySQL: table dropped',
    headline: (c) => `Table ${tbl(c)} is dropped`,
    body: () =>
      'Every query that still touches the table fails once the migration runs, and all of its rows are deleted.',
    fix: 'Remove every use of the table and deploy that first; drop it in a later migration, after taking a backup.',
    lockAware: false,
  },
  {
    id: 'schema/mysql-renaming-column',
    severity: 'high',
    title: 'MySQL: column renamed',
    headline: (c) =>
      `${col(c)} is renamed${c.newName ? ` to \`${c.newName}\`` : ''}`,
    body: () =>
      'Every query that still uses the old name fails as soon as the migration runs, including the previous release during a rolling deploy.',
    fix: 'Add the new column, write both and backfill, move readers, then drop the old one.',
    lockAware: false,
  },
  {
    id: 'schema/mysql-renaming-table',
    severity: 'high',
    title: 'MySQL: table renamed',
    headline: (c) =>
      `Table ${tbl(c)} is renamed${c.newName ? ` to \`${c.newName}\`` : ''}`,
    body: () =>
      'Every query that still uses the old name fails as soon as the migration runs, including the previous release during a rolling deploy.',
    fix: 'Move code to the new name first (for example through a view with the new name), then rename.',
    lockAware: false,
  },
  {
    id: 'schema/mysql-changing-column-type',
    severity: 'medium',
    title: 'MySQL: column redefined with MODIFY/CHANGE',
    headline: (c) => `${col(c)} is redefined`,
    body: () =>
      'When the type changes, InnoDB copies the whole table (ALGORITHM=COPY) and blocks writes until the copy ends; narrowing a type can also truncate values or fail on existing data.',
    fix: 'Add ALGORITHM=INPLACE, LOCK=NONE so MySQL refuses instead of locking, or run type changes through an online schema change tool (gh-ost, pt-online-schema-change).',
    lockAware: false,
  },
  {
    id: 'schema/mysql-index-without-online-ddl',
    severity: 'medium',
    title: 'MySQL: index built without ALGORITHM=INPLACE, LOCK=NONE',
    headline: (c) =>
      `Index${on(c)} is built without ALGORITHM=INPLACE, LOCK=NONE`,
    body: () =>
      'Without an explicit ALGORITHM and LOCK, MySQL chooses them itself; when the change cannot run online it silently falls back to a table copy that blocks writes on the table for the whole build.',
    fix: 'Add ALGORITHM=INPLACE, LOCK=NONE so the statement fails fast instead of locking, or use an online schema change tool.',
    lockAware: false,
  },
  {
    id: 'schema/mysql-adding-foreign-key',
    severity: 'medium',
    title: 'MySQL: foreign key added to an existing table',
    headline: (c) => `Foreign key${on(c)} is added to an existing table`,
    body: () =>
      'With foreign_key_checks on, ADD FOREIGN KEY cannot run in place: InnoDB copies the table and blocks writes until the copy ends.',
    fix: 'Add the key through an online schema change tool, or with foreign_key_checks=0 for that statement (it then runs in place) after verifying the data separately.',
    lockAware: false,
  },
  ...MYSQL_RULES,
  // ORM-specific rules.
  ...RAILS_RULES,
  ...DATA_RULES,
  {
    id: 'schema/prisma-unique-added',
    severity: 'high',
    title: 'Prisma: @unique added to an existing field',
    headline: (c) => `@unique is added to ${col(c)}`,
    body: () =>
      'Prisma creates the unique index without CONCURRENTLY, which blocks writes to the table for the whole build, and the migration fails if existing rows contain duplicates.',
    fix: 'Remove duplicates first; generate the migration with `prisma migrate dev --create-only` and change it to CREATE UNIQUE INDEX CONCURRENTLY in a migration of its own.',
    lock: 'Share',
    lockAware: true,
  },
  // Migration history.
  {
    id: 'schema/edited-applied-migration',
    severity: 'medium',
    title: 'A migration that is already on the base branch is edited',
    headline: () =>
      'This migration already exists on the base branch and is edited in place',
    body: () =>
      'Migration tools record which migrations ran and never run one again: databases that already applied this file (production, staging, other developers) keep the old version, while new databases get the edited one, so the schemas drift apart. Tools that checksum migrations (Prisma, Flyway, Liquibase) also refuse to continue once an applied file changes.',
    fix: 'Leave the applied migration as it was and put the change in a new migration; if the edit only helps fresh installs, say so in the pull request and check that the next migration works from both versions.',
    lockAware: false,
  },
  // Cross-checks against code at the head revision.
  {
    id: 'schema/dropped-column-still-referenced',
    severity: 'critical',
    title: 'Dropped or renamed column still referenced in code',
    headline: (c) =>
      `${col(c)} is ${c.newName ? 'renamed' : 'dropped'} but code still uses it`,
    body: (c) =>
      `The migration ${c.newName ? `renames the column to \`${c.newName}\`` : 'drops the column'} while code at the head of this branch still refers to \`${c.column ?? 'it'}\` (see the related locations). Those code paths fail with an unknown-column error as soon as the migration runs.`,
    fix: 'Update or remove these references and deploy them before the migration that drops or renames the column.',
    lockAware: false,
  },
  {
    id: 'schema/dropped-table-still-referenced',
    severity: 'critical',
    title: 'Dropped or renamed table still referenced in code',
    headline: (c) =>
      `Table ${tbl(c)} is ${c.newName ? 'renamed' : 'dropped'} but code still uses it`,
    body: (c) =>
      `The migration ${c.newName ? `renames the table to \`${c.newName}\`` : 'drops the table'} while code at the head of this branch still refers to it (see the related locations). Those code paths fail with an unknown-table error as soon as the migration runs.`,
    fix: 'Update or remove these references and deploy them before the migration that drops or renames the table.',
    lockAware: false,
  },
];

export const CATALOG: ReadonlyMap<string, CatalogEntry> = new Map(
  entries.map((e) => [e.id, e]),
);

/** Catalog entry for a rule id; squawk rules this catalog does not know yet get a generic entry. */
export function catalogEntry(
  ruleId: string,
  fallbackMessage?: string,
): CatalogEntry {
  const known = CATALOG.get(ruleId);
  if (known) return known;
  const name = ruleId.replace(/^schema\//, '');
  return {
    id: ruleId,
    severity: 'medium',
    title: `squawk: ${name}`,
    headline: () => `squawk: ${name}`,
    body: () => fallbackMessage ?? `squawk reports ${name} here.`,
    fix: `See squawk's documentation for ${name}.`,
    lockAware: true,
  };
}
