/**
 * CLI benchmark: the `architect` binary as a user runs it, against baselines measured in the same run
 * (so a loaded machine slows both sides alike). Prints
 *   - a one-line review (`--no-model`) against `node -e 0`: start-up cost (target <= 8x);
 *   - a review of 500 new Postgres migrations against squawk alone on the same files (target <= 10x);
 *   - peak RSS of that review (target < 500 MB).
 * Runs alternate between the command and its baseline; medians are shown. Absolute times are noisy on
 * a shared machine: read the ratios.
 *
 *   npm run bench:cli [-- --runs N]
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { squawkBinaryPath } from '../src/analyzers/migrations/postgres/squawk.ts';

const exec = promisify(execFile);
const BIN = fileURLToPath(new URL('../bin/architect.js', import.meta.url));
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
const MIGRATIONS = 500;

async function git(cwd: string, ...args: string[]): Promise<void> {
  await exec(
    'git',
    [
      '-c',
      'user.name=bench',
      '-c',
      'user.email=bench@example.invalid',
      '-c',
      'commit.gpgsign=false',
      ...args,
    ],
    { cwd },
  );
}

/** A repository whose `main` holds `base` and whose `change` branch adds `head` on top. */
async function repository(
  base: Record<string, string>,
  head: Record<string, string>,
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'architect-bench-cli-'));
  await git(dir, 'init', '-q', '-b', 'main');
  const put = async (files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    await git(dir, 'add', '-A');
  };
  await put(base);
  await git(dir, 'commit', '-q', '-m', 'base');
  await git(dir, 'checkout', '-q', '-b', 'change');
  await put(head);
  await git(dir, 'commit', '-q', '-m', 'change');
  return dir;
}

/** A migration with what real ones hold: new tables, columns, indexes, backfills, constraints. */
function migration(i: number): string {
  const t = `orders_${i % 40}`;
  return [
    `-- migration ${i}`,
    `CREATE TABLE IF NOT EXISTS audit_${i} (id bigserial PRIMARY KEY, order_id bigint NOT NULL, note text, created_at timestamptz NOT NULL DEFAULT now());`,
    `ALTER TABLE ${t} ADD COLUMN note_${i} text;`,
    `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${t}_note_${i} ON ${t} (note_${i});`,
    `UPDATE ${t} SET note_${i} = '', updated_at = now() WHERE note_${i} IS NULL;`,
    `ALTER TABLE audit_${i} ADD CONSTRAINT audit_${i}_order_fk FOREIGN KEY (order_id) REFERENCES ${t} (id) NOT VALID;`,
    `INSERT INTO audit_${i} (order_id, note) SELECT id, note_${i} FROM ${t} LIMIT 10;`,
    '',
  ].join('\n');
}

/** Runs a command to completion; wall time from spawn to exit. */
function time(
  command: string,
  args: string[],
  cwd?: string,
): Promise<{ ms: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd,
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      resolve({ ms: performance.now() - started, code }),
    );
  });
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function compare(
  label: string,
  command: [string, string[], string?],
  baseline: [string, string[], string?],
): Promise<{ ms: number; baseMs: number; ratio: number }> {
  // One of each first: the compile cache fills, the page cache warms.
  await time(...command);
  await time(...baseline);
  const ms: number[] = [];
  const baseMs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const a = await time(...command);
    if (a.code !== 0 && a.code !== 1)
      throw new Error(`${label}: the command exited ${a.code}`);
    ms.push(a.ms);
    baseMs.push((await time(...baseline)).ms);
  }
  return {
    ms: median(ms),
    baseMs: median(baseMs),
    ratio: median(ms) / median(baseMs),
  };
}

/** The review's own peak RSS: the child prints it to stderr when it exits. */
async function reviewPeakMb(args: string[], cwd: string): Promise<number> {
  const hook =
    'data:text/javascript,process.on("exit",()=>process.stderr.write("\\npeak-rss-kb "+process.resourceUsage().maxRSS+"\\n"))';
  const out = await exec(process.execPath, ['--import', hook, ...args], {
    cwd,
    maxBuffer: 64 << 20,
  }).catch((error: { stderr?: string }) => ({ stderr: error.stderr ?? '' }));
  const kb = Number(/peak-rss-kb (\d+)/.exec(out.stderr)?.[1]);
  return kb / 1024;
}

const squawk = squawkBinaryPath();
if (!squawk) throw new Error('squawk is not installed for this platform');

const oneLine = await repository(
  {
    'src/orders.ts':
      'export function total(items) {\n  return items.length;\n}\n',
  },
  {
    'src/orders.ts':
      'export function total(items) {\n  return items.length + 0;\n}\n',
  },
);
const migrations = Object.fromEntries(
  Array.from({ length: MIGRATIONS }, (_, i) => [
    `db/migrations/${String(i).padStart(5, '0')}_change.sql`,
    migration(i),
  ]),
);
const many = await repository({ 'db/migrations/.keep': '' }, migrations);
const squawkArgs = ['--reporter', 'json', ...Object.keys(migrations)];
try {
  const review = (repo: string) => [
    BIN,
    'review',
    '--repo',
    repo,
    '--base',
    'main',
    '--head',
    'change',
    '--no-model',
    '--format',
    'json',
  ];
  const start = await compare(
    'one-line review',
    [process.execPath, review(oneLine)],
    [process.execPath, ['-e', '0']],
  );
  const sql = await compare(
    `${MIGRATIONS} migrations`,
    [process.execPath, review(many)],
    [squawk, squawkArgs, many],
  );
  const peak = await reviewPeakMb(review(many), many);

  console.log('Backend Architect CLI benchmark');
  console.log(
    `node ${process.version}, ${RUNS} alternating runs each (median shown); absolute times are noisy on a shared machine, the ratios are the figures`,
  );
  console.log('');
  console.log(
    `one-line review    ${start.ms.toFixed(0).padStart(6)} ms   node -e 0      ${start.baseMs.toFixed(0).padStart(5)} ms   ${start.ratio.toFixed(1).padStart(5)} x (target <= 8) ${start.ratio <= 8 ? 'PASS' : 'FAIL'}`,
  );
  console.log(
    `${MIGRATIONS} migrations     ${sql.ms.toFixed(0).padStart(6)} ms   squawk alone   ${sql.baseMs.toFixed(0).padStart(5)} ms   ${sql.ratio.toFixed(1).padStart(5)} x (target <= 10) ${sql.ratio <= 10 ? 'PASS' : 'FAIL'}`,
  );
  console.log(
    `  peak RSS of the ${MIGRATIONS}-migration review ${peak.toFixed(0)} MB (target < 500 MB) ${peak < 500 ? 'PASS' : 'FAIL'}`,
  );
} finally {
  await rm(oneLine, { recursive: true, force: true });
  await rm(many, { recursive: true, force: true });
}
