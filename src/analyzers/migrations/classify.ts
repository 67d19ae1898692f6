import type { SqlDialect } from './sql/lexer.ts';

/** The kinds of migration file the analyzer reads. */
export type MigrationKind =
  | 'sql'
  | 'prisma-schema'
  | 'rails'
  | 'python'
  | 'js'
  | 'go';

const JS_EXTENSIONS = /\.(?:[cm]?[jt]s)$/i;
const MIGRATION_DIRS = new Set(['migrations', 'migration', 'migrate']);

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function segments(path: string): string[] {
  return path
    .split('/')
    .slice(0, -1)
    .map((s) => s.toLowerCase());
}

/** Which migration reader handles a path, by location and extension; undefined for other files. */
export function migrationKind(path: string): MigrationKind | undefined {
  const name = basename(path);
  const lower = name.toLowerCase();
  if (lower.endsWith('.sql')) return 'sql';
  if (lower.endsWith('.prisma')) return 'prisma-schema';
  const dirs = segments(path);
  if (lower.endsWith('.rb')) {
    // db/migrate, and Rails' multi-database db/<name>_migrate.
    const parent = dirs[dirs.length - 1];
    return dirs[dirs.length - 2] === 'db' &&
      parent !== undefined &&
      /^(?:\w+_)?migrate$/.test(parent)
      ? 'rails'
      : undefined;
  }
  if (lower.endsWith('.py')) {
    if (lower === '__init__.py' || lower === 'env.py') return undefined;
    const parent = dirs[dirs.length - 1];
    return parent === 'migrations' || parent === 'versions'
      ? 'python'
      : undefined;
  }
  if (lower.endsWith('.go')) {
    // Go migrations (SQL in Exec strings) live in a migrations folder; tests there are not migrations.
    return !lower.endsWith('_test.go') &&
      dirs.some((d) => MIGRATION_DIRS.has(d))
      ? 'go'
      : undefined;
  }
  if (
    JS_EXTENSIONS.test(lower) &&
    !lower.endsWith('.d.ts') &&
    !/\.(?:test|spec)\.[cm]?[jt]s$/.test(lower)
  ) {
    return dirs.some((d) => MIGRATION_DIRS.has(d)) ? 'js' : undefined;
  }
  return undefined;
}

/** The dialects a SQL file can be in; SQLite files are read for their drops and renames only. */
export type FileDialect = SqlDialect | 'sqlite';

export type SqlFileRole =
  | {
      kind: 'lint';
      dialect: FileDialect;
      /** Why that dialect, in words, for the coverage report. */
      dialectReason: string;
      assumeInTransaction: boolean;
      /** The file itself says it runs outside a transaction. */
      noTransactionMarker: boolean;
      framework: string;
      downLines: ReadonlySet<number>;
      /** The SQL to lint: the file, with `{{ … }}` template placeholders replaced by neutral identifiers. */
      sql: string;
    }
  | { kind: 'skip'; reason: string };

/**
 * Schema snapshots: a dump or "latest" description of the whole schema, regenerated or kept beside
 * the migrations. They are not run against a live database, so they are not linted, and a CREATE
 * TABLE in them says nothing about which tables are new.
 */
const SNAPSHOT_NAMES =
  /^(?:structure|schema|latest|fresh|install|init_schema|schema_dump|dump|baseline)(?:[._-][\w-]+)?\.sql$/;

export function isSchemaSnapshot(path: string, content?: string): boolean {
  const name = basename(path).toLowerCase();
  if (SNAPSHOT_NAMES.test(name)) return true;
  if (/(?:^|\/)db\/(?:schema\.rb|structure\.sql)$/.test(path)) return true;
  return (
    content !== undefined &&
    /^--\s*(?:PostgreSQL database dump|MySQL dump|Dumped from database)/m.test(
      content.slice(0, 4096),
    )
  );
}

/** `{{ index .Options "Namespace" }}`-style placeholders (Go templates, Jinja) become this identifier. */
const PLACEHOLDER = 'tmpl';

