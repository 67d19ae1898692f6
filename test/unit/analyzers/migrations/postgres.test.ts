import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lines } from './builder.ts';
import { analyze, only, summary } from './helpers.ts';

const high = (findings: Parameters<typeof summary>[0]) =>
  summary(
    findings.filter((f) => f.severity === 'high' || f.severity === 'critical'),
  );

describe('Postgres SQL migrations (squawk)', () => {
  it('maps squawk violations to findings on head lines, with the lock the statement takes', async () => {
    const head = lines(
      '-- add age and index it',
      'ALTER TABLE users ADD COLUMN age integer NOT NULL;',
      'CREATE INDEX idx_users_email',
      '  ON users (email);',
      'ALTER TABLE users DROP COLUMN nickname;',
      '',
    );
    const { findings, notes } = await analyze([
      { path: 'db/migrations/002_users.sql', head },
    ]);
    expect(notes).toEqual([]);
    // No code uses users.nickname, so the drop is the last step of removing it: low, with the reason.
    expect(high(findings)).toEqual([
      'schema/adding-required-field@2',
      'schema/require-concurrent-index-creation@3',
    ]);
    expect(only(findings, 'schema/ban-drop-column')[0]).toMatchObject({
      severity: 'low',
      body: expect.stringContaining('No production code'),
    });
    const index = only(
      findings,
      'schema/require-concurrent-index-creation',
    )[0]!;
    expect(index).toMatchObject({
      lines: { start: 3, end: 4, side: 'RIGHT' },
      title: 'Index on `users` is built without CONCURRENTLY',
      source: 'analyzer',
      lens: 'schema',
    });
    expect(index.body).toContain('SHARE lock on `users`');
    expect(index.body).toContain('every INSERT, UPDATE and DELETE');
    expect(only(findings, 'schema/require-lock-timeout')[0]!.body).toContain(
      'ACCESS EXCLUSIVE lock on `users`',
    );
    expect(only(findings, 'schema/ban-drop-column')[0]!.title).toBe(
      '`users.nickname` is dropped',
    );
    expect(only(findings, 'schema/prefer-bigint-over-int')[0]!.severity).toBe(
      'low',
    );
  });

  it('does not ask for NOT VALID on UNIQUE or PRIMARY KEY constraints, which cannot take it', async () => {
    const head = lines(
      'ALTER TABLE reaction ADD UNIQUE (creator_id, memo_id);',
      'ALTER TABLE reaction ADD CONSTRAINT reaction_pk PRIMARY KEY (id);',
      'ALTER TABLE reaction ADD CONSTRAINT reaction_memo_fk FOREIGN KEY (memo_id) REFERENCES memo (id);',
      "ALTER TABLE reaction ADD CONSTRAINT reaction_kind CHECK (kind <> '');",
      '',
    );
    const { findings } = await analyze([
      { path: 'db/migrations/003_reaction.sql', head },
    ]);
    expect(
      summary(only(findings, 'schema/constraint-missing-not-valid')),
    ).toEqual([
      'schema/constraint-missing-not-valid@3',
      'schema/constraint-missing-not-valid@4',
    ]);
    expect(high(findings)).toEqual(
      expect.arrayContaining([
        'schema/disallowed-unique-constraint@1',
        'schema/adding-serial-primary-key-field@2',
      ]),
    );
  });

  it('reports only violations on lines the change added', async () => {
    const base = lines('CREATE INDEX idx_users_email ON users (email);', '');
    const head = lines(
      'CREATE INDEX idx_users_email ON users (email);',
      '',
      'ALTER TABLE users DROP COLUMN nickname;',
      '',
    );
    const { findings } = await analyze([
      { path: 'migrations/002_users.sql', base, head },
    ]);
    expect(findings.every((f) => f.lines!.start === 3)).toBe(true);
    expect(
      summary(
        findings.filter(
          (f) =>
            f.ruleId === 'schema/ban-drop-column' ||
            f.ruleId === 'schema/edited-applied-migration',
        ),
      ),
    ).toEqual([
      'schema/ban-drop-column@3',
      'schema/edited-applied-migration@3',
    ]);
  });

  it('skips rules about existing tables for a table another file of the change creates', async () => {
    const { findings } = await analyze([
      {
        path: 'migrations/001_widgets.sql',
        head: 'CREATE TABLE widgets (id bigint PRIMARY KEY, name text);\n',
      },
      {
        path: 'migrations/002_widgets_name.sql',
        head: 'CREATE INDEX idx_widgets_name ON widgets (name);\n',
      },
    ]);
    expect(only(findings, 'schema/require-concurrent-index-creation')).toEqual(
      [],
    );
  });

  it('uses the configured Postgres version', async () => {
    const head = 'ALTER TABLE users ADD COLUMN active boolean DEFAULT true;\n';
    const v10 = await analyze([{ path: 'migrations/003.sql', head }], {
      analyzer: { pgVersion: 10 },
    });
    const v15 = await analyze([{ path: 'migrations/003.sql', head }]);
    expect(
      summary(only(v10.findings, 'schema/adding-field-with-default')),
    ).toEqual(['schema/adding-field-with-default@1']);
    expect(only(v15.findings, 'schema/adding-field-with-default')).toEqual([]);
  });

  it('assumes a transaction for tools that wrap each migration in one', async () => {
    const sql = lines(
      'CREATE INDEX CONCURRENTLY idx_users_email ON users (email);',
      'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX idx_users_email;',
      '',
    );
    const prisma = await analyze([
      {
        path: 'prisma/migrations/20240101000000_email/migration.sql',
        head: sql,
      },
    ]);
    const plain = await analyze([{ path: 'sql/ops/email.sql', head: sql }]);
    expect(
      summary(
        only(
          prisma.findings,
          'schema/ban-concurrent-index-creation-in-transaction',
        ),
      ),
    ).toEqual(['schema/ban-concurrent-index-creation-in-transaction@1']);
    expect(
      only(
        plain.findings,
        'schema/ban-concurrent-index-creation-in-transaction',
      ),
    ).toEqual([]);
  });

  it('lints only the up section of goose files and honours NO TRANSACTION', async () => {
    const head = lines(
      '-- +goose Up',
      '-- +goose NO TRANSACTION',
      'CREATE INDEX CONCURRENTLY idx_users_email ON users (email);',
      '-- +goose Down',
      'DROP INDEX idx_users_email;',
      'DROP TABLE users;',
      '',
    );
    const { findings } = await analyze([
      { path: 'db/migrations/20240101_email.sql', head },
    ]);
    expect(findings.filter((f) => f.lines!.start > 3)).toEqual([]);
    expect(
      only(findings, 'schema/ban-concurrent-index-creation-in-transaction'),
    ).toEqual([]);
  });

  it('skips down migrations and dumps with a note', async () => {
    const { findings, notes } = await analyze([
      { path: 'migrations/000002_users.down.sql', head: 'DROP TABLE users;\n' },
      {
        path: 'db/structure.sql',
        head: 'ALTER TABLE ONLY users ADD CONSTRAINT users_pkey PRIMARY KEY (id);\n',
      },
    ]);
    expect(findings).toEqual([]);
    expect(notes.map((n) => [n.path, n.message])).toEqual([
      [
        'migrations/000002_users.down.sql',
        'not linted: a down (rollback) migration',
      ],
      [
        'db/structure.sql',
        'not linted: a schema snapshot or dump, not a migration (its CREATE TABLEs do not make a table new)',
      ],
    ]);
  });

  it('turns a syntax error into a coverage note with its line, never a silent pass', async () => {
    const head = lines(
      'ALTER TABLE users DROP COLUMN nickname;',
      'ALTER TABLE users ADD COLUMN;',
      '',
    );
    const { notes } = await analyze([{ path: 'migrations/004.sql', head }]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      source: 'squawk',
      path: 'migrations/004.sql',
      line: 2,
    });
    expect(notes[0]!.message).toMatch(
      /^could not analyse: expected name at line 2, column 29 \(and 1 more syntax errors\); squawk did not lint this SQL$/,
    );
  });

  it('does nothing when the schema lens is off', async () => {
    const { findings, notes } = await analyze(
      [{ path: 'migrations/005.sql', head: 'DROP TABLE users;\n' }],
      { lenses: ['security'] },
    );
    expect(findings).toEqual([]);
    expect(notes).toEqual([]);
  });

  it('stops when the review is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('review cancelled'));
    await expect(
      analyze([{ path: 'migrations/006.sql', head: 'DROP TABLE users;\n' }], {
        signal: controller.signal,
      }),
    ).rejects.toThrow('review cancelled');
  });
});

