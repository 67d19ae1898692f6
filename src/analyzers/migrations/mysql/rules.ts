import type { RuleContext } from '../catalog.ts';
import type { DocumentedEntry } from '../rule-page.ts';

const col = (ctx: RuleContext): string =>
  ctx.column
    ? ctx.table
      ? `\`${ctx.table}.${ctx.column}\``
      : `\`${ctx.column}\``
    : 'the column';
const tbl = (ctx: RuleContext): string =>
  ctx.table ? `\`${ctx.table}\`` : 'the table';

/** MySQL/MariaDB online-DDL rules, read from SQL files and from Rails migrations on a MySQL adapter. */
export const MYSQL_RULES: DocumentedEntry[] = [
  {
    id: 'schema/mysql-adding-check-constraint',
    severity: 'medium',
    title: 'MySQL: check constraint added to an existing table',
    headline: (c) => `Check constraint is added to ${tbl(c)}`,
    body: () =>
      'MySQL and MariaDB cannot add a CHECK constraint in place: InnoDB copies the table to validate every row and blocks writes until the copy ends.',
    fix: 'Validate the rule in the application, or add the constraint with an online schema change tool (gh-ost, pt-online-schema-change).',
    lockAware: false,
    page: {
      detects:
        '`ALTER TABLE … ADD CHECK (…)` / `ADD CONSTRAINT … CHECK` on an existing table, and `add_check_constraint` in a Rails app on MySQL/MariaDB (even with `validate: false`, which MySQL ignores).',
      example: {
        language: 'sql',
        code: 'ALTER TABLE users ADD CONSTRAINT credit_positive CHECK (credit_score > 0);',
      },
      reference:
        'MySQL reference manual, "Online DDL Operations" (ADD CHECK: rebuilds the table, ALGORITHM=COPY only); strong_migrations check `add_check_constraint_mysql`.',
    },
  },
  {
    id: 'schema/mysql-alter-not-online',
    severity: 'high',
    title: 'MySQL: ALTER that cannot run online',
    headline: (c) =>
      `The ALTER on ${tbl(c)} cannot run online${c.newName ? `: ${c.newName}` : ''}`,
    body: () =>
      'ALGORITHM=COPY rebuilds the table into a new one, and LOCK=SHARED or LOCK=EXCLUSIVE blocks writes (or reads and writes); either way the table is unavailable for writes for the whole statement, which on a large table is minutes to hours.',
    fix: 'Ask for ALGORITHM=INPLACE (or INSTANT) with LOCK=NONE where the operation allows it, so MySQL refuses instead of blocking; otherwise run the change with an online schema change tool (gh-ost, pt-online-schema-change).',
    lockAware: false,
    page: {
      detects:
        'On an existing table: `ALGORITHM=COPY`, `LOCK=SHARED` or `LOCK=EXCLUSIVE` in an `ALTER TABLE` or `CREATE INDEX`; a `FULLTEXT` or `SPATIAL` index build (never concurrent with writes); and `DROP PRIMARY KEY` without a new primary key in the same statement (copy only).',
      example: {
        language: 'sql',
        code: 'ALTER TABLE orders ADD COLUMN note TEXT, ALGORITHM=COPY, LOCK=SHARED;',
      },
      reference:
        'MySQL reference manual, "Online DDL Overview" (ALGORITHM and LOCK clauses).',
    },
  },
  {
    id: 'schema/mysql-charset-change',
    severity: 'high',
    title: 'MySQL: character set or collation changed on an existing table',
    headline: (c) =>
      `${c.column ? col(c) : tbl(c)} changes character set or collation`,
    body: () =>
      'Changing a character set or collation rewrites every stored string and rebuilds the indexes on them with a table copy that blocks writes; indexed VARCHARs can also outgrow the index key limit under utf8mb4, and comparisons and uniqueness change with the collation.',
    fix: 'Convert with an online schema change tool, check index key lengths first, and test queries that compare or sort the converted strings.',
    lockAware: false,
    page: {
      detects:
        '`ALTER TABLE … CONVERT TO CHARACTER SET`, `ALTER TABLE … [DEFAULT] CHARSET=`/`COLLATE=`, and `MODIFY`/`CHANGE` of a column with `CHARACTER SET` or `COLLATE`, on an existing table.',
      example: {
        language: 'sql',
        code: 'ALTER TABLE users CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;',
      },
      reference:
        'MySQL reference manual, "Online DDL Operations" (converting a character set: rebuilds the table, ALGORITHM=COPY).',
    },
  },
  {
    id: 'schema/mysql-foreign-key-without-index',
    severity: 'high',
    title: 'MySQL: foreign key to columns no index leads',
    headline: (c) =>
      `No index of ${tbl(c)} starts with ${c.column ? `\`${c.column}\`` : 'the referenced columns'}`,
    body: () =>
      'InnoDB needs an index on the referenced table whose first columns are the referenced ones (MySQL 8.4 by default wants a primary or unique key); without it the statement fails with "Missing index for constraint" (error 1822) and the deploy stops at this migration.',
    fix: 'Reference the primary key or a unique key, or create the index on the referenced columns in an earlier statement.',
    lockAware: false,
    page: {
      detects:
        'A `FOREIGN KEY … REFERENCES parent (columns)` in `CREATE TABLE` or `ALTER TABLE … ADD`, where `parent` is defined by this or an earlier migration of the same folder and none of its indexes (primary key, unique keys, keys, indexes) starts with those columns. Referenced tables the migrations do not define are not judged.',
      example: {
        language: 'sql',
        code: 'CREATE TABLE teams (id INT PRIMARY KEY, code VARCHAR(8));\nALTER TABLE users ADD CONSTRAINT fk_users_team FOREIGN KEY (team_code) REFERENCES teams (code);',
      },
      reference:
        'MySQL reference manual, "FOREIGN KEY Constraints" (conditions and restrictions: the referenced columns must be indexed).',
    },
  },
  {
    id: 'schema/mysql-non-atomic-table-swap',
    severity: 'high',
    title: 'MySQL: table swapped with separate renames',
    headline: (c) =>
      `\`${c.newName ?? 'the table'}\` is missing between two renames`,
    body: () =>
      'Between the statement that renames the old table away and the one that renames the new table into place, the name does not exist, so every query in that window fails with "table doesn\'t exist".',
    fix: 'Swap both in one statement, which MySQL runs atomically: RENAME TABLE a TO a_old, a_new TO a;',
    lockAware: false,
    page: {
      detects:
        'A `RENAME TABLE` (or `ALTER TABLE … RENAME`) that moves a table away from a name, followed in the same migration by a separate statement that renames another table to that name.',
      example: {
        language: 'sql',
        code: 'RENAME TABLE users TO users_old;\nRENAME TABLE users_new TO users;',
      },
      reference:
        'MySQL reference manual, "RENAME TABLE Statement" (several renames in one statement are atomic).',
    },
  },
];