/** Replaces each `{{ … }}` on one line with a neutral identifier of the same line count. */
export function substitutePlaceholders(content: string): string {
  return content.replace(/\{\{[^}\n]*\}\}/g, PLACEHOLDER);
}

/** Files that undo a migration: their drops are expected. */
function isDownFile(path: string): boolean {
  const name = basename(path).toLowerCase();
  const dirs = segments(path);
  return (
    name.endsWith('.down.sql') ||
    name === 'down.sql' ||
    /^u\d[\w.]*__.*\.sql$/.test(name) ||
    dirs.includes('revert') ||
    dirs.includes('verify') ||
    dirs.includes('rollback') ||
    dirs.includes('rollbacks')
  );
}

/** Up/down section markers of goose, sql-migrate and dbmate. */
const UP_MARKER = /^--\s*(?:\+goose\s+up|\+migrate\s+up|migrate:up)\b/i;
const DOWN_MARKER = /^--\s*(?:\+goose\s+down|\+migrate\s+down|migrate:down)\b/i;

/**
 * How to lint a changed `.sql` file: its dialect, whether the migration tool wraps it in a
 * transaction, and which lines are a "down" section. Dumps and down migrations are skipped.
 */
export function sqlFileRole(
  path: string,
  content: string,
  repository?: { dialect: FileDialect; reason: string },
): SqlFileRole {
  const name = basename(path).toLowerCase();
  const head = content.slice(0, 4096);
  if (isSchemaSnapshot(path, content)) {
    return {
      kind: 'skip',
      reason:
        'not linted: a schema snapshot or dump, not a migration (its CREATE TABLEs do not make a table new)',
    };
  }
  if (isDownFile(path))
    return { kind: 'skip', reason: 'not linted: a down (rollback) migration' };
  // Control flow in templates ({% if %}) changes which statements exist; plain placeholders do not.
  if (/\{%/.test(content))
    return {
      kind: 'skip',
      reason:
        'not linted: templated SQL with {% … %} blocks is only SQL once rendered',
    };
  const sql = substitutePlaceholders(content);

  const lines = content.split('\n');
  const downLines = new Set<number>();
  let inDown = false;
  let goose = false;
  let sqlMigrate = false;
  let dbmate = false;
  let noTransaction = false;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (/^--\s*\+goose\b/i.test(line)) goose = true;
    if (/^--\s*\+migrate\b/i.test(line)) sqlMigrate = true;
    if (/^--\s*migrate:(?:up|down)\b/i.test(line)) dbmate = true;
    if (
      /^--\s*\S*\s*NO TRANSACTION\b/.test(line) ||
      /^--\s*\+goose\s+no\s+transaction\b/i.test(line) ||
      /^--\s*\+migrate\s+up\b.*\bnotransaction\b/i.test(line) ||
      /^--\s*migrate:up\b.*\btransaction:\s*false\b/i.test(line)
    ) {
      noTransaction = true;
    }
    if (UP_MARKER.test(line)) inDown = false;
    else if (DOWN_MARKER.test(line)) inDown = true;
    if (inDown) downLines.add(i + 1);
  });

  const { dialect, reason: dialectReason } = fileDialect(path, sql, repository);
  const dirs = segments(path);
  let framework = 'plain SQL';
  let assumeInTransaction = false;
  if (goose || sqlMigrate || dbmate) {
    framework = goose ? 'goose' : sqlMigrate ? 'sql-migrate' : 'dbmate';
    assumeInTransaction = !noTransaction;
  } else if (/^--\s*liquibase formatted sql/i.test(head.trimStart())) {
    framework = 'Liquibase';
    assumeInTransaction = !/runInTransaction:\s*false/i.test(content);
  } else if (
    name === 'migration.sql' &&
    dirs[dirs.length - 2] === 'migrations'
  ) {
    framework = 'Prisma Migrate';
    assumeInTransaction = true;
  } else if (name === 'up.sql' && dirs[dirs.length - 2] === 'migrations') {
    framework = 'Diesel';
    assumeInTransaction = true;
  } else if (/^[vr]\d*[\w.]*__.+\.sql$/.test(name)) {
    framework = 'Flyway';
    assumeInTransaction = true;
  } else if (name.endsWith('.up.sql')) {
    framework = 'golang-migrate';
  }
  return {
    kind: 'lint',
    dialect,
    dialectReason,
    assumeInTransaction,
    noTransactionMarker: noTransaction,
    framework,
    downLines,
    sql,
  };
}

