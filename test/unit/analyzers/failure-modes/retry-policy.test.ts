import { describe, expect, it } from 'vitest';
import { createFailureModeAnalyzer } from '../../../../src/analyzers/failure-modes/index.ts';
import { findingsOf } from './change-set-builder.ts';

const retryRules = (found: string[]) =>
  found.filter((f) => f.includes('retry') && !f.includes('idempotency'));
const check = async (path: string, head: string) =>
  retryRules(await findingsOf(createFailureModeAnalyzer(), [{ path, head }]));

describe('retry loops: JavaScript/TypeScript', () => {
  it('reports an endless immediate retry as unbounded (high), and bounded immediate retries as missing backoff [+failure-mode/unbounded-retry +failure-mode/retry-without-backoff]', async () => {
    const head = [
      'export async function connect() {', // 1
      '  while (true) {',
      '    try {',
      '      return await db.connect();',
      '    } catch (err) {', // 5
      "      logger.warn({ err }, 'retrying');",
      '    }',
      '  }',
      '}',
      'export async function charge(order) {', // 10
      '  for (let attempt = 0; attempt < 3; attempt++) {',
      '    try {',
      '      await payments.charge(order);',
      '      break;',
      '    } catch (err) {', // 15
      '      last = err;',
      '    }',
      '  }',
      '}',
    ].join('\n');
    expect(await check('src/retry.ts', head)).toEqual([
      'failure-mode/retry-without-backoff@11:medium',
      'failure-mode/unbounded-retry@2:high',
    ]);
  });

  it('reports an endless retry that waits as unbounded (medium) and a fixed delay as low', async () => {
    const head = [
      'export async function poll() {', // 1
      '  for (;;) {',
      '    try { return await queue.receive(); }',
      '    catch (err) { await sleep(backoffFor(attempt++)); }',
      '  }', // 5
      '}',
      'export async function send(msg) {',
      '  let attempt = 0;',
      '  while (attempt < MAX_ATTEMPTS) {',
      '    try { return await broker.publish(msg); }', // 10
      '    catch (err) { attempt++; await new Promise((resolve) => setTimeout(resolve, 500)); }',
      '  }',
      '}',
    ].join('\n');
    expect(await check('src/poll.ts', head)).toEqual([
      'failure-mode/retry-without-backoff@9:low',
      'failure-mode/unbounded-retry@2:medium',
    ]);
  });

  it('does not flag retries with a limit and growing or jittered delays, worker loops, or collection loops [-failure-mode/unbounded-retry -failure-mode/retry-without-backoff]', async () => {
    const head = [
      'export async function fetchWithRetry(url) {',
      '  for (let attempt = 0; attempt < 5; attempt++) {',
      '    try { return await fetch(url, { signal: AbortSignal.timeout(2000) }); }',
      '    catch (err) { await sleep(100 * 2 ** attempt + Math.random() * 100); }',
      '  }',
      '}',
      'export async function forever() {',
      '  while (true) {',
      '    try { return await call(); }',
      '    catch (err) { if (++attempts > 3) throw err; await sleep(attempts * 1000); }',
      '  }',
      '}',
      'export async function work() {',
      '  while (true) {',
      '    try {',
      '      const job = await jobs.next();',
      '      if (!job) break;',
      '      await handle(job);',
      '    } catch (err) { logger.error(err); }',
      '  }',
      '}',
      'export async function importAll(rows) {',
      '  for (const row of rows) {',
      '    try { await save(row); break; } catch (err) { failed.push(row); }',
      '  }',
      '}',
    ].join('\n');
    expect(await check('src/fine.ts', head)).toEqual([]);
  });
});

describe('retry loops: Python, Go, Java', () => {
  it('Python: while True without exit, range() retries without sleep, and tenacity decorators', async () => {
    const head = [
      'import time', // 1
      'from tenacity import retry, stop_after_attempt, wait_exponential, wait_fixed',
      'def connect():',
      '    while True:',
      '        try:', // 5
      '            return psycopg2.connect(DSN)',
      '        except Exception:',
      '            pass',
      'def upload(data):',
      '    for attempt in range(3):', // 10
      '        try:',
      '            s3.put_object(Body=data)',
      '        except Exception:',
      '            continue',
      '        else:', // 15
      '            break',
      '@retry',
      'def sync():',
      '    pass',
      '@retry(stop=stop_after_attempt(5), wait=wait_fixed(2))', // 20
      'def notify():',
      '    pass',
      '@retry(stop=stop_after_attempt(5), wait=wait_exponential(multiplier=1, max=30))',
      'def ok():',
      '    pass', // 25
      'def polite():',
      '    for attempt in range(5):',
      '        try:',
      '            return call()',
      '        except Exception:', // 30
      '            time.sleep(2 ** attempt)',
    ].join('\n');
    expect(await check('app/retry.py', head)).toEqual([
      'failure-mode/retry-without-backoff@10:medium',
      'failure-mode/retry-without-backoff@20:low',
      'failure-mode/unbounded-retry@17:high',
      'failure-mode/unbounded-retry@4:high',
    ]);
  });

  it('Go: an endless loop that only leaves on success, and bounded loops', async () => {
    const head = [
      'package retry', // 1
      'func Dial() (*Conn, error) {',
      '  for {',
      '    conn, err := dial()',
      '    if err == nil {', // 5
      '      return conn, nil',
      '    }',
      '  }',
      '}',
      'func Send(m Msg) error {', // 10
      '  var err error',
      '  for i := 0; i < 3; i++ {',
      '    if err = publish(m); err != nil {',
      '      continue',
      '    }', // 15
      '    return nil',
      '  }',
      '  return err',
      '}',
      'func Fine(m Msg) error {', // 20
      '  for i := 0; i < 3; i++ {',
      '    err := publish(m)',
      '    if err == nil {',
      '      return nil',
      '    }', // 25
      '    time.Sleep(time.Duration(1<<i) * 100 * time.Millisecond)',
      '  }',
      '  return errors.New("gave up")',
      '}',
      'func Consume(sub Sub) {', // 30
      '  for {',
      '    msg, err := sub.Next()',
      '    if err != nil {',
      '      continue',
      '    }', // 35
      '    handle(msg)',
      '  }',
      '}',
    ].join('\n');
    expect(await check('retry/retry.go', head)).toEqual([
      'failure-mode/retry-without-backoff@12:medium',
      'failure-mode/unbounded-retry@3:high',
    ]);
  });

  it('Java: while(true) with a sleeping catch is unbounded (medium); a bounded loop with Thread.sleep(constant) is low', async () => {
    const head = [
      'class Retry {', // 1
      '  Conn open() throws Exception {',
      '    while (true) {',
      '      try { return driver.connect(url); }',
      '      catch (SQLException e) { Thread.sleep(backoff.next()); }', // 5
      '    }',
      '  }',
      '  void push(Event e) throws Exception {',
      '    for (int i = 0; i < 3; i++) {',
      '      try { client.send(e); return; }', // 10
      '      catch (IOException ex) { Thread.sleep(1000); }',
      '    }',
      '  }',
      '  void bounded() throws Exception {',
      '    while (true) {', // 15
      '      try { client.send(e); return; }',
      '      catch (IOException ex) { if (++attempts > 5) throw ex; Thread.sleep(attempts * 200); }',
      '    }',
      '  }',
      '}',
    ].join('\n');
    expect(await check('src/Retry.java', head)).toEqual([
      'failure-mode/retry-without-backoff@9:low',
      'failure-mode/unbounded-retry@3:medium',
    ]);
  });
});
