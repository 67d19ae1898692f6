import { describe, expect, it } from 'vitest';
import { migrationKind } from '../../../../src/analyzers/migrations/classify.ts';
import { lines } from './builder.ts';
import { analyze, summary } from './helpers.ts';

const before = lines(
  'package migrations',
  '',
  'func V6_1_0(db *sqlx.DB) error {',
  '\tif _, err := db.Exec(`CREATE INDEX IF NOT EXISTS idx_old ON subscribers(created_at)`); err != nil {',
  '\t\treturn err',
  '\t}',
  '\treturn nil',
  '}',
  '',
);

describe('Go migrations', () => {
  it('reads migrations folders, not tests or other Go code', () => {
    expect(migrationKind('internal/migrations/v6.1.0.go')).toBe('go');
    expect(migrationKind('db/migrations/20240101_users.go')).toBe('go');
    expect(migrationKind('internal/migrations/v6_test.go')).toBeUndefined();
    expect(migrationKind('internal/core/subscribers.go')).toBeUndefined();
  });

  it('lints SQL in Exec string literals on the lines it sits on [+schema/require-concurrent-index-deletion]', async () => {
    const head = lines(
      'package migrations',
      '',
      'func V6_1_0(db *sqlx.DB) error {',
      '\tif _, err := db.Exec(`CREATE INDEX IF NOT EXISTS idx_old ON subscribers(created_at)`); err != nil {',
      '\t\treturn err',
      '\t}',
      '\t// Rebuild the date indexes in local time.',
      '\tif _, err := db.Exec(`',
      '\t\tDROP INDEX IF EXISTS idx_views_date; CREATE INDEX IF NOT EXISTS idx_views_date ON campaign_views(created_at);',
      '\t\tDROP INDEX IF EXISTS idx_clicks_date;',
      '\t`); err != nil {',
      '\t\treturn err',
      '\t}',
      '\tif _, err := db.ExecContext(ctx, "ALTER TABLE bounces " +',
      '\t\t"DROP COLUMN \\"meta\\""); err != nil {',
      '\t\treturn err',
      '\t}',
      '\treturn nil',
      '}',
      '',
    );
    const { findings, notes } = await analyze([
      { path: 'internal/migrations/v6.1.0.go', base: before, head },
    ]);
    expect(notes).toEqual([]);
    const blocking = summary(findings).filter(
      (s) => !/require-(?:lock|statement)-timeout/.test(s),
    );
    // The unchanged Exec on line 4 is not reported; each statement is anchored on its own line.
    expect(blocking).toEqual([
      'schema/ban-drop-column@15',
      'schema/prefer-robust-stmts@15',
      'schema/require-concurrent-index-creation@9',
      'schema/require-concurrent-index-deletion@10',
      'schema/require-concurrent-index-deletion@9',
    ]);
  });

  it('stays quiet on concurrent builds outside a transaction and on SQL built at run time [-schema/require-concurrent-index-deletion]', async () => {
    const head = lines(
      'package migrations',
      '',
      'func Up(db *sql.DB, table string) error {',
      '\tif _, err := db.Exec(`DROP INDEX CONCURRENTLY IF EXISTS idx_views_date`); err != nil {',
      '\t\treturn err',
      '\t}',
      '\t_, err := db.Exec(query)',
      '\treturn err',
      '}',
      '',
    );
    const { findings, notes } = await analyze([
      { path: 'internal/migrations/v7.0.0.go', head },
    ]);
    expect(notes).toEqual([]);
    expect(
      summary(findings).filter(
        (s) => !/require-(?:lock|statement)-timeout/.test(s),
      ),
    ).toEqual([]);
  });

  it('lints SQL run on a transaction inside one', async () => {
    const head = lines(
      'package migrations',
      '',
      'func upIndex(ctx context.Context, tx *sql.Tx) error {',
      '\t_, err := tx.ExecContext(ctx, `CREATE INDEX CONCURRENTLY idx_users_email ON users(email)`)',
      '\treturn err',
      '}',
      '',
    );
    const { findings } = await analyze([
      { path: 'db/migrations/00002_index.go', head },
    ]);
    expect(
      summary(findings).filter(
        (s) => !/require-(?:lock|statement)-timeout/.test(s),
      ),
    ).toEqual([
      'schema/ban-concurrent-index-creation-in-transaction@4',
      'schema/prefer-robust-stmts@4',
    ]);
  });
});
