import { describe, expect, it } from 'vitest';
import {
  fileDialect,
  isSchemaSnapshot,
  sqlFileRole,
} from '../../../../src/analyzers/migrations/classify.ts';
import { lines } from './builder.ts';
import { analyze, only, summary } from './helpers.ts';

describe('migration context: snapshots, dialects, templates', () => {
  it('knows schema snapshots and dumps from migrations', () => {
    for (const path of [
      'store/migration/sqlite/LATEST.sql',
      'schema.sql',
      'db/structure.sql',
      'db/schema.rb',
      'install/fresh.sql',
    ])
      expect(isSchemaSnapshot(path), path).toBe(true);
    for (const path of [
      'db/migrations/0002_schema_fix.sql',
      'migrations/001_init.sql',
    ])
      expect(isSchemaSnapshot(path), path).toBe(false);
  });

  it("a snapshot's CREATE TABLE does not make a table new [+schema/adding-not-nullable-field]", async () => {
    const migration = lines(
      'ALTER TABLE reaction ALTER COLUMN memo_id SET NOT NULL;',
      '',
    );
    const { findings } = await analyze([
      {
        path: 'store/migration/postgres/0.31/02__reaction.sql',
        head: migration,
      },
      {
        path: 'store/migration/postgres/LATEST.sql',
        base: 'CREATE TABLE memo (id int);\n',
        head: 'CREATE TABLE memo (id int);\nCREATE TABLE reaction (id int, memo_id int NOT NULL);\n',
      },
    ]);
    expect(summary(only(findings, 'schema/adding-not-nullable-field'))).toEqual(
      ['schema/adding-not-nullable-field@1'],
    );
    expect(findings.filter((f) => f.path.endsWith('LATEST.sql'))).toEqual([]);
  });

  it('decides the dialect per file from its directory and syntax', () => {
    expect(
      fileDialect(
        'store/migration/sqlite/0.26/02__drop_indexes.sql',
        'DROP INDEX idx;',
      ),
    ).toEqual({ dialect: 'sqlite', reason: 'its directory' });
    expect(
      fileDialect('store/migration/postgres/0.26/02.sql', 'DROP INDEX idx;'),
    ).toEqual({ dialect: 'postgres', reason: 'its directory' });
    expect(
      fileDialect(
        'db/1.sql',
        'CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT);',
      ).dialect,
    ).toBe('sqlite');
    expect(
      fileDialect('db/1.sql', 'ALTER TABLE `t` ADD COLUMN a INT;').dialect,
    ).toBe('mysql');
    expect(fileDialect('db/1.sql', 'ALTER TABLE t ADD COLUMN a int;')).toEqual({
      dialect: 'postgres',
      reason: 'the default',
    });
  });

  it("falls back to the database the repository's drivers point to, and says so", async () => {
    const migration = {
      path: 'db/migrations/0007_drop_nickname.sql',
      head: 'CREATE INDEX idx_users_email ON users (email);\n',
    };
    const rules = (findings: Parameters<typeof summary>[0]) =>
      summary(findings).map((s) => s.replace(/@\d+$/, ''));
    const mysql = await analyze([migration], {
      unchanged: {
        'go.mod':
          'module app\n\nrequire github.com/go-sql-driver/mysql v1.8.1\n',
      },
    });
    expect(rules(mysql.findings)).toEqual([
      'schema/mysql-index-without-online-ddl',
    ]);
    expect(mysql.notes.map((n) => n.message)).toContain(
      "MySQL migration: nothing in the file names its database, so the repository's go.mod decided",
    );
    const sqlite = await analyze([migration], {
      unchanged: {
        'package.json': '{"dependencies": {"better-sqlite3": "^12.0.0"}}',
      },
    });
    expect(sqlite.findings).toEqual([]);
    expect(sqlite.notes[0]!.message).toContain(
      "SQLite migration (the repository's package.json)",
    );
    // Drivers of two databases decide nothing: the default, Postgres, applies.
    const both = await analyze([migration], {
      unchanged: {
        'package.json':
          '{"dependencies": {"pg": "^8.0.0", "mysql2": "^3.0.0"}}',
      },
    });
    expect(rules(both.findings)).toContain(
      'schema/require-concurrent-index-creation',
    );
  });

  it('SQLite migrations get no Postgres advice [-schema/require-concurrent-index-deletion]', async () => {
    const { findings, notes } = await analyze([
      {
        path: 'store/migration/sqlite/0.26/02__drop_indexes.sql',
        head: 'DROP INDEX IF EXISTS idx_memo_creator;\n',
      },
    ]);
    expect(findings).toEqual([]);
    expect(notes[0]!.message).toContain('SQLite migration (its directory)');
  });

  it('lints migrations with {{ }} placeholders by substituting a neutral name [+schema/require-concurrent-index-creation]', async () => {
    const head = lines(
      'CREATE INDEX idx_flow ON {{ index .Options "Namespace" }}.flow_state (created_at);',
      '',
    );
    const role = sqlFileRole('migrations/20260101_flow.up.sql', head);
    expect(role.kind === 'lint' && role.sql.split('\n')[0]).toBe(
      'CREATE INDEX idx_flow ON tmpl.flow_state (created_at);',
    );
    const { findings } = await analyze([
      { path: 'migrations/20260101_flow.up.sql', head },
    ]);
    expect(
      summary(only(findings, 'schema/require-concurrent-index-creation')),
    ).toEqual(['schema/require-concurrent-index-creation@1']);
  });
});

