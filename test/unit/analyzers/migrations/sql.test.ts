import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  describeLock,
  statementLock,
} from '../../../../src/analyzers/migrations/postgres/locks.ts';
import { splitStatements } from '../../../../src/analyzers/migrations/sql/lexer.ts';
import {
  contextAt,
  parseAlterTable,
} from '../../../../src/analyzers/migrations/sql/pg-statements.ts';

const lockOf = (sql: string) => statementLock(splitStatements(sql)[0]!);

describe('SQL lexer', () => {
  it('splits statements at top-level semicolons only', () => {
    const sql = [
      '-- a comment; not a statement',
      "INSERT INTO t VALUES ('a;b', E'it\\'s; fine', \"we;ird\");",
      '/* block /* nested; */ still comment; */',
      'CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;',
      'SELECT $1;',
      'SELECT 2',
    ].join('\n');
    const statements = splitStatements(sql);
    expect(
      statements.map((s) => [s.startLine, s.endLine, s.tokens[0]!.value]),
    ).toEqual([
      [2, 2, 'INSERT'],
      [4, 4, 'CREATE'],
      [5, 5, 'SELECT'],
      [6, 6, 'SELECT'],
    ]);
    expect(statements[1]!.tokens.find((t) => t.kind === 'string')!.value).toBe(
      ' SELECT 1; ',
    );
  });

  it('reads MySQL quoting and comments', () => {
    const statements = splitStatements(
      '# comment; here\nALTER TABLE `we;ird` ADD COLUMN c INT; -- done;\nSELECT "a;b";',
      'mysql',
    );
    expect(statements).toHaveLength(2);
    expect(statements[0]!.tokens[2]).toMatchObject({
      kind: 'quoted',
      value: 'we;ird',
      line: 2,
    });
  });

  it('parses ALTER TABLE actions with names', () => {
    const alter = parseAlterTable(
      splitStatements(
        'ALTER TABLE IF EXISTS ONLY public."Users" DROP COLUMN IF EXISTS nick, RENAME COLUMN a TO b, ADD COLUMN c int;',
      )[0]!,
    );
    expect(alter).toEqual({
      table: 'Users',
      actions: [
        expect.objectContaining({ kind: 'drop-column', column: 'nick' }),
        expect.objectContaining({
          kind: 'rename-column',
          column: 'a',
          newName: 'b',
        }),
        expect.objectContaining({ kind: 'add-column', column: 'c' }),
      ],
    });
    const statement = splitStatements(
      'CREATE TABLE t (id bigint, name varchar(10), PRIMARY KEY (id));',
    )[0]!;
    expect(contextAt(statement, statement.text.indexOf('varchar'))).toEqual({
      table: 't',
      column: 'name',
    });
  });
});

describe('statement locks', () => {
  it('names the lock Postgres takes', () => {
    expect(lockOf('CREATE INDEX i ON public.orders (a)')).toEqual({
      mode: 'Share',
      target: 'orders',
    });
    expect(lockOf('CREATE UNIQUE INDEX CONCURRENTLY i ON orders (a)')).toEqual({
      mode: 'ShareUpdateExclusive',
      target: 'orders',
    });
    expect(lockOf('ALTER TABLE orders VALIDATE CONSTRAINT c')).toEqual({
      mode: 'ShareUpdateExclusive',
      target: 'orders',
    });
    expect(
      lockOf(
        'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES users (id) NOT VALID',
      ),
    ).toEqual({ mode: 'ShareRowExclusive', target: 'orders' });
    expect(
      lockOf('ALTER TABLE orders VALIDATE CONSTRAINT c, ADD COLUMN d int'),
    ).toEqual({ mode: 'AccessExclusive', target: 'orders' });
    expect(
      lockOf('ALTER TABLE orders DETACH PARTITION p CONCURRENTLY').mode,
    ).toBe('ShareUpdateExclusive');
    expect(lockOf("REINDEX (CONCURRENTLY U&'false') INDEX i").mode).toBe(
      'AccessExclusive',
    );
    expect(lockOf('VACUUM (FULL off) t').mode).toBe('ShareUpdateExclusive');
    expect(lockOf('LOCK TABLE t IN SHARE ROW EXCLUSIVE MODE')).toEqual({
      mode: 'ShareRowExclusive',
      target: 't',
    });
    expect(lockOf("CREATE TYPE mood AS ENUM ('sad')")).toEqual({});
  });

  it('says what the lock blocks', () => {
    expect(describeLock('AccessExclusive', 'users')).toBe(
      'The statement takes an ACCESS EXCLUSIVE lock on `users` until its transaction ends, blocking every read and write on the table, including plain SELECTs; while it waits for the lock, every later query on the table queues behind it.',
    );
    expect(describeLock('Share')).toContain('a SHARE lock until');
  });

  // squawk's lock table (shared corpus), measured when the corpus is present next to the repository.
  const corpus = resolve(
    import.meta.dirname,
    '../../../../../shared/corpora/postgres-migrations/lock-kinds.json',
  );
  it.runIf(existsSync(corpus))(
    'agrees with squawk’s lock table except where the Postgres documentation differs',
    () => {
      const rows = JSON.parse(readFileSync(corpus, 'utf8')) as Array<{
        sql: string;
        lock: string;
      }>;
      const disagreements = rows
        .filter((row) => (lockOf(row.sql).mode ?? 'Unknown') !== row.lock)
        .map((row) => row.sql);
      expect(rows.length).toBe(61);
      // Postgres documents SHARE UPDATE EXCLUSIVE for DETACH PARTITION … CONCURRENTLY.
      expect(disagreements).toEqual([
        'ALTER TABLE t DETACH PARTITION p CONCURRENTLY;',
      ]);
    },
  );
});
