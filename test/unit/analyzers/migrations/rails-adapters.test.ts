import { describe, expect, it } from 'vitest';
import {
  decideAdapter,
  readSchema,
  readSettings,
} from '../../../../src/analyzers/migrations/orm/rails-project.ts';
import { changeColumnIsSafe } from '../../../../src/analyzers/migrations/orm/rails-types.ts';
import { lines } from './builder.ts';
import { analyze, summary } from './helpers.ts';

const path = 'db/migrate/20240101000000_change_users.rb';
const migration = (body: string[], header: string[] = []): string =>
  lines(
    'class ChangeUsers < ActiveRecord::Migration[8.0]',
    ...header.map((l) => `  ${l}`),
    '  def change',
    ...body.map((l) => `    ${l}`),
    '  end',
    'end',
    '',
  );

const SCHEMA = lines(
  'ActiveRecord::Schema[8.0].define(version: 2024_01_01_000000) do',
  '  create_table "users", force: :cascade do |t|',
  '    t.string "name"',
  '    t.string "country", limit: 20',
  '    t.text "description"',
  '    t.decimal "credit_score", precision: 10, scale: 5',
  '    t.check_constraint "name IS NOT NULL", name: "users_name_null", validate: false',
  '    t.index ["description"], name: "index_users_on_description"',
  '  end',
  'end',
  '',
);

const app = (
  adapter: 'postgresql' | 'mysql2',
  extra: Record<string, string> = {},
) => ({
  unchanged: {
    'config/database.yml': `production:\n  adapter: ${adapter}\n`,
    'db/schema.rb': SCHEMA,
    ...extra,
  },
});

/** Findings of one migration body in a Postgres or MySQL app. */
async function run(
  adapter: 'postgresql' | 'mysql2',
  body: string[],
  options: { header?: string[]; extra?: Record<string, string> } = {},
): Promise<string[]> {
  const { findings } = await analyze(
    [{ path, head: migration(body, options.header) }],
    app(adapter, options.extra),
  );
  return summary(findings);
}

