import { describe, expect, it } from 'vitest';
import { lines } from './builder.ts';
import { analyze, only, summary } from './helpers.ts';

const RULE = 'schema/irreversible-data-rewrite';

async function rewrites(path: string, head: string, base?: string) {
  const { findings } = await analyze([
    { path, head, ...(base ? { base } : {}) },
  ]);
  return only(findings, RULE);
}

describe('one-way data rewrites', () => {
  it('reports a column overwritten with a digest of itself, in SQL files and in SQL a Go migration runs [+schema/irreversible-data-rewrite]', async () => {
    const [sql] = await rewrites(
      'db/migrations/0042_hash_tokens.sql',
      lines(
        'UPDATE users',
        "SET password = ENCODE(DIGEST(password, 'sha256'), 'hex')",
        "WHERE type = 'api';",
        '',
      ),
    );
    expect(sql).toMatchObject({
      severity: 'medium',
      title: '`users.password` is overwritten with a hash of its own value',
      lines: { start: 1, end: 3, side: 'RIGHT' },
    });
    const go = lines(
      'package migrations',
      '',
      'func V6_2_0(db *sqlx.DB) error {',
      '\tif _, err := db.Exec(`',
      '\t\tUPDATE users SET token = md5(token), updated_at = now() WHERE token IS NOT NULL;',
      '\t`); err != nil {',
      '\t\treturn err',
      '\t}',
      '\treturn nil',
      '}',
      '',
    );
    expect(
      summary(await rewrites('internal/migrations/v6.2.0.go', go)),
    ).toEqual([`${RULE}@5`]);
  });

  it('stays quiet for digests of other columns, plain updates, and lines the change did not add [-schema/irreversible-data-rewrite]', async () => {
    expect(
      await rewrites(
        'db/migrations/0043_fill.sql',
        lines(
          "UPDATE users SET token_hash = encode(digest(token, 'sha256'), 'hex');",
          'UPDATE users SET password_changed_at = now() WHERE password IS NULL;',
          "UPDATE users SET name = lower(name), note = 'md5(x)';",
          '',
        ),
      ),
    ).toEqual([]);
    const old = 'UPDATE users SET password = md5(password);\n';
    expect(
      await rewrites(
        'db/migrations/0044_more.sql',
        `${old}ALTER TABLE users ADD COLUMN x int;\n`,
        old,
      ),
    ).toEqual([]);
  });
});