describe('when squawk cannot run', () => {
  let dir: string;
  const script = async (name: string, body: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, `#!/bin/sh\n${body}\n`);
    await chmod(path, 0o755);
    return path;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'squawk-fakes-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const file = {
    path: 'migrations/007.sql',
    head: 'ALTER TABLE users DROP COLUMN nickname;\n',
  };

  it('says squawk is unavailable instead of passing the SQL', async () => {
    const { findings, notes } = await analyze([file], {
      analyzer: { squawkBinary: null },
    });
    expect(only(findings, 'schema/ban-drop-column')).toEqual([]);
    expect(notes).toEqual([
      expect.objectContaining({
        source: 'squawk',
        path: file.path,
        message: expect.stringContaining('squawk unavailable'),
      }),
    ]);
  });

  it('reports a crash', async () => {
    const binary = await script(
      'crash.sh',
      'echo "thread main panicked" >&2\nexit 101',
    );
    const { notes } = await analyze([file], {
      analyzer: { squawkBinary: binary },
    });
    expect(notes).toEqual([
      expect.objectContaining({
        path: file.path,
        message:
          'could not analyse: squawk exited with 101: thread main panicked',
      }),
    ]);
  });

  it('reports output that is not its report', async () => {
    const binary = await script('garbage.sh', 'echo \'{"files": 1}\'');
    const { notes } = await analyze([file], {
      analyzer: { squawkBinary: binary },
    });
    expect(notes).toEqual([
      expect.objectContaining({
        path: file.path,
        message: expect.stringMatching(
          /^could not analyse: unexpected squawk output/,
        ),
      }),
    ]);
  });

  it('gives up after the timeout', async () => {
    const binary = await script('slow.sh', 'sleep 5');
    const started = Date.now();
    const { notes } = await analyze([file], {
      analyzer: { squawkBinary: binary, squawkTimeoutMs: 300 },
    });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(notes).toEqual([
      expect.objectContaining({
        path: file.path,
        message: 'could not analyse: squawk timed out after 300ms',
      }),
    ]);
  });
});