const SQLITE_SIGNS = [
  /\bAUTOINCREMENT\b/i,
  /^\s*PRAGMA\s/im,
  /\bWITHOUT\s+ROWID\b/i,
  /\bstrftime\s*\(/i,
];

/**
 * The dialect of one SQL file: a `-- dialect:` comment, then the directory (`sqlite/`, `mysql/`,
 * `postgres/`, as repositories that support several databases lay them out), then syntax only one
 * dialect has, then the one database the repository's drivers point to. Postgres otherwise.
 */
export function fileDialect(
  path: string,
  content: string,
  repository?: { dialect: FileDialect; reason: string },
): { dialect: FileDialect; reason: string } {
  const declared = /^\s*--\s*dialect:\s*(\w+)/im.exec(content.slice(0, 4096));
  if (declared) {
    const word = declared[1]!.toLowerCase();
    return {
      dialect:
        word === 'sqlite' || word === 'sqlite3'
          ? 'sqlite'
          : word === 'mysql' || word === 'mariadb'
            ? 'mysql'
            : 'postgres',
      reason: 'a -- dialect: comment',
    };
  }
  const dirs = segments(path);
  if (dirs.some((d) => d.includes('sqlite')))
    return { dialect: 'sqlite', reason: 'its directory' };
  if (dirs.some((d) => /^(?:postgres|postgresql|pg|psql)$/.test(d)))
    return { dialect: 'postgres', reason: 'its directory' };
  const code = content
    .replace(/--[^\n]*/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '');
  const mysql = sqlDialect(path, content) === 'mysql';
  if (mysql)
    return {
      dialect: 'mysql',
      reason: dirs.some((d) => d.includes('mysql') || d.includes('mariadb'))
        ? 'its directory'
        : 'MySQL-only syntax',
    };
  if (SQLITE_SIGNS.some((sign) => sign.test(code)))
    return { dialect: 'sqlite', reason: 'SQLite-only syntax' };
  // Nothing in the file decides: the database the repository's drivers point to, else Postgres.
  return repository ?? { dialect: 'postgres', reason: 'the default' };
}

const MYSQL_SIGNS = [
  /`[^`\n]+`/,
  /\bENGINE\s*=/i,
  /\bAUTO_INCREMENT\b/i,
  /\bMODIFY\s+(?:COLUMN\s+)?\w/i,
  /\bCHANGE\s+COLUMN\b/i,
  /\bUNSIGNED\b/i,
  /\bDEFAULT\s+CHARSET\b/i,
];

/** Postgres unless the path, a `-- dialect:` comment or MySQL-only syntax says MySQL. */
export function sqlDialect(path: string, content: string): SqlDialect {
  const declared = /^\s*--\s*dialect:\s*(\w+)/im.exec(content.slice(0, 4096));
  if (declared)
    return /^(?:mysql|mariadb)$/i.test(declared[1]!) ? 'mysql' : 'postgres';
  if (
    segments(path).some((d) => d.includes('mysql') || d.includes('mariadb')) ||
    /mysql|mariadb/i.test(basename(path))
  )
    return 'mysql';
  // Comments often quote names with backticks; only the statements themselves count.
  const code = content
    .replace(/--[^\n]*/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '');
  return MYSQL_SIGNS.some((sign) => sign.test(code)) ? 'mysql' : 'postgres';
}

/** Blanks the given 1-based lines, keeping every line break so line numbers still match. */
export function blankLines(
  content: string,
  lines: ReadonlySet<number>,
): string {
  if (lines.size === 0) return content;
  return content
    .split('\n')
    .map((text, i) => (lines.has(i + 1) ? '' : text))
    .join('\n');
}