describe('lock-aware timeout advice', () => {
  it('fires for a conflicting lock on an existing table, at low severity, naming the statement [+schema/require-lock-timeout] [+schema/require-statement-timeout]', async () => {
    const { findings } = await analyze([
      {
        path: 'db/migrations/003.sql',
        head: 'ALTER TABLE users ADD COLUMN bio text;\n',
      },
    ]);
    const [lock] = only(findings, 'schema/require-lock-timeout');
    expect(lock).toMatchObject({
      severity: 'low',
      fix: expect.stringContaining('before this ALTER TABLE on `users`'),
    });
    expect(only(findings, 'schema/require-statement-timeout')).toHaveLength(1);
    // A plain SQL file outside a transaction holds the lock until the statement ends.
    expect(lock!.body).toContain('until it finishes');
    expect(lock!.body).not.toContain('until its transaction ends');
  });

  it('stays quiet for CONCURRENTLY, tables the change creates and statements with no table lock [-schema/require-lock-timeout] [-schema/require-statement-timeout]', async () => {
    const head = lines(
      '-- +goose Up',
      '-- +goose NO TRANSACTION',
      'CREATE INDEX CONCURRENTLY idx_users_email ON users (email);',
      'CREATE TABLE widgets (id bigint PRIMARY KEY);',
      'ALTER TABLE widgets ADD COLUMN name text;',
      "CREATE TYPE mood AS ENUM ('sad', 'ok');",
      '',
    );
    const { findings } = await analyze([
      { path: 'db/migrations/004.sql', head },
    ]);
    expect(
      findings.filter(
        (f) =>
          f.ruleId.startsWith('schema/require-') &&
          f.ruleId.endsWith('-timeout'),
      ),
    ).toEqual([]);
  });
});