describe('Rails app settings', () => {
  it('takes the adapter from config/database.yml, then the Gemfile, else Postgres', () => {
    const yml = lines(
      'default: &default',
      '  adapter: trilogy',
      '  pool: <%= ENV.fetch("RAILS_MAX_THREADS") { 5 } %>',
      'production:',
      '  <<: *default',
      '  database: app',
      '',
    );
    expect(decideAdapter(yml, undefined)).toEqual({
      adapter: 'mysql',
      basis: 'config/database.yml',
    });
    expect(
      decideAdapter(
        'production:\n  primary:\n    adapter: postgresql\n',
        undefined,
      ).adapter,
    ).toBe('postgres');
    expect(
      decideAdapter(
        undefined,
        lines(
          'source "https://rubygems.org"',
          'gem "rails"',
          'gem "mysql2", "~> 0.5"',
          '',
        ),
      ),
    ).toEqual({ adapter: 'mysql', basis: 'Gemfile' });
    expect(
      decideAdapter('production:\n  adapter: <%= ENV["DB"] %>\n', 'gem "pg"\n'),
    ).toEqual({ adapter: 'postgres', basis: 'Gemfile' });
    expect(decideAdapter(undefined, undefined).adapter).toBe('postgres');
    expect(
      decideAdapter('development:\n  adapter: sqlite3\n', undefined).adapter,
    ).toBe('other');
    const multi = lines(
      'production:',
      '  primary:',
      '    adapter: postgresql',
      '  queue:',
      '    adapter: sqlite3',
      '    migrations_paths: db/queue_migrate',
      '',
    );
    expect(decideAdapter(multi, undefined).adapter).toBe('postgres');
    expect(decideAdapter(multi, undefined, 'queue').adapter).toBe('other');
  });

  it('reads plain-value strong_migrations settings and ignores computed ones', () => {
    const settings = readSettings(
      lines(
        'StrongMigrations.start_after = 2024_01_01_000000',
        'StrongMigrations.target_postgresql_version = "10"',
        'StrongMigrations.safe_by_default = ENV["SAFE"] == "1"',
        'StrongMigrations.disable_check(:add_index)',
        'StrongMigrations.enable_check(:remove_index)',
        '',
      ),
    );
    expect(settings).toEqual({
      startAfter: 20240101000000,
      targetVersion: { postgres: '10' },
      disabled: new Set(['add_index']),
      enabled: new Set(['remove_index']),
      safeByDefault: false,
    });
  });

  it('reads columns, indexes and NOT NULL checks from db/schema.rb', () => {
    const users = readSchema(SCHEMA).get('users')!;
    expect(users.columns.get('country')).toEqual({
      type: 'string',
      options: new Map([['limit', '20']]),
    });
    expect(users.indexed).toEqual(new Set(['description']));
    expect(users.notNullChecks).toEqual(new Map([['users_name_null', 'name']]));
  });

  it('knows which column type changes stay in place on each adapter', () => {
    const country = { type: 'string', options: new Map([['limit', '20']]) };
    const m = (entries: Array<[string, string]>) => new Map(entries);
    expect(
      changeColumnIsSafe(
        'mysql',
        country,
        'string',
        m([['limit', '63']]),
        false,
      ),
    ).toBe(true);
    expect(
      changeColumnIsSafe(
        'mysql',
        country,
        'string',
        m([['limit', '64']]),
        false,
      ),
    ).toBe(false);
    expect(
      changeColumnIsSafe(
        'mysql',
        country,
        'string',
        m([['limit', '19']]),
        false,
      ),
    ).toBe(false);
    expect(
      changeColumnIsSafe(
        'postgres',
        country,
        'string',
        m([['limit', '256']]),
        false,
      ),
    ).toBe(true);
    expect(changeColumnIsSafe('postgres', country, 'text', m([]), false)).toBe(
      true,
    );
    expect(
      changeColumnIsSafe(
        'postgres',
        { type: 'text', options: m([]) },
        'citext',
        m([]),
        true,
      ),
    ).toBe(false);
    expect(
      changeColumnIsSafe(
        'postgres',
        {
          type: 'decimal',
          options: m([
            ['precision', '10'],
            ['scale', '5'],
          ]),
        },
        'decimal',
        m([
          ['precision', '11'],
          ['scale', '5'],
        ]),
        false,
      ),
    ).toBe(true);
    expect(
      changeColumnIsSafe(
        'postgres',
        {
          type: 'decimal',
          options: m([
            ['precision', '10'],
            ['scale', '5'],
          ]),
        },
        'decimal',
        m([
          ['precision', '10'],
          ['scale', '6'],
        ]),
        false,
      ),
    ).toBe(false);
    expect(
      changeColumnIsSafe(
        'postgres',
        country,
        'string',
        m([
          ['limit', '20'],
          ['null', 'false'],
        ]),
        false,
      ),
    ).toBe(false);
    expect(
      changeColumnIsSafe('postgres', undefined, 'text', m([]), false),
    ).toBe(false);
  });
});

