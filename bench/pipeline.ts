/**
 * Pipeline benchmark: the real server (as `npm start` runs it) against the local fake GitHub and fake
 * model over HTTP. Prints webhook acknowledgement latency, end-to-end wall time of a 60-file pull
 * request against the ideal for its chunk count, and GitHub requests per review.
 *
 *   npm run bench
 */
import { AppProcess, freePort, generatePrivateKey, waitFor } from '../test/support/app-process.ts';
import { FakeGitHub, type FakeFile, type FakePullRequest } from '../test/support/fake-github.ts';
import { FakeModel, userText } from '../test/support/fake-model.ts';
import { pullRequestPayload } from '../test/support/payloads.ts';

const SECRET = 'bench-secret';
const DELIVERIES = 200;
const FILES = 60;
const MODEL_DELAY_MS = 2000;
const CONCURRENCY = 4; // the default `model.concurrency`

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function sha(n: number): string {
  return n.toString(16).padStart(40, '0');
}

/** A realistic service file: handlers with queries and outbound calls, about 80 changed lines. */
function serviceFile(i: number): { file: FakeFile; head: string } {
  const lines: string[] = [];
  for (let fn = 0; fn < 8; fn++) {
    lines.push(
      `export async function handle${i}_${fn}(req, res) {`,
      `  const id = req.params.id;`,
      `  const row = await db.query('SELECT * FROM orders_${i} WHERE id = $1', [id]);`,
      `  if (!row) return res.status(404).json({ error: 'not found' });`,
      `  const quote = await pricing.quote(row.sku, { currency: req.query.currency });`,
      `  await audit.log({ orderId: id, action: 'viewed', at: new Date() });`,
      `  return res.json({ ...row, price: quote.amount });`,
      `}`,
      ``,
      ``,
    );
  }
  const patch = [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n');
  return { file: { filename: `src/orders/handler-${String(i).padStart(2, '0')}.ts`, status: 'added', additions: lines.length, deletions: 0, patch }, head: lines.join('\n') };
}

function pullRequest(number: number, headSha: string, files: number): FakePullRequest {
  const made = Array.from({ length: files }, (_, i) => serviceFile(i));
  return {
    owner: 'bench',
    repo: 'orders',
    number,
    headSha,
    baseSha: sha(1),
    files: made.map((m) => m.file),
    contents: { [headSha]: Object.fromEntries(made.map((m) => [m.file.filename, m.head])) },
  };
}

async function withApp<T>(github: FakeGitHub, model: FakeModel, run: (app: AppProcess) => Promise<T>): Promise<T> {
  const app = new AppProcess(await freePort(), {
    APP_ID: '1',
    PRIVATE_KEY: generatePrivateKey(),
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: github.host,
    GHE_PROTOCOL: 'http',
    LOG_LEVEL: 'error',
    ANTHROPIC_API_KEY: 'bench-key',
    ANTHROPIC_BASE_URL: model.url,
  });
  await app.start();
  try {
    return await run(app);
  } finally {
    await app.stop();
  }
}

async function ackLatency(): Promise<number[]> {
  const github = await new FakeGitHub().listen();
  const model = await new FakeModel(() => ({ findings: [] })).listen();
  try {
    return await withApp(github, model, async (app) => {
      const latencies: number[] = [];
      for (let i = 0; i < DELIVERIES; i++) {
        const number = 100 + (i % 20);
        const head = sha(1000 + i);
        github.addPullRequest(pullRequest(number, head, 3));
        const payload = pullRequestPayload(i < 20 ? 'opened' : 'synchronize', { owner: 'bench', repo: 'orders', number, headSha: head, baseSha: sha(1), changedFiles: 3 });
        const started = performance.now();
        const res = await app.deliver('pull_request', payload, SECRET);
        latencies.push(performance.now() - started);
        if (res.status >= 300) throw new Error(`delivery ${i} answered ${res.status}`);
        await res.arrayBuffer();
      }
      return latencies.sort((a, b) => a - b);
    });
  } finally {
    await github.close();
    await model.close();
  }
}

async function largeReview() {
  const github = await new FakeGitHub().listen();
  const model = await new FakeModel((_body, text) => {
    // Two findings per file the chunk shows: one inline, one on a line far outside the diff.
    const paths = [...new Set(text.match(/src\/orders\/handler-\d\d\.ts/g) ?? [])];
    return {
      findings: paths.flatMap((path) => [
        { path, line: 3, category: 'performance', severity: 'medium', title: 'SELECT * on a hot path', body: 'Select the columns the handler uses.' },
        { path, line: 5, category: 'failure-mode', severity: 'high', title: 'Pricing call without timeout', body: 'A slow pricing service stalls every order view.' },
      ]),
    };
  }).listen();
  model.delayMs = MODEL_DELAY_MS;
  try {
    return await withApp(github, model, async (app) => {
      const head = sha(7777);
      github.addPullRequest(pullRequest(1, head, FILES));
      const started = Date.now();
      await app.deliver('pull_request', pullRequestPayload('opened', { owner: 'bench', repo: 'orders', number: 1, headSha: head, baseSha: sha(1), changedFiles: FILES }), SECRET);
      const run = await waitFor(() => github.checkRuns.find((r) => r.head_sha === head && r.status === 'completed'), 'check run', 120_000, app);
      await waitFor(() => github.reviews[0], 'review', 30_000, app);
      // Let trailing annotation batches land before counting.
      await new Promise((r) => setTimeout(r, 3000));
      const completion = github.requests.find((r) => r.method === 'PATCH' && (r.body as { conclusion?: string } | undefined)?.conclusion);
      const checkDoneMs = (completion?.at ?? Date.now()) - started;
      const wallMs = Math.max(...github.writes().map((w) => w.at)) - started;
      const chunks = model.requests.length;
      const writes = github.writes();
      return {
        conclusion: run.conclusion,
        chunks,
        wallMs,
        checkDoneMs,
        idealMs: Math.ceil(chunks / CONCURRENCY) * MODEL_DELAY_MS,
        findings: run.annotations.length,
        inlineComments: github.reviews[0]?.comments.length ?? 0,
        requests: github.requests.filter((r) => !r.path.includes('/access_tokens')).length,
        reads: github.requests.filter((r) => r.method === 'GET').length,
        writes: writes.length,
        writeRoutes: writes.map((w) => w.route ?? w.path),
        unmatched: github.unmatched.length,
      };
    });
  } finally {
    await github.close();
    await model.close();
  }
}

const ack = await ackLatency();
const review = await largeReview();
const writeBudget = 4 + Math.ceil(review.findings / 50);
const ratio = review.wallMs / review.idealMs;

console.log('Backend Architect pipeline benchmark');
console.log(`node ${process.version}, ${DELIVERIES} deliveries, ${FILES}-file pull request, model ${MODEL_DELAY_MS} ms/call, concurrency ${CONCURRENCY}`);
console.log('');
console.log(`webhook ack latency   p50 ${ack[Math.floor(ack.length / 2)]!.toFixed(1)} ms   p99 ${percentile(ack, 99).toFixed(1)} ms   max ${ack.at(-1)!.toFixed(1)} ms   (target p99 < 50 ms) ${percentile(ack, 99) < 50 ? 'PASS' : 'FAIL'}`);
console.log(`60-file review         ${review.chunks} chunks, ideal ceil(${review.chunks}/${CONCURRENCY}) x ${MODEL_DELAY_MS / 1000} s = ${(review.idealMs / 1000).toFixed(1)} s`);
console.log(`  check run completed  ${(review.checkDoneMs / 1000).toFixed(2)} s  = ${(review.checkDoneMs / review.idealMs).toFixed(3)} x ideal`);
console.log(`  last write (review)  ${(review.wallMs / 1000).toFixed(2)} s  = ${ratio.toFixed(3)} x ideal   (target <= 1.15) ${ratio <= 1.15 ? 'PASS' : 'FAIL'}`);
console.log(`  conclusion ${review.conclusion}, ${review.findings} findings, ${review.inlineComments} inline comments`);
console.log(`GitHub requests/review ${review.requests} (${review.reads} reads, ${review.writes} writes: ${review.writeRoutes.join(', ')})`);
console.log(`  writes ${review.writes} <= 4 + ceil(${review.findings}/50) = ${writeBudget} ${review.writes <= writeBudget ? 'PASS' : 'FAIL'}; unmatched requests ${review.unmatched}`);
