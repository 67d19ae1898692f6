import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
  vi,
} from 'vitest';
import {
  findDuplicateColumns,
  loadPostgresParser,
  type PostgresParser,
} from '../../../../src/analyzers/migrations/postgres/duplicate-columns.ts';
import { lintPostgres } from '../../../../src/analyzers/migrations/postgres/lint.ts';
import type { SqlUnit } from '../../../../src/analyzers/migrations/types.ts';
import { lines } from './builder.ts';
import { analyze, only, summary } from './helpers.ts';

const RULE = 'schema/ban-duplicate-column-assignments';

let parser: PostgresParser;
beforeAll(async () => {
  parser = await loadPostgresParser();
});

/** `column@line,line` for each duplicate found, in statement order. */
function dupes(sql: string): string[] {
  return findDuplicateColumns(sql, parser).duplicates.map(
    (d) => `${d.column}@${d.lines.join(',')}`,
  );
}

describe('findDuplicateColumns: assignments', () => {
  it('finds a column set twice in UPDATE, on the lines of every occurrence', () => {
    const sql = lines(
      'UPDATE accounts',
      'SET balance = 0,',
      "    status = 'closed',",
      '    balance = 10',
      'WHERE id = 7;',
    );
    const { duplicates } = findDuplicateColumns(sql, parser);
    expect(duplicates).toEqual([
      {
        column: 'balance',
        table: 'accounts',
        lines: [2, 4],
        statement: { start: 1, end: 5 },
      },
    ]);
  });

  it('passes distinct columns, and separate statements that each set the column once', () => {
    expect(
      dupes(
        'UPDATE accounts SET balance = 0, status = 1;\nUPDATE accounts SET balance = 2;',
      ),
    ).toEqual([]);
  });

  it('compares names the way Postgres folds them', () => {
    expect(dupes('UPDATE people SET "nickname" = 1, NICKNAME = 2;')).toEqual([
      'nickname@1,1',
    ]);
    expect(dupes('UPDATE people SET "Nickname" = 1, nickname = 2;')).toEqual(
      [],
    );
  });

  it('compares names the way Postgres truncates them (63 bytes)', () => {
    const stem = 'c'.repeat(63);
    expect(dupes(`UPDATE t SET ${stem}_one = 1, ${stem}_two = 2;`)).toEqual([
      `${stem}@1,1`,
    ]);
    expect(
      dupes(`UPDATE t SET ${'c'.repeat(62)}a = 1, ${'c'.repeat(62)}b = 2;`),
    ).toEqual([]);
  });

  it('counts each column of a multi-column assignment', () => {
    expect(
      dupes(
        "UPDATE people SET (first_name, last_name) = ('Ada', 'L'), last_name = 'Lovelace';",
      ),
    ).toEqual(['last_name@1,1']);
    expect(
      dupes(
        'UPDATE people SET (first_name, last_name) = (SELECT f, l FROM src), email = NULL;',
      ),
    ).toEqual([]);
  });

  it('rejects a whole-column assignment next to a field or element of it, but allows several partial ones', () => {
    expect(
      dupes(
        "UPDATE shops SET address = ROW('Main St', 'Oslo'), address.city = 'Bergen';",
      ),
    ).toEqual(['address@1,1']);
    expect(
      dupes(
        "UPDATE shops SET address.street = 'Main St', address.city = 'Oslo';",
      ),
    ).toEqual([]);
    expect(dupes('UPDATE shops SET scores[1] = 5, scores[2] = 6;')).toEqual([]);
  });

  it('checks INSERT column lists', () => {
    expect(
      dupes('INSERT INTO events (kind, payload, kind) VALUES (1, 2, 3);'),
    ).toEqual(['kind@1,1']);
    expect(
      dupes('INSERT INTO shops (address.street, address.city) VALUES (1, 2);'),
    ).toEqual([]);
    expect(
      dupes('INSERT INTO shops (address, address.city) VALUES (1, 2);'),
    ).toEqual(['address@1,1']);
    expect(
      dupes(
        'INSERT INTO events (kind, payload) SELECT kind, kind FROM old_events;',
      ),
    ).toEqual([]);
  });

  it('checks ON CONFLICT DO UPDATE SET separately from the insert columns', () => {
    const sql = lines(
      "INSERT INTO counters (name, hits) VALUES ('home', 1)",
      'ON CONFLICT (name) DO UPDATE',
      'SET hits = counters.hits + 1,',
      '    hits = 0;',
    );
    expect(findDuplicateColumns(sql, parser).duplicates).toEqual([
      {
        column: 'hits',
        table: 'counters',
        lines: [3, 4],
        statement: { start: 1, end: 4 },
      },
    ]);
    expect(
      dupes(
        "INSERT INTO counters (name, hits) VALUES ('home', 1) ON CONFLICT (name) DO UPDATE SET hits = 2;",
      ),
    ).toEqual([]);
  });

  it('checks both MERGE actions', () => {
    const sql = lines(
      'MERGE INTO stock s USING deliveries d ON s.item = d.item',
      'WHEN MATCHED THEN UPDATE SET qty = s.qty + d.qty, qty = 0',
      'WHEN NOT MATCHED THEN INSERT (item, qty, item) VALUES (d.item, d.qty, d.item);',
    );
    expect(dupes(sql)).toEqual(['qty@2,2', 'item@3,3']);
    expect(
      dupes(
        'MERGE INTO stock s USING deliveries d ON s.item = d.item WHEN NOT MATCHED THEN INSERT (item, qty) VALUES (d.item, d.qty);',
      ),
    ).toEqual([]);
  });

  it('looks inside statements nested in others', () => {
    expect(
      dupes(
        'WITH moved AS (UPDATE jobs SET state = 1, state = 2 RETURNING id) SELECT count(*) FROM moved;',
      ),
    ).toEqual(['state@1,1']);
    expect(dupes('EXPLAIN UPDATE jobs SET state = 1, state = 2;')).toEqual([
      'state@1,1',
    ]);
  });
});

