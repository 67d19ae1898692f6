import type { RuleContext } from '../catalog.ts';
import type { DocumentedEntry } from '../rule-page.ts';

const col = (ctx: RuleContext): string =>
  ctx.column
    ? ctx.table
      ? `\`${ctx.table}.${ctx.column}\``
      : `\`${ctx.column}\``
    : 'the column';
const on = (ctx: RuleContext): string =>
  ctx.table ? ` on \`${ctx.table}\`` : '';
const SM = (check: string): string =>
  `strong_migrations check \`${check}\` (github.com/ankane/strong_migrations).`;

/**
 * Rails migration risks that only strong_migrations names (no SQL rule says the same), with its
 * check names as ids: `schema/rails-<check>`. Risks a SQL rule already covers keep that rule's id.
 */
export const RAILS_RULES: DocumentedEntry[] = [
  {
    id: 'schema/rails-add-column-default-callable',
    severity: 'high',
    title: 'Rails: column added with a callable default',
    headline: (c) =>
      `${col(c)} is added with a default computed by the database`,
    body: () =>
      'A `default: -> { … }` is an SQL expression evaluated for every existing row, so the database rewrites the whole table (Postgres) or copies it (MySQL/MariaDB) while it blocks writes.',
    fix: 'Add the column without a default, then `change_column_default` with the expression in a separate step, and backfill existing rows in batches.',
    lockAware: false,
    page: {
      detects:
        '`add_column` (or `t.<type>` in `change_table`) with `default: -> { … }` on an existing table.',
      example: {
        language: 'ruby',
        code: 'add_column :users, :joined_at, :datetime, default: -> { "CURRENT_TIMESTAMP" }',
      },
      reference: SM('add_column_default_callable'),
    },
  },
  {
    id: 'schema/rails-add-column-default',
    severity: 'high',
    title: 'Rails: column added with a default on an older MySQL/MariaDB',
    headline: (c) =>
      `${col(c)} is added with a default, which rebuilds the table${on(c)} on the target server version`,
    body: () =>
      'Before MySQL 8.0.12 and MariaDB 10.3.2 a column cannot be added instantly: the server rebuilds the whole table to write the default into every row, which takes as long as a copy of the table and holds metadata locks at its start and end that queue every query behind it.',
    fix: 'Add the column without a default, set the default with `change_column_default` in a separate migration, and backfill existing rows in batches; or upgrade to a server version that adds columns instantly.',
    lockAware: false,
    page: {
      detects:
        '`add_column … default: <value>` on an existing table of a MySQL/MariaDB app whose `config/initializers/strong_migrations.rb` sets a `target_version` (or `target_mysql_version` / `target_mariadb_version`) older than MySQL 8.0.12 or MariaDB 10.3.2. Without a target version the server is taken to be recent and nothing is reported.',
      example: {
        language: 'ruby',
        code: 'add_column :users, :active, :boolean, default: true',
      },
      reference: SM('add_column_default'),
    },
  },
  {
    id: 'schema/rails-add-exclusion-constraint',
    severity: 'high',
    title: 'Rails: exclusion constraint added to an existing table',
    headline: (c) => `An exclusion constraint is added${on(c)}`,
    body: () =>
      'Postgres builds the index behind an exclusion constraint and checks every existing row while it holds an ACCESS EXCLUSIVE lock, so reads and writes on the table wait until the build ends. Unlike CHECK or foreign-key constraints, an exclusion constraint cannot be added NOT VALID, and unlike a unique constraint it cannot be attached to an index built concurrently beforehand.',
    fix: 'Add it while the table is small or in a maintenance window, inside `safety_assured`; or enforce the rule in the application, or in a trigger, on a table that is already large.',
    lockAware: false,
    page: {
      detects:
        '`add_exclusion_constraint` on a table that exists before the migration, in a Postgres app.',
      example: {
        language: 'ruby',
        code: 'add_exclusion_constraint :bookings, "room_id WITH =, period WITH &&", using: :gist',
      },
      reference: SM('add_exclusion_constraint'),
    },
  },
  {
    id: 'schema/rails-rename-enum-value',
    severity: 'high',
    title: 'Rails: enum value renamed',
    headline: () =>
      'An enum value is renamed while running code still uses the old one',
    body: () =>
      'The rename takes effect at once, but the release that is still running during the deploy (and any worker, job or report that has not been updated) keeps writing and comparing the old value: its writes fail with "invalid input value for enum" and its queries stop matching rows.',
    fix: 'Add the new value with `add_enum_value`, deploy code that writes the new value and reads both, move existing rows over in batches, and stop using the old value; Postgres cannot drop an enum value, so leave it unused or recreate the type later.',
    lockAware: false,
    page: {
      detects: '`rename_enum_value` in a Postgres app.',
      example: {
        language: 'ruby',
        code: 'rename_enum_value :task_status, from: "done", to: "completed"',
      },
      reference: SM('rename_enum_value'),
    },
  },
  {
    id: 'schema/rails-change-column-constraint',
    severity: 'high',
    title: 'Rails: type changed on a column with check constraints',
    headline: (c) =>
      `The type of ${col(c)} changes while check constraints use it`,
    body: () =>
      'Even a type change Postgres makes in place (no table rewrite) re-checks every row against each check constraint that uses the column, under an ACCESS EXCLUSIVE lock: reads and writes on the table wait until every row has been checked.',
    fix: 'Drop the check constraints on the column before changing its type, then add them back with `validate: false` and validate them in a separate migration.',
    lockAware: false,
    page: {
      detects:
        '`change_column` in a Postgres app to a type that needs no rewrite (say `string` to `text`) of a column that a check constraint in db/schema.rb, or one added earlier in the migration, mentions.',
      example: {
        language: 'ruby',
        code: 'change_column :users, :name, :text # with a check constraint "name = lower(name)"',
      },
      reference: SM('change_column_constraint'),
    },
  },
  {
    id: 'schema/rails-add-column-json',
    severity: 'medium',
    title: 'Rails: json column added on Postgres',
    headline: (c) => `${col(c)} is added as \`json\``,
    body: () =>
      'Postgres has no equality operator for `json`, so queries that use DISTINCT or UNION over the table (including ones Rails generates) start failing with "could not identify an equality operator for type json".',
    fix: 'Use `jsonb` instead.',
    lockAware: false,
    page: {
      detects: '`add_column … :json` on an existing table of a Postgres app.',
      example: {
        language: 'ruby',
        code: 'add_column :users, :properties, :json',
      },
      reference: SM('add_column_json'),
    },
  },
  {
    id: 'schema/rails-add-column-generated-stored',
    severity: 'high',
    title: 'Rails: stored generated column added',
    headline: (c) => `Stored generated column ${col(c)} rewrites the table`,
    body: () =>
      'A STORED generated column is computed and written for every existing row when it is added, so the table is rewritten (Postgres) or copied (MySQL/MariaDB) while writes are blocked.',
    fix: 'Add a plain column, fill it from a trigger or the application and backfill in batches; on MySQL/MariaDB a VIRTUAL generated column is added in place.',
    lockAware: false,
    page: {
      detects: '`add_column … :virtual, stored: true` on an existing table.',
      example: {
        language: 'ruby',
        code: 'add_column :users, :email_lower, :virtual, type: :string, as: "LOWER(email)", stored: true',
      },
      reference: SM('add_column_generated_stored'),
    },
  },
  {
    id: 'schema/rails-add-column-auto-incrementing',
    severity: 'high',
    title: 'Rails: auto-incrementing column added',
    headline: (c) => `Auto-incrementing ${col(c)} rewrites the table`,
    body: () =>
      'Adding a `primary_key`, `serial` or `bigserial` column fills a new value into every existing row, so the table is rewritten or copied while writes are blocked.',
    fix: 'Create a new table with the column and copy the data over in batches, or add a plain column and backfill it.',
    lockAware: false,
    page: {
      detects:
        '`add_column` of type `primary_key`, `serial` or `bigserial` on an existing table.',
      example: {
        language: 'ruby',
        code: 'add_column :users, :number, :bigserial',
      },
      reference: SM('add_column_auto_incrementing'),
    },
  },
  {
    id: 'schema/rails-add-index-columns',
    severity: 'low',
    title: 'Rails: non-unique index on more than three columns',
    headline: (c) => `Index${on(c)} covers more than three columns`,
    body: () =>
      'A non-unique index on more than three columns is rarely used past its first columns by the planner, yet it costs space and slows every write to the table.',
    fix: 'Index at most three columns, starting with the most selective ones.',
    lockAware: false,
    page: {
      detects:
        '`add_index` with more than three columns and without `unique: true`.',
      example: {
        language: 'ruby',
        code: 'add_index :users, [:name, :city, :country, :deleted_at]',
      },
      reference: SM('add_index_columns'),
    },
  },
  {
    id: 'schema/rails-change-column-default',
    severity: 'medium',
    title: 'Rails: default of an existing column changed',
    headline: (c) => `The default of ${col(c)} changes`,
    body: () =>
      'With partial inserts off (the default since Rails 7), the previous release writes every column on INSERT, including the old default it cached, so rows created during the deploy keep the old default.',
    fix: 'Deploy the new default first and then code that relies on it, or set the value explicitly in the application.',
    lockAware: false,
    page: {
      detects:
        '`change_column_default` on a column this migration did not add.',
      example: {
        language: 'ruby',
        code: 'change_column_default :users, :status, "active"',
      },
      reference: SM('change_column_default'),
    },
  },
  {
    id: 'schema/rails-change-column-null',
    severity: 'medium',
    title: 'Rails: NOT NULL set with a backfill default',
    headline: (c) => `Making ${col(c)} NOT NULL updates every NULL row at once`,
    body: () =>
      'The fourth argument of `change_column_null` runs one UPDATE over every NULL row inside the migration, which locks those rows and can run for a long time on a large table.',
    fix: 'Backfill the NULLs in batches in a separate migration first, then call `change_column_null` without the default.',
    lockAware: false,
    page: {
      detects:
        '`change_column_null :table, :column, false, <default>` on MySQL/MariaDB (on Postgres `schema/adding-not-nullable-field` reports it).',
      example: {
        language: 'ruby',
        code: 'change_column_null :users, :name, false, "Anonymous"',
      },
      reference: SM('change_column_null'),
    },
  },
  {
    id: 'schema/rails-copy-algorithm',
    severity: 'high',
    title: 'Rails: ALGORITHM=COPY requested on MySQL/MariaDB',
    headline: (c) =>
      `\`algorithm: :copy\` copies${c.table ? ` \`${c.table}\`` : ' the table'}`,
    body: () =>
      'ALGORITHM=COPY rebuilds the whole table into a new one and blocks writes to it until the copy ends.',
    fix: 'Use `algorithm: :inplace` or `:instant` (MySQL then refuses instead of copying), or run the change with an online schema change tool.',
    lockAware: false,
    page: {
      detects:
        '`algorithm: :copy` on `add_column`, `add_index`, `add_reference`, `change_column` and friends, in a MySQL/MariaDB app.',
      example: {
        language: 'ruby',
        code: 'add_index :users, :email, algorithm: :copy',
      },
      reference: SM('copy_algorithm'),
    },
  },
  {
    id: 'schema/rails-lock-option',
    severity: 'high',
    title: 'Rails: shared or exclusive lock requested on MySQL/MariaDB',
    headline: (c) =>
      `\`lock:\` blocks writes to${c.table ? ` \`${c.table}\`` : ' the table'}`,
    body: () =>
      'LOCK=SHARED blocks writes and LOCK=EXCLUSIVE blocks reads and writes for the whole statement.',
    fix: 'Use `lock: :none` (MySQL then refuses if it cannot run the change online), or leave the option out.',
    lockAware: false,
    page: {
      detects:
        '`lock: :shared` or `lock: :exclusive` on a schema call in a MySQL/MariaDB app.',
      example: {
        language: 'ruby',
        code: 'add_column :users, :active, :boolean, lock: :shared',
      },
      reference: SM('lock_option'),
    },
  },
  {
    id: 'schema/rails-create-table-force',
    severity: 'high',
    title: 'Rails: create_table with force',
    headline: (c) =>
      `\`force:\` drops \`${c.table ?? 'the table'}\` if it exists`,
    body: () =>
      'With `force: true` or `force: :cascade`, `create_table` first drops a table of the same name, with all its rows (and with :cascade, the foreign keys that point at it).',
    fix: 'Remove `force:`; drop an old table explicitly in its own migration if that is intended.',
    lockAware: false,
    page: {
      detects: '`create_table` or `create_join_table` with a `force:` option.',
      example: {
        language: 'ruby',
        code: 'create_table :admins, force: :cascade do |t|\n  t.string :name\nend',
      },
      reference: SM('create_table'),
    },
  },
  {
    id: 'schema/rails-rename-schema',
    severity: 'high',
    title: 'Rails: schema renamed',
    headline: (c) => `Schema \`${c.table ?? 'the schema'}\` is renamed`,
    body: () =>
      'Every query that names the old schema fails as soon as the migration runs, including those of the previous release during a rolling deploy.',
    fix: 'Create the new schema, move the tables and code over step by step, then drop the old schema.',
    lockAware: false,
    page: {
      detects: '`rename_schema`.',
      example: { language: 'ruby', code: 'rename_schema :public, :app' },
      reference: SM('rename_schema'),
    },
  },
  {
    id: 'schema/rails-validate-foreign-key',
    severity: 'medium',
    title: 'Rails: foreign key validated in the transaction that adds it',
    headline: (c) =>
      `Foreign key${on(c)} is validated in the same transaction that adds it`,
    body: () =>
      'In one transaction, the lock `add_foreign_key` takes is held while `validate_foreign_key` scans the table, so writes to both tables stall for the whole scan; this is what `validate: false` is meant to avoid.',
    fix: 'Validate in a separate migration, or add `disable_ddl_transaction!` so each statement commits on its own.',
    lockAware: false,
    page: {
      detects:
        '`validate_foreign_key` in a migration that runs in a transaction and adds a foreign key too (Postgres).',
      example: {
        language: 'ruby',
        code: 'add_foreign_key :users, :orders, validate: false\nvalidate_foreign_key :users, :orders',
      },
      reference: SM('validate_foreign_key'),
    },
  },
  {
    id: 'schema/rails-validate-check-constraint',
    severity: 'medium',
    title: 'Rails: check constraint validated in the transaction that adds it',
    headline: (c) =>
      `Check constraint${on(c)} is validated in the same transaction that adds it`,
    body: () =>
      'In one transaction, the ACCESS EXCLUSIVE lock of `add_check_constraint` is held while `validate_check_constraint` scans the table, so reads and writes stop for the whole scan.',
    fix: 'Validate in a separate migration, or add `disable_ddl_transaction!` so each statement commits on its own.',
    lockAware: false,
    page: {
      detects:
        '`validate_check_constraint` in a migration that runs in a transaction and adds a check constraint too (Postgres).',
      example: {
        language: 'ruby',
        code: 'add_check_constraint :users, "price > 0", name: "price_check", validate: false\nvalidate_check_constraint :users, name: "price_check"',
      },
      reference: SM('validate_check_constraint'),
    },
  },
];