describe('edited migrations', () => {
  it('editing a migration that exists at the base is a finding [+schema/edited-applied-migration]', async () => {
    const base = lines(
      'CREATE UNIQUE INDEX board_board_id_key ON board (board_id);',
      '',
    );
    const head = lines(
      '-- placeholder: keep history',
      'CREATE INDEX board_board_id_idx ON board (board_id);',
      '',
    );
    const { findings } = await analyze([
      { path: 'prisma/migrations/16_boards/migration.sql', base, head },
    ]);
    expect(summary(only(findings, 'schema/edited-applied-migration'))).toEqual([
      'schema/edited-applied-migration@2',
    ]);
    // Removing an operation is an edit too; the finding sits on the removed line.
    const removal = await analyze([
      {
        path: 'prisma/migrations/16_boards/migration.sql',
        base: 'CREATE TABLE board (id int);\nCREATE UNIQUE INDEX board_key ON board (id);\n',
        head: 'CREATE TABLE board (id int);\n',
      },
    ]);
    expect(
      summary(only(removal.findings, 'schema/edited-applied-migration')),
    ).toEqual(['schema/edited-applied-migration@L2']);
    // In a MySQL migration too, next to the MySQL rules' own findings.
    const mysql = await analyze([
      {
        path: 'db/mysql/migrations/16_boards/migration.sql',
        base,
        head,
      },
    ]);
    expect(
      summary(only(mysql.findings, 'schema/edited-applied-migration')),
    ).toEqual(['schema/edited-applied-migration@2']);
  });

  it('not for new migrations, comment-only edits or snapshots [-schema/edited-applied-migration]', async () => {
    const { findings } = await analyze([
      {
        path: 'prisma/migrations/17_new/migration.sql',
        head: 'CREATE TABLE t (id int);\n',
      },
      {
        path: 'db/migrations/001.sql',
        base: 'CREATE TABLE a (id int);\n',
        head: '-- the first table\nCREATE TABLE a (id int);\n',
      },
      {
        path: 'db/structure.sql',
        base: 'CREATE TABLE a (id int);\n',
        head: 'CREATE TABLE a (id int, b int);\n',
      },
      {
        path: 'queries/users.sql',
        base: 'SELECT 1;\n',
        head: 'CREATE TABLE oops (id int);\n',
      },
      {
        path: 'server/migrations/20241223_indexes.js',
        base: 'async function up(knex) {\n  await knex.raw(`\n    CREATE INDEX links_user_id_index ON links (user_id);\n  `);\n  const [{ count }] = await knex("visits").count("\'*\' as count");\n}\n',
        head: 'async function up(knex) {\n  await Promise.all([\n    knex.raw(`CREATE INDEX links_user_id_index ON links (user_id);`),\n  ]);\n  const [{ count }] = await knex("visits").count("* as count");\n}\n',
      },
    ]);
    expect(only(findings, 'schema/edited-applied-migration')).toEqual([]);
  });
});

describe('drops and table swaps', () => {
  it('a drop no code uses is low, with the reason; a swapped-in table is not a dropped one [-schema/dropped-table-still-referenced]', async () => {
    const head = lines(
      'DROP TABLE `reaction`;',
      'RENAME TABLE `reaction_new` TO `reaction`;',
      '',
    );
    const { findings } = await analyze(
      [{ path: 'store/migration/mysql/0.31/02__reaction.sql', head }],
      {
        unchanged: {
          'store/reaction.go':
            'package store\n\nfunc list() string { return "SELECT id FROM reaction" }\n',
        },
      },
    );
    expect(only(findings, 'schema/dropped-table-still-referenced')).toEqual([]);
    // The swap itself keeps its finding: MySQL DDL is not transactional.
    expect(only(findings, 'schema/mysql-drop-table')[0]!.severity).toBe('high');

    const cleanup = await analyze(
      [
        {
          path: 'db/migrations/009_drop_organizer.sql',
          head: 'DROP TABLE memo_organizer;\n',
        },
      ],
      { unchanged: { 'src/memo.ts': 'export const x = 1;\n' } },
    );
    expect(only(cleanup.findings, 'schema/ban-drop-table')[0]).toMatchObject({
      severity: 'low',
      body: expect.stringContaining('No production code'),
    });
  });
});