describe('findDuplicateColumns: declarations', () => {
  it('finds a column declared twice in CREATE TABLE and CREATE FOREIGN TABLE', () => {
    expect(
      dupes(
        lines(
          'CREATE TABLE invoices (',
          '  id bigint PRIMARY KEY,',
          '  total numeric,',
          '  TOTAL integer',
          ');',
        ),
      ),
    ).toEqual(['total@3,4']);
    expect(
      dupes(
        "CREATE FOREIGN TABLE remote_logs (at timestamptz, msg text, at date) SERVER logs OPTIONS (table_name 'logs');",
      ),
    ).toEqual(['at@1,1']);
  });

  it('does not count constraints or LIKE as columns', () => {
    expect(
      dupes(
        'CREATE TABLE invoices (id bigint, total numeric, CONSTRAINT total CHECK (total >= 0), LIKE templates);',
      ),
    ).toEqual([]);
  });

  it('checks a view alias list, which overrides the names of the query', () => {
    expect(
      dupes(
        lines(
          'CREATE VIEW order_totals (id, total, id) AS',
          'SELECT o.id, sum(l.amount), o.customer_id FROM orders o JOIN lines l ON l.order_id = o.id GROUP BY o.id;',
        ),
      ),
    ).toEqual(['id@1,1']);
    expect(
      dupes(
        'CREATE VIEW pairs (left_id, right_id) AS SELECT a.id, b.id FROM a CROSS JOIN b;',
      ),
    ).toEqual([]);
  });

  it('names the query columns past a short alias list', () => {
    expect(dupes('CREATE VIEW v (total) AS SELECT 1, 2 AS total;')).toEqual([
      'total@1,1',
    ]);
    expect(dupes('CREATE VIEW v (column2) AS VALUES (1, 2);')).toEqual([
      'column2@1,1',
    ]);
  });

  it('names unaliased view columns the way Postgres does', () => {
    expect(
      dupes('CREATE VIEW pairs AS SELECT a.id, b.id FROM a CROSS JOIN b;'),
    ).toEqual(['id@1,1']);
    expect(
      dupes(
        'CREATE VIEW stats AS SELECT count(*), count(DISTINCT user_id) FROM visits;',
      ),
    ).toEqual(['count@1,1']);
    expect(dupes('CREATE VIEW consts AS SELECT 1 + 1, 2 * 2;')).toEqual([
      '?column?@1,1',
    ]);
    expect(
      dupes("CREATE VIEW casts AS SELECT '1'::int, CAST('2' AS integer);"),
    ).toEqual(['int4@1,1']);
    expect(
      dupes('CREATE VIEW casts AS SELECT amount::int, amount::bigint FROM t;'),
    ).toEqual(['amount@1,1']);
    expect(
      dupes(
        'CREATE VIEW clocks AS SELECT now(), current_timestamp, CURRENT_TIMESTAMP(3);',
      ),
    ).toEqual(['current_timestamp@1,1']);
    expect(
      dupes(
        'CREATE VIEW ok AS SELECT a.id, b.id AS b_id, now(), coalesce(x, 0), CASE WHEN y THEN 1 END FROM a, b;',
      ),
    ).toEqual([]);
  });

  it('leaves out columns behind a star, whose names it cannot know', () => {
    expect(
      dupes('CREATE VIEW everything AS SELECT *, id FROM accounts;'),
    ).toEqual([]);
    expect(
      dupes('CREATE VIEW joined AS SELECT a.*, b.* FROM a JOIN b USING (id);'),
    ).toEqual([]);
    expect(
      dupes('CREATE VIEW v AS SELECT a.*, x.id, y.id FROM a, x, y;'),
    ).toEqual(['id@1,1']);
  });

  it('takes the names of a set operation from its first query', () => {
    expect(
      dupes(
        'CREATE VIEW v AS SELECT 1 AS a, 2 AS b UNION ALL SELECT 3 AS a, 4 AS a;',
      ),
    ).toEqual([]);
    expect(
      dupes(
        'CREATE VIEW v AS SELECT 1 AS a, 2 AS a UNION ALL SELECT 3 AS x, 4 AS y;',
      ),
    ).toEqual(['a@1,1']);
  });

  it('checks CREATE TABLE AS, materialized views and SELECT INTO, but not a plain SELECT', () => {
    expect(
      dupes(
        'CREATE TABLE snapshot AS SELECT a.id, b.id FROM a JOIN b ON a.b_id = b.id;',
      ),
    ).toEqual(['id@1,1']);
    expect(dupes('CREATE TABLE snapshot (x, x) AS SELECT 1, 2;')).toEqual([
      'x@1,1',
    ]);
    expect(
      dupes('CREATE MATERIALIZED VIEW mv AS SELECT max(a), max(b) FROM t;'),
    ).toEqual(['max@1,1']);
    expect(dupes('SELECT id, name AS id INTO TEMP copy FROM people;')).toEqual([
      'id@1,1',
    ]);
    expect(dupes('SELECT id, id FROM people;')).toEqual([]);
  });
});

