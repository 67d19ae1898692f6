/**
 * Analyzer performance benchmark: synthetic change sets of 250, 500 and 1,000 files (50 changed lines
 * each, mixed languages, migrations and specs) through every deterministic analyzer, as the engine
 * runs them without a model. Prints wall time, peak memory and time per changed line, so linear
 * growth shows as a flat per-line column.
 *
 *   npm run bench:analyzers
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DEFAULT_CONFIG } from '../src/config/schema.ts';
import type { ChangeSet, ChangedFile } from '../src/core/change-set.ts';
import { reviewChangeSet } from '../src/core/review.ts';
import { readFile } from 'node:fs/promises';
import { defaultAnalyzers } from '../src/analyzers/index.ts';
import { createAnalyzerPool } from '../src/analyzers/pool/analyzer-pool.ts';
import { PROTOBUF_ANALYZER_NAME } from '../src/analyzers/protobuf/index.ts';
import { graphqlRepository, protoRepository } from './contract-repos.ts';

const run = promisify(execFile);
const LINES_PER_FILE = 50;
/** The size of the SQL-only review: as many migrations as a large real schema history changes at once. */
const SQL_FILES = 565;

const templates: Record<string, (i: number, k: number) => string> = {
  ts: (i, k) =>
    [
      `export async function load${i}_${k}(req, res) {`,
      `  const rows = await db.query('SELECT id, total FROM orders WHERE customer_id = $1', [req.params.id]);`,
      `  const quote = await fetch(\`\${process.env.PRICING_URL}/quotes/\${rows[0].id}\`);`,
      `  try { await audit.record(rows); } catch (e) { logger.warn({ err: e }, 'audit failed'); }`,
      `  return res.json({ rows, quote: await quote.json() });`,
      `}`,
    ][k % 6]!,
  py: (i, k) =>
    [
      `def handler_${i}_${k}(request):`,
      `    order = Order.objects.get(pk=request.GET["id"])`,
      `    resp = requests.get(f"{PRICING}/quotes/{order.id}", timeout=5)`,
      `    cursor.execute("SELECT * FROM items WHERE order_id = %s", (order.id,))`,
      `    return JsonResponse({"order": order.id, "price": resp.json()["amount"]})`,
    ][k % 5]!,
  go: (i, k) =>
    [
      `func Handle${i}x${k}(w http.ResponseWriter, r *http.Request) {`,
      `\tctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)`,
      `\tdefer cancel()`,
      `\trow := db.QueryRowContext(ctx, "SELECT total FROM orders WHERE id = $1", r.URL.Query().Get("id"))`,
      `\t_ = row`,
      `}`,
    ][k % 6]!,
  java: (i, k) =>
    [
      `  @GetMapping("/orders/${i}/${k}")`,
      `  public Order get${i}x${k}(@PathVariable long id) {`,
      `    return repository.findById(id).orElseThrow(() -> new NotFoundException(id));`,
      `  }`,
    ][k % 4]!,
  sql: (i, k) =>
    [
      `ALTER TABLE orders_${i} ADD COLUMN note_${k} text;`,
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_${i}_n${k} ON orders_${i} (note_${k});`,
      `UPDATE orders_${i} SET note_${k} = '' WHERE note_${k} IS NULL;`,
    ][k % 3]!,
};

function fileContent(ext: string, i: number): string {
  if (ext === 'yaml') {
    const paths = Array.from(
      { length: 12 },
      (_, k) =>
        `  /orders${i}/r${k}:\n    get:\n      responses:\n        '200':\n          description: ok`,
    );
    return `openapi: 3.0.3\ninfo:\n  title: svc${i}\n  version: '1'\npaths:\n${paths.join('\n')}\n`
      .split('\n')
      .slice(0, LINES_PER_FILE)
      .join('\n');
  }
  return Array.from({ length: LINES_PER_FILE }, (_, k) =>
    templates[ext]!(i, k),
  ).join('\n');
}

/** Mixed languages, or (`sqlOnly`) a review of Postgres migrations alone, as a schema-heavy repository has. */
function syntheticChangeSet(files: number, sqlOnly = false): ChangeSet {
  const exts = sqlOnly
    ? ['sql']
    : ['ts', 'py', 'go', 'java', 'ts', 'py', 'go', 'ts', 'sql', 'yaml'];
  const head = new Map<string, string>();
  const changed: ChangedFile[] = [];
  for (let i = 0; i < files; i++) {
    const ext = exts[i % exts.length]!;
    const path =
      ext === 'sql'
        ? `db/migrations/${String(i).padStart(5, '0')}_change.sql`
        : ext === 'yaml'
          ? `api/svc${i}/openapi.yaml`
          : `src/svc${i}/handler.${ext}`;
    const text = fileContent(ext, i);
    const lines = text.split('\n');
    head.set(path, text);
    changed.push({
      path,
      status: 'added',
      additions: lines.length,
      deletions: 0,
      patch: [
        `@@ -0,0 +1,${lines.length} @@`,
        ...lines.map((l) => `+${l}`),
      ].join('\n'),
    });
  }
  return {
    headSha: 'f'.repeat(40),
    baseSha: 'e'.repeat(40),
    files: changed,
    listingComplete: true,
    contents: {
      async read(revision, path) {
        return revision === 'head' ? head.get(path) : undefined;
      },
      async listHeadPaths() {
        return [...head.keys()];
      },
    },
  };
}

const config = {
  ...DEFAULT_CONFIG,
  limits: { ...DEFAULT_CONFIG.limits, max_files: 3000 },
  model: { ...DEFAULT_CONFIG.model, enabled: false },
};

interface Row {
  pooled: boolean;
  sqlOnly: boolean;
  files: number;
  lines: number;
  ms: number;
  findings: number;
  peakMb: number;
  /** With the pool: the peak of the worker process (the server process's own peak is `peakMb`). */
  workerPeakMb?: number;
}

/** Peak RSS (VmHWM) of this process's live child processes, in MB, from /proc (Linux). */
async function childPeaksMb(): Promise<number[]> {
  const children = await readFile(
    `/proc/${process.pid}/task/${process.pid}/children`,
    'utf8',
  ).catch(() => '');
  const peaks = await Promise.all(
    children
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(
        async (pid) =>
          Number(
            /VmHWM:\s+(\d+)/.exec(
              await readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''),
            )?.[1] ?? 0,
          ) / 1024,
      ),
  );
  return peaks;
}

/** One size in this process: a warm-up (parsers and native modules load once, as in a long-running server), then the measured run. */
async function measure(
  files: number,
  sqlOnly: boolean,
  pooled: boolean,
): Promise<Row> {
  // The pool as the server runs it, with one worker: a review's analysis runs in one worker.
  const pool = pooled
    ? createAnalyzerPool({ size: 1, recycleAboveMb: Infinity })
    : undefined;
  try {
    const analyzers = pool?.analyzers ?? defaultAnalyzers();
    await reviewChangeSet(syntheticChangeSet(20, sqlOnly), config, {
      analyzers,
    });
    const changeSet = syntheticChangeSet(files, sqlOnly);
    const lines = changeSet.files.reduce((n, f) => n + f.additions, 0);
    const started = performance.now();
    const result = await reviewChangeSet(changeSet, config, { analyzers });
    const ms = performance.now() - started;
    const workerPeakMb = pool
      ? Math.max(0, ...(await childPeaksMb()))
      : undefined;
    return {
      pooled,
      sqlOnly,
      files,
      lines,
      ms,
      findings: result.findings.length,
      peakMb: process.resourceUsage().maxRSS / 1024,
      workerPeakMb,
    };
  } finally {
    await pool?.close();
  }
}

interface ContractRow {
  what: string;
  changed: number;
  ms: number;
  findings: number;
}

/**
 * The contract analyzers on repositories of 200 .proto / .graphql files: the whole review with and
 * without the protobuf analyzer (buf runs as a child process per changed workspace, so its time is
 * wall time and its memory is its own), and each analyzer alone.
 */
async function measureContracts(): Promise<ContractRow[]> {
  const rows: ContractRow[] = [];
  const all = defaultAnalyzers();
  const withoutBuf = all.filter((a) => a.name !== PROTOBUF_ANALYZER_NAME);
  const protobuf = all.filter((a) => a.name === PROTOBUF_ANALYZER_NAME);
  const graphql = all.filter((a) => a.name === 'graphql');
  await reviewChangeSet(protoRepository(20, 2), config, { analyzers: all });
  const time = async (
    what: string,
    changeSet: ChangeSet,
    analyzers: typeof all,
  ) => {
    const started = performance.now();
    const result = await reviewChangeSet(changeSet, config, { analyzers });
    rows.push({
      what,
      changed: changeSet.files.length,
      ms: performance.now() - started,
      findings: result.findings.length,
    });
  };
  for (const changed of [1, 20, 200]) {
    await time(
      '200 .proto files, every analyzer',
      protoRepository(200, changed),
      all,
    );
    await time(
      '200 .proto files, all but protobuf (buf)',
      protoRepository(200, changed),
      withoutBuf,
    );
    await time(
      '200 .proto files, protobuf (buf) alone',
      protoRepository(200, changed),
      protobuf,
    );
  }
  for (const changed of [20, 200])
    await time(
      '200 .graphql files, graphql alone',
      graphqlRepository(200, changed),
      graphql,
    );
  // What the two contract analyzers cost on a change set without contracts: the mixed 1,000 files above.
  await time(
    'mixed files, no analyzers (engine only)',
    syntheticChangeSet(1000),
    [],
  );
  await time('mixed files, protobuf + graphql only', syntheticChangeSet(1000), [
    ...protobuf,
    ...graphql,
  ]);
  return rows;
}

const sizeArg = process.argv.indexOf('--size');
if (process.argv.includes('--contracts')) {
  console.log(
    JSON.stringify({
      rows: await measureContracts(),
      peakMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
} else if (sizeArg > 0) {
  // Child mode: print one measurement as JSON.
  console.log(
    JSON.stringify(
      await measure(
        Number(process.argv[sizeArg + 1]),
        process.argv.includes('--sql'),
        process.argv.includes('--pool'),
      ),
    ),
  );
} else {
  // Each size runs in a fresh process, so a peak belongs to one review and not to the ones before it.
  const rows: Row[] = [];
  const plan = [
    [250, false, false],
    [500, false, false],
    [1000, false, false],
    [SQL_FILES, true, false],
    [1000, false, true],
    [SQL_FILES, true, true],
  ] as const;
  for (const [files, sql, pooled] of plan) {
    const args = [
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      '--size',
      String(files),
      ...(sql ? ['--sql'] : []),
      ...(pooled ? ['--pool'] : []),
    ];
    const { stdout } = await run(process.execPath, args, {
      maxBuffer: 1 << 20,
    });
    rows.push(JSON.parse(stdout.trim().split('\n').at(-1)!) as Row);
  }
  const names = defaultAnalyzers().map((a) => a.name);
  console.log('Backend Architect analyzer benchmark');
  console.log(
    `node ${process.version}, ${names.length} analyzers: ${names.join(', ')}; each size in a fresh process`,
  );
  console.log('');
  console.log(
    '                  files       changed lines   wall time   µs/line   findings   peak RSS',
  );
  for (const row of rows) {
    const peak =
      row.workerPeakMb === undefined
        ? ''
        : `   worker ${row.workerPeakMb.toFixed(0)} MB`;
    console.log(
      `${row.pooled ? 'pool, 1 worker' : 'inline        '}   ${String(row.files).padStart(5)}${row.sqlOnly ? ' SQL' : '    '}   ${String(row.lines).padStart(13)}   ${(row.ms / 1000).toFixed(2).padStart(7)} s   ${((row.ms * 1000) / row.lines).toFixed(1).padStart(7)}   ${String(row.findings).padStart(8)}   ${row.peakMb.toFixed(0).padStart(5)} MB${peak}`,
    );
  }
  const big = rows.find((r) => r.files === 1000 && !r.pooled)!;
  const sqlRow = rows.find((r) => r.sqlOnly && !r.pooled)!;
  const pooledBig = rows.find((r) => r.files === 1000 && r.pooled)!;
  const pooledSql = rows.find((r) => r.sqlOnly && r.pooled)!;
  const sameFindings =
    pooledBig.findings === big.findings &&
    pooledSql.findings === sqlRow.findings;
  const small = rows[0]!;
  console.log('');
  console.log(
    `1,000 files / ${big.lines} lines: ${(big.ms / 1000).toFixed(2)} s (target < 3 s) ${big.ms < 3000 ? 'PASS' : 'FAIL'}; peak RSS ${big.peakMb.toFixed(0)} MB (target < 500 MB) ${big.peakMb < 500 ? 'PASS' : 'FAIL'}`,
  );
  console.log(
    `${SQL_FILES} Postgres migrations (SQL only): peak RSS ${sqlRow.peakMb.toFixed(0)} MB (target < 500 MB) ${sqlRow.peakMb < 500 ? 'PASS' : 'FAIL'}`,
  );
  for (const [label, row] of [
    ['1,000 files', pooledBig],
    [`${SQL_FILES} migrations`, pooledSql],
  ] as const) {
    const total = row.peakMb + (row.workerPeakMb ?? 0);
    console.log(
      `pool, ${label}: server ${row.peakMb.toFixed(0)} MB + worker ${(row.workerPeakMb ?? 0).toFixed(0)} MB = ${total.toFixed(0)} MB (target < 500 MB) ${total < 500 ? 'PASS' : 'FAIL'}; wall ${(row.ms / (row.sqlOnly ? sqlRow : big).ms).toFixed(2)} x inline`,
    );
  }
  console.log(
    `pool findings = inline findings: ${sameFindings ? 'yes' : 'NO'}`,
  );
  console.log(
    `growth: ${(big.ms / big.lines / (small.ms / small.lines)).toFixed(2)} x the per-line cost at ${small.files} files (1.0 = linear)`,
  );

  const { stdout } = await run(
    process.execPath,
    [fileURLToPath(import.meta.url), '--contracts'],
    { maxBuffer: 1 << 20 },
  );
  const contracts = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    rows: ContractRow[];
    peakMb: number;
  };
  console.log('');
  console.log(
    'Contracts: the added cost of buf on a repository with 200 .proto files (one buf.yaml workspace)',
  );
  console.log(
    'review                                        changed files   wall time   findings',
  );
  for (const row of contracts.rows) {
    console.log(
      `${row.what.padEnd(44)}  ${String(row.changed).padStart(13)}   ${(row.ms / 1000).toFixed(2).padStart(7)} s   ${String(row.findings).padStart(8)}`,
    );
  }
  for (const changed of [1, 20, 200]) {
    const every = contracts.rows.find(
      (r) => r.what.includes('every') && r.changed === changed,
    )!;
    const without = contracts.rows.find(
      (r) => r.what.includes('all but') && r.changed === changed,
    )!;
    console.log(
      `added by buf with ${changed} changed .proto files: ${((every.ms - without.ms) / 1000).toFixed(2)} s (${((every.ms - without.ms) / changed).toFixed(0)} ms per changed file)`,
    );
  }
  console.log(
    `peak RSS of the reviewing process: ${contracts.peakMb.toFixed(0)} MB (buf runs in its own process)`,
  );
}
