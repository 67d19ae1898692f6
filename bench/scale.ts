/**
 * Scale benchmark of the distributed runtime: a real redis-server, one web process and N workers
 * (`ARCHITECT_ROLE=worker`), the fake GitHub and a fake model answering in 2 s. Sends deliveries over
 * many pull requests at a fixed rate (an opening push, a second push that supersedes it, and
 * redeliveries of the second), for 1, 2 and 4 workers; then kills one of the workers mid-run.
 * Prints webhook ack latency (as a sender thread of this process sees it, and the web process's own p99 bound and CPU
 * per delivery, which this machine's other load does not inflate), throughput against linear
 * scaling from one worker, check runs left open and duplicate reviews.
 *
 *   npm run bench:scale [-- --deliveries 500 --prs 100 --rate 200 --workers 1,2,4 --concurrency 4]
 */
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import {
  AppProcess,
  freePort,
  generatePrivateKey,
  sign,
} from '../test/support/app-process.ts';
import type { PlannedSend, SenderInput, SenderResult } from './scale/sender.ts';
import {
  FakeGitHub,
  type FakePullRequest,
} from '../test/support/fake-github.ts';
import { FakeModel } from '../test/support/fake-model.ts';
import { pullRequestPayload } from '../test/support/payloads.ts';
import { RedisServer } from '../test/support/redis-server.ts';
import { backendPullRequest, pushTo } from '../test/support/review-fixture.ts';

const { values } = parseArgs({
  options: {
    deliveries: { type: 'string', default: '500' },
    prs: { type: 'string', default: '100' },
    rate: { type: 'string', default: '200' },
    workers: { type: 'string', default: '1,2,4' },
    concurrency: { type: 'string', default: '4' },
    'model-delay': { type: 'string', default: '2000' },
  },
});
const DELIVERIES = Number(values.deliveries);
const PRS = Number(values.prs);
const RATE = Number(values.rate);
const WORKER_COUNTS = values.workers!.split(',').map(Number);
const CONCURRENCY = values.concurrency!;
const MODEL_DELAY_MS = Number(values['model-delay']);
const SECRET = 'bench-scale-secret';
const BASE = 'b'.repeat(40);
const privateKey = generatePrivateKey();
const finding = {
  path: 'src/payments/client.ts',
  line: 2,
  category: 'failure-modes',
  severity: 'medium',
  title: 'Payment call has no timeout',
  body: 'A hung provider holds the request.',
};

const sha = (pr: number, push: number) =>
  `${push.toString(16)}${pr.toString(16).padStart(8, '0')}`.padEnd(40, 'e');