describe('findDuplicateColumns: source text', () => {
  it('reports lines right after multi-byte characters', () => {
    const sql = lines(
      '-- prix en €, données réelles',
      "UPDATE produits SET libellé = 'é',",
      "  libellé = 'è';",
    );
    expect(dupes(sql)).toEqual(['libellé@2,3']);
  });

  it('starts a statement at its first token, not after the comment before it', () => {
    const sql = lines(
      'SELECT 1;',
      '-- fix the totals',
      '/* twice */',
      'UPDATE t SET a = 1, a = 2;',
    );
    expect(findDuplicateColumns(sql, parser).duplicates[0]!.statement).toEqual({
      start: 4,
      end: 4,
    });
  });

  it('still checks the statements that parse when another does not', () => {
    const sql = lines(
      'UPDATE t SET a = 1, a = 2;',
      'ALTER TABLE t ADD COLUMN;',
      "INSERT INTO t (b, b) VALUES (';', 2);",
      'UPDATE t SET c = 1 c = 2;',
    );
    expect(dupes(sql)).toEqual(['a@1,1', 'b@3,3']);
  });

  it('finds nothing in text that does not even scan', () => {
    expect(dupes("UPDATE t SET a = 1, a = 'unterminated")).toEqual([]);
  });
});

describe('findDuplicateColumns: squawk-ignore comments', () => {
  const sql = (comment: string): string =>
    lines('SELECT 1;', comment, 'UPDATE t SET a = 1, a = 2;', 'SELECT 2;');

  it('honours a line comment naming the rule, on the line or the one above', () => {
    const report = findDuplicateColumns(
      sql(
        '-- squawk-ignore prefer-robust-stmts, ban-duplicate-column-assignments -- reviewed',
      ),
      parser,
    );
    expect([1, 2, 3, 4].map((line) => report.ignored(line))).toEqual([
      false,
      true,
      true,
      false,
    ]);
    const trailing = findDuplicateColumns(
      'UPDATE t SET a = 1, a = 2; /* squawk-ignore ban-duplicate-column-assignments */',
      parser,
    );
    expect(trailing.ignored(1)).toBe(true);
  });

  it('ignores a line comment naming other rules or none', () => {
    expect(
      findDuplicateColumns(
        sql('-- squawk-ignore ban-drop-column'),
        parser,
      ).ignored(3),
    ).toBe(false);
    expect(
      findDuplicateColumns(sql('-- squawk-ignore'), parser).ignored(3),
    ).toBe(false);
    expect(
      findDuplicateColumns(
        sql("SELECT '-- squawk-ignore ban-duplicate-column-assignments';"),
        parser,
      ).ignored(3),
    ).toBe(false);
  });

  it('honours a file-level comment naming the rule or no rule', () => {
    expect(
      findDuplicateColumns(sql('-- squawk-ignore-file'), parser).ignored(4),
    ).toBe(true);
    expect(
      findDuplicateColumns(
        sql('-- squawk-ignore-file ban-duplicate-column-assignments'),
        parser,
      ).ignored(1),
    ).toBe(true);
    expect(
      findDuplicateColumns(
        sql('-- squawk-ignore-file ban-drop-table'),
        parser,
      ).ignored(3),
    ).toBe(false);
  });
});

