import { describe, expect, it } from 'vitest';
import { createPerformanceAnalyzer } from '../../../../src/analyzers/performance/index.ts';
import { findingsOf } from '../failure-modes/change-set-builder.ts';

const RULE = 'performance/connection-per-request';
const check = async (path: string, head: string) =>
  (await findingsOf(createPerformanceAnalyzer(), [{ path, head }])).filter(
    (f) => f.startsWith(RULE),
  );

describe('connection-per-request', () => {
  it('JavaScript: pools and clients created inside handlers [+performance/connection-per-request]', async () => {
    const head = [
      "import { PrismaClient } from '@prisma/client';", // 1
      "import pg from 'pg';",
      "import mysql from 'mysql2/promise';",
      "app.get('/users/:id', async (req, res) => {",
      '  const prisma = new PrismaClient();', // 5
      '  const client = new pg.Client();',
      '  const conn = await mysql.createConnection(config);',
      '  res.json(await prisma.user.findUnique({ where: { id: req.params.id } }));',
      '});',
    ].join('\n');
    expect(await check('src/users.ts', head)).toEqual([
      `${RULE}@5:high`,
      `${RULE}@6:medium`,
      `${RULE}@7:medium`,
    ]);
  });

  it('JavaScript: a pool at module scope, and unrelated classes named Pool, are fine [-performance/connection-per-request]', async () => {
    const head = [
      "import { Pool } from 'pg';",
      "import { Pool as WorkerPool } from './workers';",
      'const pool = new Pool();',
      "app.get('/x', async (req, res) => {",
      '  const workers = new WorkerPool(4);',
      "  res.json((await pool.query('SELECT 1')).rows);",
      '});',
    ].join('\n');
    expect(await check('src/ok.ts', head)).toEqual([]);
  });

  it('Python, Go and Java: engines, sql.Open and DriverManager inside handlers', async () => {
    const python = [
      'import psycopg2', // 1
      'from sqlalchemy import create_engine',
      'engine = create_engine(DSN)',
      '@app.get("/report")',
      'def report():', // 5
      '    conn = psycopg2.connect(DSN)',
      '    other = create_engine(DSN)',
      '    return []',
    ].join('\n');
    expect(await check('app/report.py', python)).toEqual([
      `${RULE}@6:medium`,
      `${RULE}@7:high`,
    ]);
    const go = [
      'package api', // 1
      'import "database/sql"',
      'func Users(w http.ResponseWriter, r *http.Request) {',
      '  db, _ := sql.Open("postgres", dsn)',
      '  defer db.Close()', // 5
      '}',
      'func main() { db, _ := sql.Open("postgres", dsn); _ = db }',
    ].join('\n');
    expect(await check('api/users.go', go)).toEqual([`${RULE}@4:high`]);
    const java = [
      'class Users {', // 1
      '  @GetMapping("/users")',
      '  List<User> list() throws Exception {',
      '    Connection c = DriverManager.getConnection(url);',
      '    return null;', // 5
      '  }',
      '}',
    ].join('\n');
    expect(await check('src/Users.java', java)).toEqual([`${RULE}@4:medium`]);
  });
});
