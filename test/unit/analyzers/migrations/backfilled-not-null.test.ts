import { describe, expect, it } from 'vitest';
import { lines } from './builder.ts';
import { analyze, only } from './helpers.ts';

const RULE = 'schema/adding-not-nullable-field';
const path = 'migrations/0042_add_on_hand.sql';

/** Severity of each SET NOT NULL finding, by line. */
async function notNull(
  sql: string,
  extra: { path: string; head: string }[] = [],
) {
  const { findings } = await analyze([{ path, head: sql }, ...extra]);
  return only(findings, RULE).map((f) => `${f.severity}@${f.lines?.start}`);
}

describe('SET NOT NULL after a backfill in the same change', () => {
  it('is low when the change adds the column and fills every row before making it NOT NULL [+schema/adding-not-nullable-field]', async () => {
    const sql = lines(
      'ALTER TABLE foods ADD COLUMN on_hand boolean;',
      'UPDATE foods SET on_hand = false;',
      'ALTER TABLE foods ALTER COLUMN on_hand SET NOT NULL;',
      '',
    );
    expect(await notNull(sql)).toEqual(['low@3']);
    const { findings } = await analyze([{ path, head: sql }]);
    const [finding] = only(findings, RULE);
    expect(finding?.body).toContain('backfills every row before this point');
    expect(finding?.fix).toContain('NOT NULL DEFAULT');
  });

  it('recognises a backfill with a schema or template prefix, an alias, or a CASE expression', async () => {
    const sql = lines(
      'alter table {{ index .Options "Namespace" }}.oauth_clients add column if not exists method text;',
      'update {{ index .Options "Namespace" }}.oauth_clients',
      "    set method = case when client_type = 'public' then 'none' else 'basic' end",
      '    where method is null;',
      'alter table {{ index .Options "Namespace" }}.oauth_clients alter column method set not null;',
      '',
    );
    expect(await notNull(sql)).toEqual(['low@5']);
  });

  it('stays high without a backfill, with a backfill after it, or for a column that existed before', async () => {
    expect(
      await notNull(
        lines(
          'ALTER TABLE foods ADD COLUMN on_hand boolean;',
          'ALTER TABLE foods ALTER COLUMN on_hand SET NOT NULL;',
          '',
        ),
      ),
    ).toEqual(['high@2']);
    expect(
      await notNull(
        lines(
          'ALTER TABLE foods ADD COLUMN on_hand boolean;',
          'ALTER TABLE foods ALTER COLUMN on_hand SET NOT NULL;',
          'UPDATE foods SET on_hand = false;',
          '',
        ),
      ),
    ).toEqual(['high@2']);
    // An existing column: rows written by the previous release may still be NULL, and the table is scanned.
    expect(
      await notNull(
        lines(
          'UPDATE foods SET on_hand = false WHERE on_hand IS NULL;',
          'ALTER TABLE foods ALTER COLUMN on_hand SET NOT NULL;',
          '',
        ),
      ),
    ).toEqual(['high@2']);
    // A backfill of another column or table is no backfill of this one.
    expect(
      await notNull(
        lines(
          'ALTER TABLE foods ADD COLUMN on_hand boolean;',
          'UPDATE foods SET on_hand_count = 0;',
          'UPDATE pantry SET on_hand = false;',
          'ALTER TABLE foods ALTER COLUMN on_hand SET NOT NULL;',
          '',
        ),
      ),
    ).toEqual(['high@4']);
  });

  it('reads the backfill an Alembic migration executes', async () => {
    const migration = lines(
      'import sqlalchemy as sa',
      'from alembic import op',
      '',
      'revision = "32d69327997b"',
      'down_revision = "7788478a0338"',
      '',
      'def upgrade():',
      '    with op.batch_alter_table("ingredient_foods") as batch_op:',
      '        batch_op.add_column(sa.Column("on_hand", sa.Boolean(), nullable=True))',
      '    op.execute("UPDATE ingredient_foods SET on_hand = FALSE;")',
      '    with op.batch_alter_table("ingredient_foods") as batch_op:',
      '        batch_op.alter_column("on_hand", nullable=False)',
      '',
    );
    const { findings } = await analyze([
      { path: 'alembic/versions/32d69327997b_add_on_hand.py', head: migration },
    ]);
    expect(only(findings, RULE).map((f) => f.severity)).toEqual(['low']);
    const { findings: without } = await analyze([
      {
        path: 'alembic/versions/32d69327997b_add_on_hand.py',
        head: migration.replace(
          '    op.execute("UPDATE ingredient_foods SET on_hand = FALSE;")\n',
          '',
        ),
      },
    ]);
    expect(only(without, RULE).map((f) => f.severity)).toEqual(['high']);
  });
});