describe('ban-duplicate-column-assignments in reviews', () => {
  it('reports one finding per column on the last added occurrence, with the catalog severity', async () => {
    const head = lines(
      'ALTER TABLE accounts ADD COLUMN IF NOT EXISTS note text;',
      'UPDATE accounts',
      'SET balance = 0,',
      '    balance = 10;',
      '',
    );
    const { findings } = await analyze([
      { path: 'db/migrations/010_balance.sql', head },
    ]);
    const found = only(findings, RULE);
    expect(summary(found)).toEqual([`${RULE}@4`]);
    expect(found[0]).toMatchObject({
      severity: 'medium',
      lens: 'schema',
      source: 'analyzer',
      path: 'db/migrations/010_balance.sql',
      lines: { start: 4, end: 4, side: 'RIGHT' },
      title: '`accounts.balance` appears more than once in one statement',
    });
    expect(found[0]!.body).toContain('Postgres rejects');
  });

  it('reports only duplicates the change touches', async () => {
    const base = lines(
      'UPDATE t SET a = 1, a = 2;',
      'UPDATE t SET',
      '  b = 2;',
      '',
    );
    const head = lines(
      'UPDATE t SET a = 1, a = 2;',
      'UPDATE t SET',
      '  b = 1,',
      '  b = 2;',
      '',
    );
    const { findings } = await analyze([
      { path: 'migrations/011.sql', base, head },
    ]);
    expect(summary(only(findings, RULE))).toEqual([`${RULE}@3`]);
  });

  it('is silenced by a squawk-ignore comment, without an unused-ignore finding for it', async () => {
    const head = lines(
      '-- squawk-ignore ban-duplicate-column-assignments',
      'UPDATE t SET a = 1, a = 2;',
      'UPDATE t SET b = 1, b = 2;',
      '',
    );
    const { findings } = await analyze([{ path: 'migrations/012.sql', head }]);
    expect(summary(only(findings, RULE))).toEqual([`${RULE}@3`]);
    expect(only(findings, 'schema/unused-ignore')).toEqual([]);
  });

  it('maps lines of SQL that starts further down a file', async () => {
    const unit: SqlUnit = {
      path: 'db/migrate/20240101_fix.rb',
      sql: 'UPDATE users SET role = 1,\n  role = 2',
      firstLine: 7,
      settings: { pgVersion: 15, assumeInTransaction: false },
      added: new Set([7, 8]),
    };
    const result = await lintPostgres([unit], { binary: null });
    expect(summary(result.findings)).toEqual([`${RULE}@8`]);
  });

  it('still checks when squawk is unavailable, leaving squawk the only note', async () => {
    const { findings, notes } = await analyze(
      [{ path: 'migrations/013.sql', head: 'UPDATE t SET a = 1, a = 2;\n' }],
      { analyzer: { squawkBinary: null } },
    );
    expect(summary(only(findings, RULE))).toEqual([`${RULE}@1`]);
    expect(notes).toEqual([
      expect.objectContaining({
        source: 'squawk',
        message: expect.stringContaining('squawk unavailable'),
      }),
    ]);
  });

  it('adds no second note for SQL that does not parse, and still checks the statements that do', async () => {
    const head = lines(
      'UPDATE t SET a = 1, a = 2;',
      'ALTER TABLE t ADD COLUMN;',
      '',
    );
    const { findings, notes } = await analyze([
      { path: 'migrations/014.sql', head },
    ]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ source: 'squawk', line: 2 });
    expect(summary(only(findings, RULE))).toEqual([`${RULE}@1`]);
  });
});