/** GitHub's delivery ids are UUIDs; a fixed one per planned delivery makes redeliveries repeat it. */
const deliveryId = (name: string) => {
  const hex = Buffer.from(name).toString('hex').padEnd(32, '0').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}` as `${string}-${string}-${string}-${string}-${string}`;
};
const percentile = (sorted: number[], p: number) =>
  sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ] ?? 0;

/**
 * The web process's own view of its answers (architect_webhook_ack_seconds, from request to answer):
 * the smallest histogram bound that 99% of them fall under. Apart from the client's figure, it tells
 * the server's time from the time this process (which also runs the fake GitHub) took to see it.
 */
async function serverSideAckP99(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const buckets = [
    ...text.matchAll(
      /^architect_webhook_ack_seconds_bucket\{le="([^"]+)"\} (\d+)/gm,
    ),
  ].map((m) => ({ le: Number(m[1]), count: Number(m[2]) }));
  const total = buckets.at(-1)?.count ?? 0;
  const bound = buckets.find((b) => b.count >= 0.99 * total)?.le;
  return bound === undefined ? Number.NaN : bound * 1000;
}

interface RunResult {
  workers: number;
  ackP50: number;
  ackP99: number;
  serverAckP99: number;
  /** CPU the web process spent per delivery: what the answer costs, whatever else the machine runs. */
  webCpuMs: number;
  ackMax: number;
  seconds: number;
  reviewsPerSecond: number;
  openRuns: number;
  duplicateReviews: number;
  reviewed: number;
}

async function run(workerCount: number, killOne: boolean): Promise<RunResult> {
  const redis = await new RedisServer().start();
  const github = await new FakeGitHub().listen();
  const model = await new FakeModel(() => ({ findings: [finding] })).listen();
  model.delayMs = MODEL_DELAY_MS;
  const env = (role: string) => ({
    APP_ID: String(github.app.id),
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: github.host,
    GHE_PROTOCOL: 'http',
    LOG_LEVEL: 'error',
    ANTHROPIC_API_KEY: 'sk-ant-bench',
    ANTHROPIC_BASE_URL: model.url,
    REDIS_URL: redis.url,
    ARCHITECT_ROLE: role,
    ARCHITECT_CONCURRENCY: CONCURRENCY,
    // Short enough to see recovery within the run, long enough that a busy (not dead) worker keeps its locks.
    ARCHITECT_STALLED_MS: '10000',
  });
  const web = new AppProcess(await freePort(), env('web'));
  const workers: AppProcess[] = [];
  for (let i = 0; i < workerCount; i++)
    workers.push(new AppProcess(await freePort(), env('worker')));
  await Promise.all([
    web.start(120_000),
    ...workers.map((w) => w.start(120_000)),
  ]);

  const pulls: FakePullRequest[] = [];
  for (let n = 1; n <= PRS; n++) {
    const pr = backendPullRequest(n, sha(n, 1), { repo: `service-${n % 10}` });
    github.addPullRequest(pr);
    pulls.push(pr);
  }
  // Per pull request: opened, then a push that supersedes it, then redeliveries of that push.
  const plan: Array<{
    pr: FakePullRequest;
    action: 'opened' | 'synchronize';
    head: string;
    id: string;
    push?: boolean;
  }> = [];
  const perPr = Math.max(2, Math.round(DELIVERIES / PRS));
  for (let round = 0; round < perPr; round++) {
    for (const pr of pulls) {
      if (plan.length >= DELIVERIES) break;
      if (round === 0)
        plan.push({
          pr,
          action: 'opened',
          head: sha(pr.number, 1),
          id: `open-${pr.number}`,
        });
      else
        plan.push({
          pr,
          action: 'synchronize',
          head: sha(pr.number, 2),
          id: `push-${pr.number}`,
          ...(round === 1 ? { push: true } : {}),
        });
    }
  }
  const finalHead = new Map(
    pulls.map((pr) => [
      pr.number,
      plan.some((d) => d.pr === pr && d.push)
        ? sha(pr.number, 2)
        : sha(pr.number, 1),
    ]),
  );

  const webCpu = async () =>
    Number(
      (await (await fetch(`${web.url}/metrics`)).text()).match(
        /^process_cpu_seconds_total (\S+)/m,
      )?.[1],
    );
  const cpuBefore = await webCpu();
  // The sends leave from a thread of their own: this process also plays GitHub for every worker.
  const sendsPlanned: PlannedSend[] = plan.map((d) => {
    const body = JSON.stringify(
      pullRequestPayload(d.action, {
        owner: d.pr.owner,
        repo: d.pr.repo,
        number: d.pr.number,
        headSha: d.head,
        baseSha: BASE,
        changedFiles: 1,
      }),
    );
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'GitHub-Hookshot/fake',
        'x-github-event': 'pull_request',
        'x-github-delivery': deliveryId(d.id),
        'x-hub-signature-256': sign(SECRET, body),
      },
    };
  });
  const started = performance.now();
  const acks = await new Promise<SenderResult>((resolve, reject) => {
    const sender = new Worker(new URL('./scale/sender.ts', import.meta.url), {
      workerData: {
        url: `${web.url}/api/github/webhooks`,
        rate: RATE,
        sends: sendsPlanned,
      } satisfies SenderInput,
    });
    sender.on(
      'message',
      (message: { kind: string; index?: number; acks?: number[] }) => {
        if (message.kind === 'sending') {
          const d = plan[message.index!]!;
          if (d.push) github.push(d.pr, pushTo(d.pr, d.head));
        } else if (message.kind === 'done') {
          resolve(message.acks!);
          void sender.terminate();
        }
      },
    );
    sender.on('error', reject);
  });
  const serverAckP99 = await serverSideAckP99(web.url);
  const webCpuMs = (((await webCpu()) - cpuBefore) * 1000) / plan.length;

  const doneCount = () =>
    pulls.filter((pr) =>
      github.checkRuns.some(
        (r) =>
          r.head_sha === finalHead.get(pr.number) &&
          r.status === 'completed' &&
          r.conclusion !== 'cancelled',
      ),
    ).length;
  let killed = false;
  const deadline = Date.now() + 15 * 60_000;
  while (doneCount() < PRS && Date.now() < deadline) {
    if (killOne && !killed && doneCount() >= PRS / 3) {
      await workers[0]!.kill9();
      killed = true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  // Let posting after the verdicts settle before counting.
  await new Promise((r) => setTimeout(r, 5000));
  const openRuns = github.checkRuns.filter(
    (r) => r.status !== 'completed',
  ).length;
  const perHead = new Map<string, number>();
  for (const review of github.reviews)
    perHead.set(
      `${review.pull}@${review.commit_id}`,
      (perHead.get(`${review.pull}@${review.commit_id}`) ?? 0) + 1,
    );
  const duplicateReviews = [...perHead.values()].reduce(
    (sum, n) => sum + Math.max(0, n - 1),
    0,
  );
  const reviewed = doneCount();

  await Promise.all([web.stop(), ...workers.map((w) => w.stop())]);
  await Promise.all([github.close(), model.close(), redis.stop()]);
  const sorted = acks.sort((a, b) => a - b);
  return {
    workers: workerCount,
    ackP50: percentile(sorted, 50),
    ackP99: percentile(sorted, 99),
    serverAckP99,
    webCpuMs,
    ackMax: sorted.at(-1) ?? 0,
    seconds,
    reviewsPerSecond: reviewed / seconds,
    openRuns,
    duplicateReviews,
    reviewed,
  };
}

const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'failed');
console.log(
  `bench:scale — ${DELIVERIES} deliveries over ${PRS} pull requests at ${RATE}/s, model answers in ${MODEL_DELAY_MS} ms, ARCHITECT_CONCURRENCY=${CONCURRENCY} per worker`,
);
const results: RunResult[] = [];
for (const n of WORKER_COUNTS) {
  const r = await run(n, false);
  results.push(r);
  const base = results[0]!;
  const ratio =
    r.reviewsPerSecond / (base.reviewsPerSecond * (r.workers / base.workers));
  console.log(
    `${n} worker${n === 1 ? ' ' : 's'}: ack p50 ${f(r.ackP50)} ms, p99 ${f(r.ackP99)} ms (target < 50), max ${f(r.ackMax)} ms, web process's own p99 ≤ ${Number.isFinite(r.serverAckP99) ? f(r.serverAckP99, 0) : '> 10000'} ms, web CPU ${f(r.webCpuMs, 2)} ms/delivery | ${r.reviewed}/${PRS} heads reviewed in ${f(r.seconds)} s = ${f(r.reviewsPerSecond, 2)} reviews/s, ${f(ratio, 2)} × linear from ${base.workers} (target ≥ 0.8) | open runs ${r.openRuns}, duplicate reviews ${r.duplicateReviews}`,
  );
}
const killN = Math.max(2, WORKER_COUNTS.at(-1) ?? 2);
const k = await run(killN, true);
console.log(
  `${killN} workers, one killed (-9) a third of the way: ${k.reviewed}/${PRS} heads reviewed in ${f(k.seconds)} s | check runs left open ${k.openRuns} (target 0), duplicate reviews ${k.duplicateReviews} (target 0)`,
);
console.log(
  'Timings come from a shared machine and are noisy; compare the ratios within one run.',
);