describe('Rails migrations per adapter', () => {
  it('judges change_column against the column in db/schema.rb', async () => {
    expect(
      await run('mysql2', [
        'change_column :users, :country, :string, limit: 21',
      ]),
    ).toEqual([]);
    expect(
      await run('mysql2', [
        'change_column :users, :country, :string, limit: 64',
      ]),
    ).toEqual(['schema/mysql-changing-column-type@3']);
    expect(
      await run('postgresql', [
        'change_column :users, :country, :string, limit: 64',
      ]),
    ).toEqual([]);
    expect(
      await run('postgresql', ['change_column :users, :description, :citext']),
    ).toEqual(['schema/changing-column-type@3']);
  });

  it('uses the MySQL rules for drops, renames and foreign keys on MySQL, and no Postgres index rules', async () => {
    expect(
      await run('mysql2', [
        'remove_column :users, :name',
        'rename_column :users, :city, :town',
        'add_index :users, :name',
        'add_foreign_key :users, :orders, validate: false',
        'add_reference :users, :device, foreign_key: true',
      ]),
    ).toEqual([
      'schema/mysql-adding-foreign-key@6',
      'schema/mysql-adding-foreign-key@7',
      'schema/mysql-drop-column@3',
      'schema/mysql-renaming-column@4',
    ]);
  });

  it('reports algorithm: :copy on MySQL, not :inplace [+schema/rails-copy-algorithm -schema/rails-copy-algorithm]', async () => {
    expect(
      await run('mysql2', ['add_index :users, :name, algorithm: :copy']),
    ).toEqual(['schema/rails-copy-algorithm@3']);
    expect(
      await run('mysql2', [
        'add_index :users, :name, algorithm: :inplace',
        'add_reference :users, :device, index: { algorithm: :instant }',
      ]),
    ).toEqual([]);
  });

  it('reports lock: :shared and :exclusive on MySQL, not :none [+schema/rails-lock-option -schema/rails-lock-option]', async () => {
    expect(
      await run('mysql2', [
        'add_column :users, :nice, :boolean, lock: :shared',
        'add_reference :users, :device, index: { lock: :exclusive }',
      ]),
    ).toEqual(['schema/rails-lock-option@3', 'schema/rails-lock-option@4']);
    expect(
      await run('mysql2', ['add_column :users, :nice, :boolean, lock: :none']),
    ).toEqual([]);
  });

  it('reports callable defaults, not constant ones [+schema/rails-add-column-default-callable -schema/rails-add-column-default-callable]', async () => {
    expect(
      await run('mysql2', [
        'add_column :users, :joined_at, :datetime, default: -> { "(now())" }',
      ]),
    ).toEqual(['schema/rails-add-column-default-callable@3']);
    expect(
      await run('postgresql', [
        'add_column :users, :nice, :boolean, default: true',
      ]),
    ).toEqual([]);
  });

  it('reports json on Postgres, not jsonb or MySQL json [+schema/rails-add-column-json -schema/rails-add-column-json]', async () => {
    expect(
      await run('postgresql', ['add_column :users, :properties, :json']),
    ).toEqual(['schema/rails-add-column-json@3']);
    expect(
      await run('postgresql', ['add_column :users, :properties, :jsonb']),
    ).toEqual([]);
    expect(
      await run('mysql2', ['add_column :users, :properties, :json']),
    ).toEqual([]);
  });

  it('reports stored generated columns, not virtual ones [+schema/rails-add-column-generated-stored -schema/rails-add-column-generated-stored]', async () => {
    expect(
      await run('mysql2', [
        'add_column :users, :lower_city, :virtual, type: :string, as: "LOWER(city)", stored: true',
      ]),
    ).toEqual(['schema/rails-add-column-generated-stored@3']);
    expect(
      await run('mysql2', [
        'add_column :users, :lower_city, :virtual, type: :string, as: "LOWER(city)"',
      ]),
    ).toEqual([]);
  });

  it('reports auto-incrementing columns, not plain integers [+schema/rails-add-column-auto-incrementing -schema/rails-add-column-auto-incrementing]', async () => {
    expect(
      await run('postgresql', ['add_column :users, :number, :bigserial']),
    ).toEqual(['schema/rails-add-column-auto-incrementing@3']);
    expect(
      await run('postgresql', ['add_column :users, :number, :bigint']),
    ).toEqual([]);
  });

  it('reports non-unique indexes on more than three columns [+schema/rails-add-index-columns -schema/rails-add-index-columns]', async () => {
    expect(
      await run('mysql2', [
        'add_index :users, [:name, :city, :country, :deleted_at]',
      ]),
    ).toEqual(['schema/rails-add-index-columns@3']);
    expect(
      await run('mysql2', [
        'add_index :users, [:name, :city, :country, :deleted_at], unique: true',
        'add_index :users, [:name, :city]',
      ]),
    ).toEqual([]);
  });

  it('reports a changed default of an existing column, not of one added here [+schema/rails-change-column-default -schema/rails-change-column-default]', async () => {
    expect(
      await run('postgresql', ['change_column_default :users, :name, "Test"']),
    ).toEqual(['schema/rails-change-column-default@3']);
    expect(
      await run('postgresql', [
        'add_column :users, :nice, :boolean',
        'change_column_default :users, :nice, from: nil, to: true',
      ]),
    ).toEqual([]);
  });

  it('reports change_column_null with a backfill value on MySQL, not without [+schema/rails-change-column-null -schema/rails-change-column-null]', async () => {
    expect(
      await run('mysql2', ['change_column_null :users, :name, false, "Andy"']),
    ).toEqual(['schema/rails-change-column-null@3']);
    expect(
      await run('mysql2', ['change_column_null :users, :name, false']),
    ).toEqual([]);
  });

  it('accepts NOT NULL on Postgres once a NOT NULL check is validated', async () => {
    expect(
      await run('postgresql', ['change_column_null :users, :city, false']),
    ).toEqual(['schema/adding-not-nullable-field@3']);
    expect(
      await run(
        'postgresql',
        [
          'validate_check_constraint :users, name: "users_name_null"',
          'change_column_null :users, :name, false',
        ],
        { header: ['disable_ddl_transaction!'] },
      ),
    ).toEqual([]);
    const viaSql = [
      'safety_assured do',
      '  execute \'ALTER TABLE "users" ADD CONSTRAINT "city_null" CHECK ("city" IS NOT NULL) NOT VALID\'',
      '  execute \'ALTER TABLE "users" VALIDATE CONSTRAINT "city_null"\'',
      'end',
      'change_column_null :users, :city, false',
    ];
    expect(await run('postgresql', viaSql)).toEqual([]);
  });

  it('reports create_table with force, not without [+schema/rails-create-table-force -schema/rails-create-table-force]', async () => {
    expect(
      await run('mysql2', [
        'create_table :admins, force: :cascade do |t|',
        '  t.string :name',
        'end',
      ]),
    ).toEqual(['schema/rails-create-table-force@3']);
    expect(
      await run('mysql2', [
        'create_table :admins do |t|',
        '  t.string :name',
        'end',
        'add_index :admins, :name',
      ]),
    ).toEqual([]);
  });

  it('reports rename_schema, not rename_table inside safety_assured [+schema/rails-rename-schema -schema/rails-rename-schema]', async () => {
    expect(await run('postgresql', ['rename_schema :public, :app'])).toEqual([
      'schema/rails-rename-schema@3',
    ]);
    expect(
      await run('postgresql', [
        'safety_assured { rename_schema :public, :app }',
      ]),
    ).toEqual([]);
  });

  it('reports validating a foreign key in the transaction that adds it [+schema/rails-validate-foreign-key -schema/rails-validate-foreign-key]', async () => {
    const body = [
      'add_foreign_key :users, :orders, validate: false',
      'validate_foreign_key :users, :orders',
    ];
    expect(await run('postgresql', body)).toEqual([
      'schema/rails-validate-foreign-key@4',
    ]);
    expect(
      await run('postgresql', body, { header: ['disable_ddl_transaction!'] }),
    ).toEqual([]);
  });

  it('reports validating a check in the transaction that adds it [+schema/rails-validate-check-constraint -schema/rails-validate-check-constraint]', async () => {
    const body = [
      'add_check_constraint :users, "credit_score > 0", name: "credit_check", validate: false',
      'validate_check_constraint :users, name: "credit_check"',
    ];
    expect(await run('postgresql', body)).toEqual([
      'schema/rails-validate-check-constraint@4',
    ]);
    expect(
      await run('postgresql', body, { header: ['disable_ddl_transaction!'] }),
    ).toEqual([]);
  });

  it('reports add_check_constraint on MySQL even with validate: false [+schema/mysql-adding-check-constraint]', async () => {
    expect(
      await run('mysql2', [
        'add_check_constraint :users, "credit_score > 0", validate: false',
      ]),
    ).toEqual(['schema/mysql-adding-check-constraint@3']);
    expect(
      await run('postgresql', [
        'add_check_constraint :users, "credit_score > 0", validate: false',
      ]),
    ).toEqual([]);
  });

  it('lints execute SQL with the MySQL rules on a MySQL app', async () => {
    expect(
      await run('mysql2', [
        'execute "ALTER TABLE users ADD COLUMN age INT, ALGORITHM=COPY"',
      ]),
    ).toEqual(['schema/mysql-alter-not-online@3']);
  });

  it('judges a db/<name>_migrate migration by the adapter of that database', async () => {
    const yml = lines(
      'production:',
      '  primary:',
      '    adapter: postgresql',
      '  queue:',
      '    adapter: sqlite3',
      '',
    );
    const head = migration(['add_index :solid_queue_jobs, :queue_name']);
    const queue = await analyze(
      [{ path: 'db/queue_migrate/20240101000000_add_queue_index.rb', head }],
      { unchanged: { 'config/database.yml': yml } },
    );
    expect(summary(queue.findings)).toEqual([]);
    const primary = await analyze([{ path, head }], {
      unchanged: { 'config/database.yml': yml },
    });
    expect(summary(primary.findings)).toEqual([
      'schema/require-concurrent-index-creation@3',
    ]);
  });

  it('honours safety_assured blocks, disabled checks, safe_by_default and start_after', async () => {
    const body = [
      'safety_assured do',
      '  remove_column :users, :name',
      'end',
      'add_index :users, :city',
    ];
    expect(await run('postgresql', body)).toEqual([
      'schema/require-concurrent-index-creation@6',
    ]);
    const initializer = (text: string) => ({
      extra: { 'config/initializers/strong_migrations.rb': text },
    });
    expect(
      await run(
        'postgresql',
        body,
        initializer('StrongMigrations.disable_check(:add_index)\n'),
      ),
    ).toEqual([]);
    expect(
      await run(
        'postgresql',
        body,
        initializer('StrongMigrations.safe_by_default = true\n'),
      ),
    ).toEqual([]);
    expect(
      await run(
        'postgresql',
        ['remove_column :users, :name'],
        initializer('StrongMigrations.start_after = 20240101000000\n'),
      ),
    ).toEqual([]);
    expect(
      await run(
        'postgresql',
        ['remove_column :users, :name'],
        initializer('StrongMigrations.start_after = 20231231000000\n'),
      ),
    ).toEqual(['schema/ban-drop-column@3']);
  });

  it('reports any default before Postgres 11 when target_version says so', async () => {
    const body = ['add_column :users, :nice, :boolean, default: true'];
    expect(
      await run('postgresql', body, {
        extra: {
          'config/initializers/strong_migrations.rb':
            'StrongMigrations.target_version = 10\n',
        },
      }),
    ).toEqual(['schema/adding-field-with-default@3']);
  });

  it('reports a default on MySQL before 8.0.12 and MariaDB before 10.3.2 only [+schema/rails-add-column-default -schema/rails-add-column-default]', async () => {
    const body = ['add_column :users, :nice, :boolean, default: true'];
    const target = (line: string) => ({
      extra: { 'config/initializers/strong_migrations.rb': `${line}\n` },
    });
    const cases: Array<[string, string[]]> = [
      [
        'StrongMigrations.target_version = "5.7"',
        ['schema/rails-add-column-default@3'],
      ],
      [
        'StrongMigrations.target_mysql_version = "8.0.11"',
        ['schema/rails-add-column-default@3'],
      ],
      ['StrongMigrations.target_mysql_version = "8.0.12"', []],
      [
        'StrongMigrations.target_mariadb_version = "10.3.1"',
        ['schema/rails-add-column-default@3'],
      ],
      ['StrongMigrations.target_mariadb_version = "10.3.2"', []],
      // A plain target_version of 10 or more is a MariaDB number.
      [
        'StrongMigrations.target_version = "10.2"',
        ['schema/rails-add-column-default@3'],
      ],
      ['StrongMigrations.target_version = "10.11"', []],
    ];
    for (const [line, expected] of cases)
      expect(await run('mysql2', body, target(line)), line).toEqual(expected);
    // Without a target version the server is taken to be recent.
    expect(await run('mysql2', body)).toEqual([]);
    expect(
      await run(
        'mysql2',
        ['add_column :users, :nice, :boolean, default: nil'],
        target('StrongMigrations.target_version = "5.7"'),
      ),
    ).toEqual([]);
    expect(
      await run(
        'mysql2',
        [
          'safety_assured { add_column :users, :nice, :boolean, default: true }',
        ],
        target('StrongMigrations.target_version = "5.7"'),
      ),
    ).toEqual([]);
  });

  it('reports an exclusion constraint on an existing Postgres table [+schema/rails-add-exclusion-constraint -schema/rails-add-exclusion-constraint]', async () => {
    const add =
      'add_exclusion_constraint :users, "credit_score WITH =", using: :gist';
    expect(await run('postgresql', [add])).toEqual([
      'schema/rails-add-exclusion-constraint@3',
    ]);
    expect(
      await run('postgresql', [
        'create_table :rooms do |t|',
        '  t.decimal :credit_score',
        'end',
        add.replace(':users', ':rooms'),
      ]),
    ).toEqual([]);
    expect(await run('mysql2', [add])).toEqual([]);
  });

  it('reports a unique constraint unless it takes over an index built beforehand', async () => {
    expect(
      await run('postgresql', ['add_unique_constraint :users, :name']),
    ).toEqual(['schema/disallowed-unique-constraint@3']);
    expect(
      await run('postgresql', [
        'add_unique_constraint :users, using_index: "index_users_on_name"',
      ]),
    ).toEqual([]);
  });

  it('reports a renamed enum value, also of a type made in the same migration [+schema/rails-rename-enum-value -schema/rails-rename-enum-value]', async () => {
    const rename =
      'rename_enum_value :task_status, from: "done", to: "completed"';
    expect(await run('postgresql', [rename])).toEqual([
      'schema/rails-rename-enum-value@3',
    ]);
    expect(
      await run('postgresql', [
        'create_enum :task_status, ["new", "done"]',
        rename,
      ]),
    ).toEqual(['schema/rails-rename-enum-value@4']);
    expect(await run('postgresql', [`safety_assured { ${rename} }`])).toEqual(
      [],
    );
    expect(
      await run('postgresql', ['add_enum_value :task_status, "completed"']),
    ).toEqual([]);
  });

  it('reports an in-place type change of a column that check constraints use [+schema/rails-change-column-constraint -schema/rails-change-column-constraint]', async () => {
    // db/schema.rb has the check "name IS NOT NULL" on users.name, and none on users.description.
    expect(
      await run('postgresql', ['change_column :users, :name, :text']),
    ).toEqual(['schema/rails-change-column-constraint@3']);
    expect(
      await run('postgresql', ['change_column :users, :description, :text']),
    ).toEqual([]);
    expect(
      await run('postgresql', [
        'safety_assured { add_check_constraint :users, "description <> \'\'" }',
        'change_column :users, :description, :text',
      ]),
    ).toEqual(['schema/rails-change-column-constraint@4']);
    // A check that only mentions a longer name ("names") is not about the column.
    expect(
      await run('postgresql', [
        'safety_assured { add_check_constraint :users, "description_len > 0" }',
        'change_column :users, :description, :text',
      ]),
    ).toEqual([]);
    expect(await run('mysql2', ['change_column :users, :name, :text'])).toEqual(
      ['schema/mysql-changing-column-type@3'],
    );
  });
});