describe('when squawk reports the rule itself', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'squawk-dupes-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps squawk’s findings and adds none of its own for that statement', async () => {
    // A squawk release that has the rule reports every occurrence (0-based lines).
    const violation = (line: number) => ({
      file: '00000.sql',
      line,
      column: 2,
      line_end: line,
      column_end: 3,
      level: 'Warning',
      message: 'Multiple assignments to the same column `a`.',
      help: null,
      rule_name: 'ban-duplicate-column-assignments',
    });
    const binary = join(dir, 'squawk.sh');
    await writeFile(
      binary,
      `#!/bin/sh\necho '${JSON.stringify([violation(1), violation(2)])}'\nexit 1\n`,
    );
    await chmod(binary, 0o755);
    const sql = lines(
      'UPDATE t SET',
      '  a = 1,',
      '  a = 2;',
      'UPDATE t SET b = 1, b = 2;',
    );
    const unit: SqlUnit = {
      path: 'm.sql',
      sql,
      firstLine: 1,
      settings: { pgVersion: 15, assumeInTransaction: false },
      added: new Set([1, 2, 3, 4]),
    };
    const result = await lintPostgres([unit], { binary });
    expect(summary(result.findings)).toEqual([
      `${RULE}@2`,
      `${RULE}@3`,
      `${RULE}@4`,
    ]);
  });
});

describe('when the Postgres parser does not load', () => {
  afterEach(() => {
    vi.doUnmock('libpg-query');
    vi.resetModules();
  });

  it('notes it once per file, and tries again on the next review', async () => {
    let loads = 0;
    vi.resetModules();
    vi.doMock('libpg-query', () => ({
      loadModule: () =>
        ++loads === 1
          ? Promise.reject(
              new Error('WebAssembly.instantiate(): out of memory'),
            )
          : Promise.resolve(),
      parseSync: () => ({ stmts: [] }),
      scanSync: () => ({ version: 0, tokens: [] }),
    }));
    const lint = await import(
      '../../../../src/analyzers/migrations/postgres/lint.ts'
    );
    const unit = (path: string): SqlUnit => ({
      path,
      sql: 'UPDATE t SET a = 1, a = 2;',
      firstLine: 1,
      settings: { pgVersion: 15, assumeInTransaction: false },
      added: new Set([1]),
    });

    const first = await lint.lintPostgres(
      [unit('a.sql'), unit('a.sql'), unit('b.sql')],
      { binary: null },
    );
    const parserNotes = first.notes.filter(
      (n) => n.source === lint.PARSER_SOURCE,
    );
    expect(parserNotes.map((n) => n.path)).toEqual(['a.sql', 'b.sql']);
    expect(parserNotes[0]!.message).toBe(
      'could not analyse: the Postgres parser did not load (WebAssembly.instantiate(): out of memory), so duplicate column assignments were not checked',
    );

    const second = await lint.lintPostgres([unit('a.sql')], { binary: null });
    expect(second.notes.filter((n) => n.source === lint.PARSER_SOURCE)).toEqual(
      [],
    );
    expect(loads).toBe(2);
  });
});

describe('findDuplicateColumns: when the parser is asked', () => {
  function counting(): PostgresParser & { calls: number } {
    const wrapped = {
      calls: 0,
      parseSync(sql: string) {
        wrapped.calls++;
        return parser.parseSync(sql);
      },
      scanSync: (sql: string) => parser.scanSync(sql),
    };
    return wrapped;
  }

  it('leaves statements that cannot repeat a name to its own tokens, and parses the rest', () => {
    const quiet = counting();
    const migration = lines(
      'ALTER TABLE orders ADD COLUMN note text;',
      'CREATE INDEX CONCURRENTLY orders_note ON orders (note);',
      "UPDATE orders SET note = '' WHERE note IS NULL;",
      'INSERT INTO orders (id, note) VALUES (1, note);',
    );
    expect(findDuplicateColumns(migration, quiet).duplicates).toEqual([]);
    expect(quiet.calls).toBe(0);

    const asked = counting();
    expect(
      findDuplicateColumns(
        lines(migration, 'UPDATE orders SET note = 1, NOTE = 2;'),
        asked,
      ).duplicates.map((d) => d.column),
    ).toEqual(['note']);
    expect(asked.calls).toBe(1);
  });

  it('always parses queries, whose output names Postgres may make up', () => {
    const asked = counting();
    expect(
      findDuplicateColumns(
        'CREATE VIEW v AS SELECT 1, 2;',
        asked,
      ).duplicates.map((d) => d.column),
    ).toEqual(['?column?']);
    expect(asked.calls).toBe(1);
  });
});
