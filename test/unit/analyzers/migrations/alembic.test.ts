import { describe, expect, it } from 'vitest';
import { lines } from './builder.ts';
import { analyze, only, summary } from './helpers.ts';

/** An Alembic revision; upgrade() body lines start at line 5. */
const revision = (upgrade: string[], downgrade: string[] = ['pass']): string =>
  lines(
    'from alembic import op',
    'import sqlalchemy as sa',
    'revision = "abc123"',
    'def upgrade():',
    ...upgrade.map((l) => `    ${l}`),
    'def downgrade():',
    ...downgrade.map((l) => `    ${l}`),
    '',
  );

const path = 'alembic/versions/abc123_change_users.py';

describe('Alembic revisions', () => {
  it('flags risky op calls in upgrade()', async () => {
    const { findings, notes } = await analyze([
      {
        path,
        head: revision([
          'op.add_column("users", sa.Column("age", sa.Integer(), nullable=False))',
          'op.drop_column("users", "nickname")',
          'op.alter_column("users", "score", type_=sa.BigInteger())',
          'op.alter_column("users", "name", new_column_name="full_name")',
          'op.alter_column("users", "city", nullable=False)',
          'op.create_index("ix_users_email", "users", ["email"])',
          'op.drop_index("ix_users_old", table_name="users")',
          'op.create_foreign_key("fk_users_org", "users", "orgs", ["org_id"], ["id"])',
          'op.create_unique_constraint("uq_users_email", "users", ["email"])',
          'op.drop_table("legacy")',
          'op.rename_table("users", "accounts")',
        ]),
      },
    ]);
    expect(notes).toEqual([]);
    expect(summary(findings)).toEqual(
      [
        'schema/adding-required-field@5',
        'schema/ban-drop-column@6',
        'schema/changing-column-type@7',
        'schema/renaming-column@8',
        'schema/adding-not-nullable-field@9',
        'schema/require-concurrent-index-creation@10',
        'schema/require-concurrent-index-deletion@11',
        'schema/adding-foreign-key-constraint@12',
        'schema/disallowed-unique-constraint@13',
        'schema/ban-drop-table@14',
        'schema/renaming-table@15',
      ].sort(),
    );
    expect(
      only(findings, 'schema/require-concurrent-index-creation')[0]!.fix,
    ).toContain('postgresql_concurrently=True');
  });

  it('accepts server defaults, nullable columns, concurrent indexes in autocommit blocks, and ignores downgrade()', async () => {
    const { findings } = await analyze([
      {
        path,
        head: revision(
          [
            'op.add_column("users", sa.Column("age", sa.Integer(), nullable=False, server_default="0"))',
            'op.add_column("users", sa.Column("bio", sa.Text()))',
            'with op.get_context().autocommit_block():',
            '    op.create_index("ix_users_email", "users", ["email"], postgresql_concurrently=True)',
          ],
          ['op.drop_column("users", "age")', 'op.drop_table("users")'],
        ),
      },
    ]);
    expect(summary(findings)).toEqual([]);
  });

  it('flags a concurrent index outside an autocommit block', async () => {
    const { findings } = await analyze([
      {
        path,
        head: revision([
          'op.create_index("ix", "users", ["email"], postgresql_concurrently=True)',
        ]),
      },
    ]);
    expect(summary(findings)).toEqual([
      'schema/ban-concurrent-index-creation-in-transaction@5',
    ]);
  });

  it('reads batch_alter_table handles', async () => {
    const { findings } = await analyze([
      {
        path,
        head: revision([
          'with op.batch_alter_table("users") as batch_op:',
          '    batch_op.drop_column("nickname")',
          '    batch_op.alter_column("score", type_=sa.BigInteger())',
        ]),
      },
    ]);
    expect(summary(findings)).toEqual([
      'schema/ban-drop-column@6',
      'schema/changing-column-type@7',
    ]);
    expect(only(findings, 'schema/ban-drop-column')[0]!.title).toBe(
      '`users.nickname` is dropped',
    );
  });

  it('skips rules about existing tables for a table created in the same revision', async () => {
    const { findings } = await analyze([
      {
        path,
        head: revision([
          'op.create_table("widgets", sa.Column("id", sa.BigInteger(), primary_key=True))',
          'op.add_column("widgets", sa.Column("size", sa.Integer(), nullable=False))',
          'op.create_index("ix_widgets_size", "widgets", ["size"])',
        ]),
      },
    ]);
    expect(summary(findings)).toEqual([]);
  });

  it('lints op.execute SQL with squawk on the literal lines', async () => {
    const { findings } = await analyze([
      {
        path,
        head: revision([
          'op.execute(',
          '    """',
          '    ALTER TABLE users ALTER COLUMN email TYPE varchar(320);',
          '    """',
          ')',
        ]),
      },
    ]);
    expect(summary(only(findings, 'schema/changing-column-type'))).toEqual([
      'schema/changing-column-type@7',
    ]);
    expect(only(findings, 'schema/changing-column-type')[0]!.body).toContain(
      'ACCESS EXCLUSIVE lock on `users`',
    );
  });
});
