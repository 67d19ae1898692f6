import { describe, expect, it } from 'vitest';
import { lines } from './builder.ts';
import { analyze, only, summary } from './helpers.ts';

/** A migration class; body lines start at line 3 (or later, after header lines). */
const migration = (body: string[], header: string[] = []): string =>
  lines(
    'class ChangeUsers < ActiveRecord::Migration[7.1]',
    ...header.map((l) => `  ${l}`),
    '  def change',
    ...body.map((l) => `    ${l}`),
    '  end',
    'end',
    '',
  );

const path = 'db/migrate/20240101000000_change_users.rb';

describe('Rails migrations', () => {
  it('flags risky schema calls on existing tables, on the line of each call', async () => {
    const { findings, notes } = await analyze([
      {
        path,
        head: migration([
          'add_column :users, :age, :integer, null: false',
          'remove_column :users, :nickname',
          'rename_column :users, :name, :full_name',
          'change_column :users, :score, :bigint',
          'add_index :users, :email',
          'add_foreign_key :users, :orgs',
          'rename_table :users, :accounts',
          'change_column_null :users, :city, false',
          'drop_table :legacy_events',
          'add_check_constraint :users, "age > 0", name: "age_positive"',
        ]),
      },
    ]);
    expect(notes).toEqual([]);
    expect(summary(findings)).toEqual(
      [
        'schema/adding-required-field@3',
        'schema/ban-drop-column@4',
        'schema/renaming-column@5',
        'schema/changing-column-type@6',
        'schema/require-concurrent-index-creation@7',
        'schema/adding-foreign-key-constraint@8',
        'schema/renaming-table@9',
        'schema/adding-not-nullable-field@10',
        'schema/ban-drop-table@11',
        'schema/constraint-missing-not-valid@12',
      ].sort(),
    );
    const required = only(findings, 'schema/adding-required-field')[0]!;
    expect(required).toMatchObject({
      severity: 'high',
      source: 'analyzer',
      lens: 'schema',
      path,
      title: '`users.age` is added as NOT NULL without a default',
    });
    expect(required.fix).toContain('change_column_null');
    const index = only(
      findings,
      'schema/require-concurrent-index-creation',
    )[0]!;
    expect(index.body).toContain('SHARE lock on `users`');
    expect(index.fix).toContain('algorithm: :concurrently');
    expect(only(findings, 'schema/renaming-column')[0]!.title).toBe(
      '`users.name` is renamed to `full_name`',
    );
  });

  it('accepts the safe forms', async () => {
    const { findings } = await analyze(
      [
        {
          path,
          head: migration(
            [
              'add_column :users, :age, :integer, null: false, default: 0',
              'add_column :users, :bio, :text',
              'add_index :users, :email, algorithm: :concurrently',
              'add_foreign_key :users, :orgs, validate: false',
              'remove_column :users, :nickname',
              'add_reference :users, :team, index: false',
              'change_column_null :users, :city, true',
            ],
            ['disable_ddl_transaction!'],
          ),
        },
      ],
      {
        unchanged: {
          'app/models/user.rb': lines(
            'class User < ApplicationRecord',
            '  self.ignored_columns += ["nickname"]',
            'end',
            '',
          ),
        },
      },
    );
    expect(summary(findings)).toEqual([]);
  });

  it('requires ignored_columns in the model before a column is removed', async () => {
    const head = migration(['remove_column :users, :nickname']);
    const model = (columns: string) => ({
      unchanged: {
        'app/models/user.rb': lines(
          'class User < ApplicationRecord',
          `  self.ignored_columns = ${columns}`,
          'end',
          '',
        ),
      },
    });
    expect(
      summary(
        (await analyze([{ path, head }], model('%w[legacy_flag]'))).findings,
      ),
    ).toEqual(['schema/ban-drop-column@3']);
    expect(
      summary(
        (await analyze([{ path, head }], model('%w[nickname]'))).findings,
      ),
    ).toEqual([]);
  });

  it('ignores the down direction and tables created by the same migration', async () => {
    const head = lines(
      'class AddWidgets < ActiveRecord::Migration[7.1]',
      '  def up',
      '    create_table :widgets do |t|',
      '      t.string :name, null: false',
      '    end',
      '    add_index :widgets, :name',
      '    add_column :widgets, :size, :integer, null: false',
      '  end',
      '  def down',
      '    remove_index :widgets, :name',
      '    drop_table :widgets',
      '  end',
      'end',
      '',
    );
    const { findings } = await analyze([
      { path: 'db/migrate/20240102000000_add_widgets.rb', head },
    ]);
    expect(summary(findings)).toEqual([]);
  });

  it('reports a concurrent index inside the DDL transaction', async () => {
    const { findings } = await analyze([
      {
        path,
        head: migration(['add_index :users, :email, algorithm: :concurrently']),
      },
    ]);
    expect(summary(findings)).toEqual([
      'schema/ban-concurrent-index-creation-in-transaction@3',
    ]);
  });

  it('checks add_reference indexes and foreign keys', async () => {
    const { findings } = await analyze([
      {
        path,
        head: migration(['add_reference :users, :team, foreign_key: true']),
      },
    ]);
    expect(summary(findings)).toEqual([
      'schema/adding-foreign-key-constraint@3',
      'schema/require-concurrent-index-creation@3',
    ]);
  });

  it('reads change_table blocks', async () => {
    const { findings } = await analyze([
      {
        path,
        head: migration([
          'change_table :users do |t|',
          '  t.remove :nickname',
          '  t.rename :name, :full_name',
          '  t.string :code, null: false',
          'end',
        ]),
      },
    ]);
    expect(summary(findings)).toEqual([
      'schema/adding-required-field@6',
      'schema/ban-drop-column@4',
      'schema/renaming-column@5',
    ]);
  });

  it('only reports calls on lines the change added', async () => {
    const base = migration(['add_index :users, :email']);
    const head = migration([
      'add_index :users, :email',
      'remove_column :users, :nickname',
    ]);
    const { findings } = await analyze([{ path, base, head }]);
    // The migration exists at the base, so editing it is a finding of its own.
    expect(summary(findings)).toEqual([
      'schema/ban-drop-column@4',
      'schema/edited-applied-migration@4',
    ]);
  });

  it('lints SQL passed to execute with squawk, on the heredoc lines', async () => {
    const head = migration([
      'execute <<~SQL',
      '  ALTER TABLE users ADD CONSTRAINT users_org_fk FOREIGN KEY (org_id) REFERENCES orgs (id);',
      'SQL',
    ]);
    const { findings } = await analyze([{ path, head }]);
    expect(
      summary(only(findings, 'schema/adding-foreign-key-constraint')),
    ).toEqual(['schema/adding-foreign-key-constraint@4']);
    expect(
      only(findings, 'schema/adding-foreign-key-constraint')[0]!.body,
    ).toContain('SHARE ROW EXCLUSIVE lock on `users`');
  });
});
