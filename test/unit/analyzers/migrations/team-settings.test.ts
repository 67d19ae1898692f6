import { describe, expect, it } from 'vitest';
import { parseSquawkToml } from '../../../../src/analyzers/migrations/postgres/squawk-config.ts';
import { lines } from './builder.ts';
import { analyze, only, summary } from './helpers.ts';

const TOML = lines(
  'pg_version = "16.0"',
  'assume_in_transaction = true',
  'excluded_rules = [',
  '  "ban-drop-column",            # reads are removed before a drop',
  '  "require-timeout-settings",   # later',
  ']',
  'excluded_paths = ["db/migrations/201*.sql"]',
  '',
);

const drop = lines(
  'ALTER TABLE users DROP COLUMN nickname;',
  'CREATE INDEX idx_users_email ON users (email);',
  '',
);

describe("the team's squawk settings (.squawk.toml at the base)", () => {
  it('maps squawk names to rule ids, including the merged timeout rule', () => {
    const settings = parseSquawkToml(TOML);
    expect([...settings.excludedRules].sort()).toEqual([
      'schema/ban-drop-column',
      'schema/require-lock-timeout',
      'schema/require-statement-timeout',
    ]);
    expect(settings.pgVersion).toBe(16);
    expect(settings.assumeInTransaction).toBe(true);
    expect(settings.isExcludedPath('db/migrations/2019_old.sql')).toBe(true);
    expect(settings.isExcludedPath('db/migrations/2026_new.sql')).toBe(false);
    expect(settings.summary).toContain(
      'excluded_rules (ban-drop-column, require-timeout-settings)',
    );
  });

  it('drops excluded rules and excluded paths, and says in coverage what it applied [-schema/ban-drop-column]', async () => {
    const { findings, notes } = await analyze(
      [
        { path: 'db/migrations/2026_drop.sql', head: drop },
        { path: 'db/migrations/2019_old.sql', head: drop },
      ],
      {
        unchanged: {
          '.squawk.toml': TOML,
          'src/users.ts': 'export const users = (user) => user.nickname;\n',
        },
      },
    );
    expect(only(findings, 'schema/ban-drop-column')).toEqual([]);
    expect(
      findings.filter((f) => f.path === 'db/migrations/2019_old.sql'),
    ).toEqual([]);
    // Not excluded: still reported.
    expect(
      summary(only(findings, 'schema/require-concurrent-index-creation')),
    ).toEqual(['schema/require-concurrent-index-creation@2']);
    expect(notes.map((n) => n.message)).toContain(
      "applied the team's squawk settings from the base branch: excluded_rules (ban-drop-column, require-timeout-settings); excluded_paths (1 glob); pg_version 16; assume_in_transaction = true",
    );
    expect(notes.map((n) => [n.path, n.message])).toContainEqual([
      'db/migrations/2019_old.sql',
      "not linted: the team's .squawk.toml excludes this path",
    ]);
  });

  it('reports the drop when the team has no settings [+schema/ban-drop-column]', async () => {
    const { findings } = await analyze(
      [{ path: 'db/migrations/2026_drop.sql', head: drop }],
      {
        unchanged: {
          'src/users.ts': 'export const users = (user) => user.nickname;\n',
        },
      },
    );
    expect(summary(only(findings, 'schema/ban-drop-column'))).toEqual([
      'schema/ban-drop-column@1',
    ]);
  });

  it('an invalid .squawk.toml is a note and squawk defaults apply', async () => {
    const { findings, notes } = await analyze(
      [{ path: 'db/migrations/2026_drop.sql', head: drop }],
      { unchanged: { '.squawk.toml': 'excluded_rules = "ban-drop-column"\n' } },
    );
    expect(only(findings, 'schema/ban-drop-column')).toHaveLength(1);
    expect(
      notes.some(
        (n) =>
          n.path === '.squawk.toml' &&
          n.message.startsWith(
            'ignored the squawk settings, which are not valid',
          ),
      ),
    ).toBe(true);
  });
});