describe("the repository's own index-build practice", () => {
  const history = Object.fromEntries(
    Array.from({ length: 25 }, (_, i) => [
      `app/migrations/${String(i + 1).padStart(4, '0')}_step.py`,
      'operations = [migrations.AddIndex(model_name="a", index=models.Index(fields=["b"], name="i"))]\n',
    ]),
  );
  const head = lines(
    'ALTER TABLE ipam_service DROP CONSTRAINT x;',
    'CREATE INDEX idx_service_name ON ipam_service (name);',
    '',
  );

  it('a repository that never builds indexes concurrently gets low concurrent-index advice [-schema/require-concurrent-index-creation]', async () => {
    const { findings } = await analyze(
      [{ path: 'db/migrations/0091.sql', head }],
      { unchanged: history },
    );
    expect(
      only(findings, 'schema/require-concurrent-index-creation')[0],
    ).toMatchObject({
      severity: 'low',
      body: expect.stringContaining('None of the 25 most recent migrations'),
    });
  });

  it('the same holds for unique and primary-key constraints, whose indexes build under the lock', async () => {
    const constraints = lines(
      'ALTER TABLE ipam_service ADD CONSTRAINT ipam_service_name_key UNIQUE (name);',
      'ALTER TABLE ipam_service ADD PRIMARY KEY (id);',
      '',
    );
    const severities = async (unchanged: Record<string, string>) => {
      const { findings } = await analyze(
        [{ path: 'db/migrations/0091.sql', head: constraints }],
        { unchanged },
      );
      return [
        'schema/disallowed-unique-constraint',
        'schema/adding-serial-primary-key-field',
      ].map((rule) => only(findings, rule).map((f) => f.severity));
    };
    expect(await severities(history)).toEqual([['low'], ['low']]);
    expect(
      await severities({
        ...history,
        'app/migrations/0026_step.py':
          'operations = [AddIndexConcurrently(model_name="a", index=idx)]\n',
      }),
    ).toEqual([['high'], ['high']]);
  });

  it('one concurrent build in the history keeps the advice at its severity [+schema/require-concurrent-index-creation]', async () => {
    const concurrent = {
      ...history,
      'app/migrations/0026_step.py':
        'operations = [AddIndexConcurrently(model_name="a", index=idx)]\n',
    };
    const { findings } = await analyze(
      [{ path: 'db/migrations/0091.sql', head }],
      { unchanged: concurrent },
    );
    expect(
      only(findings, 'schema/require-concurrent-index-creation')[0]!.severity,
    ).toBe('high');
  });
});

describe('the same rules where they do apply', () => {
  it('a table created by the migration itself is new [-schema/adding-not-nullable-field]', async () => {
    const head = lines(
      'CREATE TABLE reaction (id int, memo_id int);',
      'ALTER TABLE reaction ALTER COLUMN memo_id SET NOT NULL;',
      '',
    );
    const { findings } = await analyze([
      { path: 'store/migration/postgres/0.31/02__reaction.sql', head },
    ]);
    expect(only(findings, 'schema/adding-not-nullable-field')).toEqual([]);
  });

  it('Postgres migrations still get index advice [+schema/require-concurrent-index-deletion]', async () => {
    const { findings } = await analyze([
      {
        path: 'store/migration/postgres/0.26/02__drop_indexes.sql',
        head: 'DROP INDEX IF EXISTS idx_memo_creator;\n',
      },
    ]);
    expect(
      summary(only(findings, 'schema/require-concurrent-index-deletion')),
    ).toEqual(['schema/require-concurrent-index-deletion@1']);
  });

  it('a dropped table that code still queries, with no table swapped in [+schema/dropped-table-still-referenced]', async () => {
    const { findings } = await analyze(
      [
        {
          path: 'store/migration/mysql/0.26/01__drop_memo_organizer.sql',
          head: 'DROP TABLE `memo_organizer`;\n',
        },
      ],
      {
        unchanged: {
          'store/organizer.go':
            'package store\n\nfunc list() string { return "SELECT memo_id FROM memo_organizer" }\n',
        },
      },
    );
    expect(
      summary(only(findings, 'schema/dropped-table-still-referenced')),
    ).toEqual(['schema/dropped-table-still-referenced@1']);
  });
});
