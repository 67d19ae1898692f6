/**
 * Pipeline benchmark: the real server (as `npm start` runs it) against the local fake GitHub and fake
 * model over HTTP. Prints webhook acknowledgement latency, end-to-end wall time of a 60-file pull
 * request against the ideal for its chunk count, and GitHub requests per review; then a review in which
 * the model uses the repository tools for several rounds per chunk, on a small and a large repository.
 *
 *   npm run bench                 everything
 *   npm run bench -- --tools-only only the tool-using review
 *   npm run bench -- --pacing-only only GitHub latency and many installations at once
 *     [--latency N]  at one latency;  [--many-only]  only the many installations
 *   --timeline                    prints each 60-file review's requests in time order
 */
import { serviceLines } from './service-lines.ts';
import {
  AppProcess,
  freePort,
  generatePrivateKey,
  waitFor,
} from '../test/support/app-process.ts';
import {
  FakeGitHub,
  type FakeFile,
  type FakePullRequest,
} from '../test/support/fake-github.ts';
import { FakeModel } from '../test/support/fake-model.ts';
import { pullRequestPayload } from '../test/support/payloads.ts';

const SECRET = 'bench-secret';
const DELIVERIES = 200;
const FILES = 60;
const MODEL_DELAY_MS = 2000;
const CONCURRENCY = 4; // the default `model.concurrency`
const REVIEW_RUNS = 3;
const LOADED_FILES = 300;
/** The verification pass uses a small, fast model. */
const VERIFY_DELAY_MS = 500;
const TOOL_FILES = 16;
const TOOL_ROUNDS = 3; // investigative rounds before the report, so 4 requests per chunk
/** GitHub latencies per request the 60-file review is measured at (`--latency N` for one). */
const latencyArg = process.argv.indexOf('--latency');
const LATENCIES =
  latencyArg >= 0 ? [Number(process.argv[latencyArg + 1])] : [0, 50, 100];
const LATENCY_RUNS = 3;
const INSTALLATIONS = 20;
const REVIEWS_PER_INSTALLATION = 5;
const THROUGHPUT_CONCURRENCY = 8;
/** Reviews per minute of the whole server when every installation's writes shared one pace. */
const SHARED_PACING_PER_MINUTE = 19;
/**
 * The throttle spaces writes when it lets them go; a busy event loop or reads ahead of them in the
 * installation's queue can move their arrival at the fake by this much.
 */
const ARRIVAL_JITTER_MS = 100;

function percentile(sorted: number[], p: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ]!;
}

function sha(n: number): string {
  return n.toString(16).padStart(40, '0');
}

/**
 * A realistic service file: handlers with queries and outbound calls, about 80 changed lines. Even
 * files are new (their content is in the patch); odd ones extend an existing file, which the app
 * must read from GitHub.
 */
function serviceFile(i: number): {
  file: FakeFile;
  head: string;
  base?: string;
} {
  const lines = serviceLines(i);
  const filename = `src/orders/handler-${String(i).padStart(2, '0')}.ts`;
  if (i % 2 === 0) {
    const patch = [
      `@@ -0,0 +1,${lines.length} @@`,
      ...lines.map((l) => `+${l}`),
    ].join('\n');
    return {
      file: {
        filename,
        status: 'added',
        additions: lines.length,
        deletions: 0,
        patch,
      },
      head: `${lines.join('\n')}\n`,
    };
  }
  const header = [`import { db, pricing, audit } from '../deps.ts';`, ``];
  const patch = [
    `@@ -1,2 +1,${lines.length + 2} @@`,
    ...header.map((l) => ` ${l}`),
    ...lines.map((l) => `+${l}`),
  ].join('\n');
  return {
    file: {
      filename,
      status: 'modified',
      additions: lines.length,
      deletions: 0,
      patch,
    },
    head: `${[...header, ...lines].join('\n')}\n`,
    base: `${header.join('\n')}\n`,
  };
}

function pullRequest(
  number: number,
  headSha: string,
  files: number,
): FakePullRequest {
  const made = Array.from({ length: files }, (_, i) => serviceFile(i));
  const baseSha = sha(1);
  return {
    owner: 'bench',
    repo: 'orders',
    number,
    headSha,
    baseSha,
    files: made.map((m) => m.file),
    contents: {
      [headSha]: Object.fromEntries(made.map((m) => [m.file.filename, m.head])),
      [baseSha]: Object.fromEntries(
        made.flatMap((m) =>
          m.base === undefined ? [] : [[m.file.filename, m.base]],
        ),
      ),
    },
  };
}

async function withApp<T>(
  github: FakeGitHub,
  model: FakeModel,
  run: (app: AppProcess) => Promise<T>,
  env: Record<string, string> = {},
): Promise<T> {
  const app = new AppProcess(await freePort(), {
    ...env,
    APP_ID: '1',
    PRIVATE_KEY: generatePrivateKey(),
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: github.host,
    GHE_PROTOCOL: 'http',
    LOG_LEVEL: 'error',
    ANTHROPIC_API_KEY: 'bench-key',
    ANTHROPIC_BASE_URL: model.url,
    ...(process.env.BENCH_NODE_OPTIONS
      ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS }
      : {}),
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
      // A long-running server has its parsers loaded: one small review first.
      const warmHead = sha(900);
      github.addPullRequest(pullRequest(99, warmHead, 3));
      await app.deliver(
        'pull_request',
        pullRequestPayload('opened', {
          owner: 'bench',
          repo: 'orders',
          number: 99,
          headSha: warmHead,
          baseSha: sha(1),
          changedFiles: 3,
        }),
        SECRET,
      );
      await waitFor(
        () =>
          github.checkRuns.find(
            (r) => r.head_sha === warmHead && r.status === 'completed',
          ),
        'warm-up check run',
        60_000,
        app,
      );
      const latencies: number[] = [];
      for (let i = 0; i < DELIVERIES; i++) {
        const number = 100 + (i % 20);
        const head = sha(1000 + i);
        github.addPullRequest(pullRequest(number, head, 3));
        const payload = pullRequestPayload(i < 20 ? 'opened' : 'synchronize', {
          owner: 'bench',
          repo: 'orders',
          number,
          headSha: head,
          baseSha: sha(1),
          changedFiles: 3,
        });
        const started = performance.now();
        const res = await app.deliver('pull_request', payload, SECRET);
        latencies.push(performance.now() - started);
        if (res.status >= 300)
          throw new Error(`delivery ${i} answered ${res.status}`);
        await res.arrayBuffer();
      }
      return latencies.sort((a, b) => a - b);
    });
  } finally {
    await github.close();
    await model.close();
  }
}

/**
 * Ack latency while one 300-file review is being analysed: deliveries every 25 ms from the moment the
 * big review is delivered until its first model request leaves (the analyzers are done by then).
 * The deliveries are pushes to one small pull request, so each replaces the last queued job.
 */
async function ackUnderLoad(): Promise<{
  latencies: number[];
  analysisMs: number;
}> {
  const github = await new FakeGitHub().listen();
  const model = await new FakeModel(() => ({ findings: [] })).listen();
  model.delayMs = MODEL_DELAY_MS;
  try {
    return await withApp(github, model, async (app) => {
      const warmHead = sha(5000);
      github.addPullRequest(pullRequest(3, warmHead, 3));
      await app.deliver(
        'pull_request',
        pullRequestPayload('opened', {
          owner: 'bench',
          repo: 'orders',
          number: 3,
          headSha: warmHead,
          baseSha: sha(1),
          changedFiles: 3,
        }),
        SECRET,
      );
      await waitFor(
        () =>
          github.checkRuns.find(
            (r) => r.head_sha === warmHead && r.status === 'completed',
          ),
        'warm-up check run',
        60_000,
        app,
      );
      model.requests.length = 0;

      const bigHead = sha(6000);
      github.addPullRequest(pullRequest(4, bigHead, LOADED_FILES));
      const started = performance.now();
      const res = await app.deliver(
        'pull_request',
        pullRequestPayload('opened', {
          owner: 'bench',
          repo: 'orders',
          number: 4,
          headSha: bigHead,
          baseSha: sha(1),
          changedFiles: LOADED_FILES,
        }),
        SECRET,
      );
      await res.arrayBuffer();
      const latencies: number[] = [];
      for (let i = 0; model.requests.length === 0; i++) {
        if (performance.now() - started > 120_000)
          throw new Error(
            'the 300-file review sent no model request within 120 s',
          );
        const head = sha(60_000 + i);
        github.addPullRequest(pullRequest(5, head, 1));
        const sent = performance.now();
        const ack = await app.deliver(
          'pull_request',
          pullRequestPayload('synchronize', {
            owner: 'bench',
            repo: 'orders',
            number: 5,
            headSha: head,
            baseSha: sha(1),
            changedFiles: 1,
          }),
          SECRET,
        );
        latencies.push(performance.now() - sent);
        await ack.arrayBuffer();
        await new Promise((r) => setTimeout(r, 25));
      }
      return {
        latencies: latencies.sort((a, b) => a - b),
        analysisMs: performance.now() - started,
      };
    });
  } finally {
    await github.close();
    await model.close();
  }
}

async function largeReview(latencyMs = 0, reviewRuns = REVIEW_RUNS) {
  const github = await new FakeGitHub().listen();
  const model = await new FakeModel((_body, text) => {
    // Two findings per file the chunk shows: one inline, one on a line far outside the diff.
    const paths = [
      ...new Set(text.match(/src\/orders\/handler-\d\d\.ts/g) ?? []),
    ];
    return {
      findings: paths.flatMap((path) => [
        {
          path,
          line: 3,
          category: 'performance',
          severity: 'medium',
          title: 'SELECT * on a hot path',
          body: 'Select the columns the handler uses.',
        },
        {
          path,
          line: 5,
          category: 'failure-mode',
          severity: 'high',
          title: 'Pricing call without timeout',
          body: 'A slow pricing service stalls every order view.',
        },
      ]),
    };
  }).listen();
  model.delayMs = MODEL_DELAY_MS;
  model.verifyDelayMs = VERIFY_DELAY_MS;
  try {
    return await withApp(github, model, async (app) => {
      /** Waits until no write has arrived for a while: the review, summary comment and annotation batches are paced by GitHub's limits. */
      const quiet = async () => {
        for (;;) {
          const last = Math.max(0, ...github.writes().map((w) => w.at));
          if (Date.now() - last > 4000) return;
          await new Promise((r) => setTimeout(r, 250));
        }
      };
      // A long-running server has its parsers loaded and code compiled: warm it up with a small review first.
      const warmHead = sha(7000);
      github.addPullRequest(pullRequest(2, warmHead, 3));
      await app.deliver(
        'pull_request',
        pullRequestPayload('opened', {
          owner: 'bench',
          repo: 'orders',
          number: 2,
          headSha: warmHead,
          baseSha: sha(1),
          changedFiles: 3,
        }),
        SECRET,
      );
      await waitFor(
        () =>
          github.checkRuns.find(
            (r) => r.head_sha === warmHead && r.status === 'completed',
          ),
        'warm-up check run',
        60_000,
        app,
      );
      await quiet();

      // Latency from here on: the warm-up is not what is measured.
      github.latencyMs = latencyMs;
      const runs = [];
      for (let r = 0; r < reviewRuns; r++) {
        github.requests.length = 0;
        model.requests.length = 0;
        const number = 10 + r;
        const head = sha(7777 + r);
        github.addPullRequest(pullRequest(number, head, FILES));
        const started = Date.now();
        await app.deliver(
          'pull_request',
          pullRequestPayload('opened', {
            owner: 'bench',
            repo: 'orders',
            number,
            headSha: head,
            baseSha: sha(1),
            changedFiles: FILES,
          }),
          SECRET,
        );
        const run = await waitFor(
          () =>
            github.checkRuns.find(
              (c) => c.head_sha === head && c.status === 'completed',
            ),
          'check run',
          120_000,
          app,
        );
        await waitFor(
          () => github.reviews.find((v) => v.pull === number),
          'review',
          30_000,
          app,
        );
        await quiet();
        const completion = github.requests.find(
          (q) =>
            q.method === 'PATCH' &&
            (q.body as { conclusion?: string } | undefined)?.conclusion,
        );
        if (process.argv.includes('--timeline')) {
          const events = [
            ...github.requests.map((q) => ({
              at: q.at,
              what: `github ${q.route ?? `${q.method} ${q.path}`} ${q.method === 'GET' ? q.path : ''}`,
            })),
            ...model.requests.map((q) => ({
              at: q.startedAt,
              what: 'model request',
            })),
          ].sort((x, y) => x.at - y.at);
          for (const e of events)
            console.error(
              `${String(e.at - started).padStart(6)} ms  ${e.what}`,
            );
        }
        const chunks = model.reviewRequests.length;
        const verifications =
          model.requests.length - chunks - model.warmUps.length;
        const writes = github.writes();
        runs.push({
          conclusion: run.conclusion,
          chunks,
          wallMs: Math.max(...writes.map((w) => w.at)) - started,
          checkDoneMs: (completion?.at ?? Date.now()) - started,
          firstModelMs:
            Math.min(...model.requests.map((q) => q.startedAt)) - started,
          idealMs:
            Math.ceil(chunks / CONCURRENCY) * MODEL_DELAY_MS +
            Math.ceil(verifications / CONCURRENCY) * VERIFY_DELAY_MS,
          verifications,
          findings: run.annotations.length,
          inlineComments:
            github.reviews.find((v) => v.pull === number)?.comments.length ?? 0,
          requests: github.requests.filter(
            (q) => !q.path.includes('/access_tokens'),
          ).length,
          reads: github.requests.filter((q) => q.method === 'GET').length,
          writes: writes.length,
          writeRoutes: writes.map((w) => w.route ?? w.path),
          unmatched: github.unmatched.length,
        });
      }
      return runs;
    });
  } finally {
    await github.close();
    await model.close();
  }
}

/**
 * A review whose model investigates: every chunk spends TOOL_ROUNDS rounds reading untouched files
 * and searching before it reports, each answer taking MODEL_DELAY_MS. Run on a small and a large
 * repository, to show the repository view's requests do not grow with its size.
 */
async function toolReview(untouchedFiles: number) {
  const github = await new FakeGitHub().listen();
  const model = await new FakeModel((body, text) => {
    const round = body.messages.filter((m) => m.role === 'assistant').length;
    const paths = [
      ...new Set(text.match(/src\/orders\/handler-\d\d\.ts/g) ?? []),
    ];
    if (round < TOOL_ROUNDS) {
      const n = round * 7 + paths.length;
      return {
        toolCalls: [
          {
            name: 'read_file',
            input: {
              path: `lib/module-${String(n % untouchedFiles).padStart(5, '0')}.ts`,
            },
          },
          {
            name: 'search_code',
            input: { pattern: `pricing.quote`, path_glob: 'src/**' },
          },
        ],
      };
    }
    return {
      findings: paths.map((path) => ({
        path,
        line: 5,
        category: 'failure-mode',
        severity: 'high',
        title: 'Pricing call without timeout',
        body: 'A slow pricing service stalls every order view.',
        outside_diff: true,
        evidence: [{ path, line: 5 }],
      })),
    };
  }).listen();
  model.delayMs = MODEL_DELAY_MS;
  model.verifyDelayMs = VERIFY_DELAY_MS;
  model.simulateCache = true;
  try {
    return await withApp(github, model, async (app) => {
      const pr = pullRequest(40, sha(9000 + untouchedFiles), TOOL_FILES);
      const module = (i: number) =>
        `${Array.from({ length: 60 }, (_, l) => `export const value${i}_${l} = compute(${l}); // helper ${l}`).join('\n')}\n`;
      for (let i = 0; i < untouchedFiles; i++)
        pr.contents[pr.headSha]![
          `lib/module-${String(i).padStart(5, '0')}.ts`
        ] = module(i);
      github.addPullRequest(pr);
      const started = Date.now();
      await app.deliver(
        'pull_request',
        pullRequestPayload('opened', {
          owner: 'bench',
          repo: 'orders',
          number: 40,
          headSha: pr.headSha,
          baseSha: sha(1),
          changedFiles: TOOL_FILES,
        }),
        SECRET,
      );
      const run = await waitFor(
        () =>
          github.checkRuns.find(
            (c) => c.head_sha === pr.headSha && c.status === 'completed',
          ),
        'tool review check run',
        180_000,
        app,
      );
      const completion = github.requests.find(
        (q) =>
          q.method === 'PATCH' &&
          (q.body as { conclusion?: string } | undefined)?.conclusion,
      );
      const rounds = model.reviewRequests;
      const chunks = rounds.filter(
        (r) => !r.body.messages.some((m) => m.role === 'assistant'),
      ).length;
      // Cache warm-ups are neither review rounds nor verifications.
      const verifications =
        model.requests.length - rounds.length - model.warmUps.length;
      const perRound =
        Math.ceil(chunks / CONCURRENCY) * (TOOL_ROUNDS + 1) * MODEL_DELAY_MS;
      const viewRequests = github.requests.filter(
        (q) =>
          q.path.includes('/tarball/') ||
          q.path.includes('/git/trees/') ||
          (q.path.includes('/contents/') && q.path.includes('lib%2F')),
      );
      return {
        untouchedFiles,
        conclusion: run.conclusion,
        chunks,
        requests: rounds.length,
        verifications,
        checkDoneMs: (completion?.at ?? Date.now()) - started,
        firstModelMs:
          Math.min(...model.requests.map((q) => q.startedAt)) - started,
        lastModelMs:
          Math.max(...model.requests.map((q) => q.endedAt ?? q.startedAt)) -
          started,
        idealMs:
          perRound + Math.ceil(verifications / CONCURRENCY) * VERIFY_DELAY_MS,
        viewRequests: viewRequests.length,
        usages: rounds.map((r) => r.usage!),
        findings: run.annotations.length,
        unmatched: github.unmatched.length,
      };
    });
  } finally {
    await github.close();
    await model.close();
  }
}

/**
 * Reviews per minute when many installations push at once: INSTALLATIONS installations with
 * REVIEWS_PER_INSTALLATION small pull requests each, all delivered together to a server running
 * THROUGHPUT_CONCURRENCY reviews at a time. GitHub's write limits are per installation, so the ideal is
 * bounded by the model alone; the writes of each installation are checked to stay paced.
 */
async function manyInstallations() {
  const github = await new FakeGitHub().listen();
  const model = await new FakeModel(() => ({ findings: [] })).listen();
  model.delayMs = MODEL_DELAY_MS;
  const owner = (i: number) => `tenant-${String(i).padStart(2, '0')}`;
  const deliver = async (
    app: AppProcess,
    i: number,
    number: number,
    head: string,
  ) => {
    github.addPullRequest({
      ...pullRequest(number, head, 3),
      owner: owner(i),
    });
    const res = await app.deliver(
      'pull_request',
      pullRequestPayload('opened', {
        owner: owner(i),
        repo: 'orders',
        number,
        headSha: head,
        baseSha: sha(1),
        changedFiles: 3,
        installationId: 100 + i,
      }),
      SECRET,
    );
    await res.arrayBuffer();
  };
  try {
    return await withApp(
      github,
      model,
      async (app) => {
        const warmHead = sha(8000);
        await deliver(app, INSTALLATIONS, 999, warmHead);
        await waitFor(
          () =>
            github.checkRuns.find(
              (r) => r.head_sha === warmHead && r.status === 'completed',
            ),
          'warm-up check run',
          60_000,
          app,
        );
        await new Promise((r) => setTimeout(r, 4000));
        github.requests.length = 0;
        model.requests.length = 0;

        const heads: string[] = [];
        const delivered = new Map<string, number>();
        const pullOf = new Map<string, { owner: string; number: number }>();
        const started = Date.now();
        for (let n = 0; n < REVIEWS_PER_INSTALLATION; n++)
          for (let i = 0; i < INSTALLATIONS; i++) {
            const head = sha(80_000 + n * 100 + i);
            heads.push(head);
            delivered.set(head, Date.now());
            // Numbers differ across installations too: the fake keeps comments by number alone.
            const number = 1 + n * INSTALLATIONS + i;
            pullOf.set(head, { owner: owner(i), number });
            await deliver(app, i, number, head);
          }
        const reviews = heads.length;
        await waitFor(
          () =>
            heads.every((h) =>
              github.checkRuns.some(
                (r) => r.head_sha === h && r.status === 'completed',
              ),
            )
              ? true
              : undefined,
          'every check run completed',
          15 * 60_000,
          app,
        );
        // The writes after the verdict (summary comments) follow at the installation's pace.
        for (;;) {
          const last = Math.max(0, ...github.writes().map((w) => w.at));
          if (Date.now() - last > 4000) break;
          await new Promise((r) => setTimeout(r, 250));
        }
        const writes = github.writes();
        const lastVerdict = Math.max(
          ...github.requests
            .filter(
              (q) =>
                q.method === 'PATCH' &&
                (q.body as { conclusion?: string } | undefined)?.conclusion,
            )
            .map((q) => q.at),
        );
        const lastWrite = Math.max(...writes.map((w) => w.at));
        // Gaps between one installation's consecutive writes, and between its content-creating ones.
        const gaps: number[] = [];
        const creationGaps: number[] = [];
        const creates = (route: string | undefined) =>
          route ===
            'POST /repos/{owner}/{repo}/issues/{issue_number}/comments' ||
          route === 'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews';
        for (let i = 0; i < INSTALLATIONS; i++) {
          const own = writes
            .filter((w) => w.path.startsWith(`/repos/${owner(i)}/`))
            .sort((a, b) => a.at - b.at);
          for (let k = 1; k < own.length; k++)
            gaps.push(own[k]!.at - own[k - 1]!.at);
          const created = own.filter((w) => creates(w.route));
          for (let k = 1; k < created.length; k++)
            creationGaps.push(created[k]!.at - created[k - 1]!.at);
        }
        // Where a review's time goes: delivery to its check run, check run to verdict, verdict to its last write.
        const phases = heads.map((head) => {
          const run = github.checkRuns.find((r) => r.head_sha === head)!;
          const pull = pullOf.get(head)!;
          const own = writes.filter((w) =>
            w.path.startsWith(`/repos/${pull.owner}/orders/`),
          );
          // The job's first request reads the pull request.
          const first = github.requests.find(
            (q) =>
              q.method === 'GET' &&
              q.path === `/repos/${pull.owner}/orders/pulls/${pull.number}`,
          )!.at;
          const created = own.find(
            (w) =>
              w.method === 'POST' &&
              (w.body as { head_sha?: string }).head_sha === head,
          )!.at;
          const verdict = own.find(
            (w) =>
              w.method === 'PATCH' &&
              w.path.endsWith(`/check-runs/${run.id}`) &&
              (w.body as { conclusion?: string }).conclusion,
          )!.at;
          const summary = own.find(
            (w) =>
              w.method === 'POST' &&
              w.path ===
                `/repos/${pull.owner}/orders/issues/${pull.number}/comments` &&
              w.at >= verdict,
          )?.at;
          return {
            queued: first - delivered.get(head)!,
            toCheck: created - first,
            toVerdict: verdict - created,
            toLastWrite: (summary ?? verdict) - verdict,
          };
        });
        const mean = (pick: (p: (typeof phases)[number]) => number) =>
          phases.reduce((sum, p) => sum + pick(p), 0) / phases.length;
        return {
          reviews,
          phases: {
            queued: mean((p) => p.queued),
            toCheck: mean((p) => p.toCheck),
            toVerdict: mean((p) => p.toVerdict),
            toLastWrite: mean((p) => p.toLastWrite),
          },
          verdictMs: lastVerdict - started,
          wallMs: lastWrite - started,
          idealMs: Math.ceil(reviews / THROUGHPUT_CONCURRENCY) * MODEL_DELAY_MS,
          modelRequests: model.requests.length,
          writes: writes.length,
          minGapMs: Math.min(...gaps),
          minCreationGapMs: Math.min(...creationGaps),
          unmatched: github.unmatched.length,
        };
      },
      { ARCHITECT_CONCURRENCY: String(THROUGHPUT_CONCURRENCY) },
    );
  } finally {
    await github.close();
    await model.close();
  }
}

/** Wall time against the ideal as GitHub gets slower, and reviews per minute across installations. */
async function pacingReport(): Promise<void> {
  console.log('');
  console.log(
    `GitHub latency         ${FILES}-file review, verdict (check run completed) vs ideal, median of ${LATENCY_RUNS} runs`,
  );
  for (const latencyMs of process.argv.includes('--many-only')
    ? []
    : LATENCIES) {
    const runs = await largeReview(latencyMs, LATENCY_RUNS);
    const sorted = [...runs].sort((x, y) => x.checkDoneMs - y.checkDoneMs);
    const review = sorted[Math.floor(sorted.length / 2)]!;
    const ratio = review.checkDoneMs / review.idealMs;
    console.log(
      `  ${String(latencyMs).padStart(3)} ms per request: first model request at ${(review.firstModelMs / 1000).toFixed(2)} s, verdict ${(review.checkDoneMs / 1000).toFixed(2)} s = ${ratio.toFixed(3)} x ideal ${(review.idealMs / 1000).toFixed(1)} s (target <= 1.15) ${ratio <= 1.15 ? 'PASS' : 'FAIL'}   runs: ${runs.map((r) => (r.checkDoneMs / r.idealMs).toFixed(3)).join(', ')}; ${review.requests} requests, unmatched ${runs.reduce((n, r) => n + r.unmatched, 0)}`,
    );
  }
  const many = await manyInstallations();
  const perMinute = (many.reviews / many.wallMs) * 60_000;
  const idealPerMinute = (many.reviews / many.idealMs) * 60_000;
  console.log(
    `many installations     ${many.reviews} reviews of 3-file pull requests on ${INSTALLATIONS} installations at once, model ${MODEL_DELAY_MS} ms/call, ${THROUGHPUT_CONCURRENCY} reviews at a time`,
  );
  console.log(
    `  all verdicts in ${(many.verdictMs / 1000).toFixed(1)} s, last write at ${(many.wallMs / 1000).toFixed(1)} s: ${perMinute.toFixed(0)} reviews/min vs ideal ${idealPerMinute.toFixed(0)}/min (ceil(${many.reviews}/${THROUGHPUT_CONCURRENCY}) x ${MODEL_DELAY_MS / 1000} s) = ${(perMinute / idealPerMinute).toFixed(3)} of ideal (target >= ${10 * SHARED_PACING_PER_MINUTE}/min, 10 x the ${SHARED_PACING_PER_MINUTE}/min of pacing shared by the whole server) ${perMinute >= 10 * SHARED_PACING_PER_MINUTE ? 'PASS' : 'FAIL'}`,
  );
  console.log(
    `  a review on average: queued ${(many.phases.queued / 1000).toFixed(2)} s, then ${(many.phases.toCheck / 1000).toFixed(2)} s to open its check run, ${(many.phases.toVerdict / 1000).toFixed(2)} s to the verdict, ${(many.phases.toLastWrite / 1000).toFixed(2)} s more to its summary comment`,
  );
  const paced = many.minGapMs >= 1000 - ARRIVAL_JITTER_MS;
  const creationPaced =
    !Number.isFinite(many.minCreationGapMs) ||
    many.minCreationGapMs >= 3000 - ARRIVAL_JITTER_MS;
  console.log(
    `  per installation: ${many.writes} writes, closest two of one installation ${many.minGapMs} ms apart (>= 1 s) ${paced ? 'PASS' : 'FAIL'}, closest two content-creating ${Number.isFinite(many.minCreationGapMs) ? `${many.minCreationGapMs} ms` : 'n/a'} (>= 3 s) ${creationPaced ? 'PASS' : 'FAIL'}; ${many.modelRequests} model requests, unmatched ${many.unmatched}`,
  );
}

const toolsOnly = process.argv.includes('--tools-only');
const pacingOnly = process.argv.includes('--pacing-only');
if (!toolsOnly && !pacingOnly) await pipelineReport();
if (!toolsOnly) await pacingReport();
if (pacingOnly) process.exit(0);

async function pipelineReport(): Promise<void> {
  const ack = process.argv.includes('--timeline') ? [0] : await ackLatency();
  const loaded = process.argv.includes('--timeline')
    ? { latencies: [0], analysisMs: 0 }
    : await ackUnderLoad();
  if (process.argv.includes('--load-only')) {
    console.log(
      `idle p99 ${percentile(ack, 99).toFixed(1)} ms; while a ${LOADED_FILES}-file review is analysed: p50 ${loaded.latencies[Math.floor(loaded.latencies.length / 2)]!.toFixed(1)} ms, p99 ${percentile(loaded.latencies, 99).toFixed(1)} ms`,
    );
    process.exit(0);
  }
  const runs = await largeReview();
  const median = <T>(values: T[], key: (v: T) => number): T =>
    [...values].sort((x, y) => key(x) - key(y))[Math.floor(values.length / 2)]!;
  const review = median(runs, (r) => r.checkDoneMs);
  // Check run create + complete, the review, the sticky summary comment, and further annotation batches.
  const writeBudget = 5 + Math.ceil(review.findings / 50);
  const checkRatio = review.checkDoneMs / review.idealMs;
  const lastRatio = review.wallMs / review.idealMs;

  console.log('Backend Architect pipeline benchmark');
  console.log(
    `node ${process.version}, ${DELIVERIES} deliveries, ${FILES}-file pull request (${REVIEW_RUNS} runs on a warm server, median shown), model ${MODEL_DELAY_MS} ms/call, concurrency ${CONCURRENCY}`,
  );
  console.log('');
  console.log(
    `webhook ack latency   p50 ${ack[Math.floor(ack.length / 2)]!.toFixed(1)} ms   p99 ${percentile(ack, 99).toFixed(1)} ms   max ${ack.at(-1)!.toFixed(1)} ms   (target p99 < 50 ms) ${percentile(ack, 99) < 50 ? 'PASS' : 'FAIL'}`,
  );
  const loadedP99 = percentile(loaded.latencies, 99);
  console.log(
    `  while a ${LOADED_FILES}-file review is analysed (${(loaded.analysisMs / 1000).toFixed(1)} s, ${loaded.latencies.length} deliveries)   p50 ${loaded.latencies[Math.floor(loaded.latencies.length / 2)]!.toFixed(1)} ms   p99 ${loadedP99.toFixed(1)} ms   max ${loaded.latencies.at(-1)!.toFixed(1)} ms   = ${(loadedP99 / percentile(ack, 99)).toFixed(1)} x the idle p99 (target p99 < 50 ms) ${loadedP99 < 50 ? 'PASS' : 'FAIL'}`,
  );
  console.log(
    `60-file review         ${review.chunks} chunks + ${review.verifications} verifications, ideal ceil(${review.chunks}/${CONCURRENCY}) x ${MODEL_DELAY_MS / 1000} s + ceil(${review.verifications}/${CONCURRENCY}) x ${VERIFY_DELAY_MS / 1000} s = ${(review.idealMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `  verdict (check run completed)  ${(review.checkDoneMs / 1000).toFixed(2)} s = ${checkRatio.toFixed(3)} x ideal (target <= 1.15) ${checkRatio <= 1.15 ? 'PASS' : 'FAIL'}   runs: ${runs.map((r) => (r.checkDoneMs / r.idealMs).toFixed(3)).join(', ')}`,
  );
  console.log(
    `  last write                     ${(review.wallMs / 1000).toFixed(2)} s = ${lastRatio.toFixed(3)} x ideal (review, summary comment and annotation batches follow at GitHub's pacing: 1 s between writes, 3 s between comments)`,
  );
  console.log(
    `  conclusion ${review.conclusion}, ${review.findings} findings, ${review.inlineComments} inline comments`,
  );
  console.log(
    `GitHub requests/review ${review.requests} (${review.reads} reads, ${review.writes} writes: ${review.writeRoutes.join(', ')})`,
  );
  console.log(
    `  writes ${review.writes} <= 5 + ceil(${review.findings}/50) = ${writeBudget} ${review.writes <= writeBudget ? 'PASS' : 'FAIL'}; unmatched requests ${runs.reduce((n, r) => n + r.unmatched, 0)}`,
  );
}

const toolRuns = [await toolReview(50), await toolReview(3000)];
console.log('');
console.log(
  `tool-using review       ${TOOL_FILES} changed files, ${TOOL_ROUNDS} tool rounds + 1 report per chunk, model ${MODEL_DELAY_MS} ms/round, verification ${VERIFY_DELAY_MS} ms/call`,
);
for (const t of toolRuns) {
  const ratio = t.checkDoneMs / t.idealMs;
  const billed = t.usages.map(
    (u) => u.input + 0.1 * u.cacheRead + 1.25 * u.cacheWrite,
  );
  const uncached = t.usages.map((u) => u.input + u.cacheRead + u.cacheWrite);
  const avg = (xs: number[]) =>
    xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  console.log(
    `  repository of ${t.untouchedFiles + TOOL_FILES} files: ${t.chunks} chunks, ${t.requests} model rounds, ${t.verifications} verifications, ${t.findings} findings, conclusion ${t.conclusion}`,
  );
  console.log(
    `    verdict ${(t.checkDoneMs / 1000).toFixed(2)} s vs ideal ceil(${t.chunks}/${CONCURRENCY}) x ${TOOL_ROUNDS + 1} x ${MODEL_DELAY_MS / 1000} s + ceil(${t.verifications}/${CONCURRENCY}) x ${VERIFY_DELAY_MS / 1000} s = ${(t.idealMs / 1000).toFixed(1)} s: ${ratio.toFixed(3)} x ideal (target <= 1.15) ${ratio <= 1.15 ? 'PASS' : 'FAIL'}`,
  );
  const phase = (t.lastModelMs - t.firstModelMs) / t.idealMs;
  console.log(
    `    first model request at ${(t.firstModelMs / 1000).toFixed(2)} s (webhook, check run, listing, analyzers), last answer at ${(t.lastModelMs / 1000).toFixed(2)} s: the model phase takes ${((t.lastModelMs - t.firstModelMs) / 1000).toFixed(2)} s = ${phase.toFixed(3)} x ideal`,
  );
  console.log(
    `    GitHub requests for the repository view: ${t.viewRequests} (target <= 3) ${t.viewRequests <= 3 ? 'PASS' : 'FAIL'}; unmatched ${t.unmatched}`,
  );
  console.log(
    `    input tokens per round, billed-equivalent (cache reads x 0.1, writes x 1.25): mean ${avg(billed).toFixed(0)} vs ${avg(uncached).toFixed(0)} without caching (${(avg(billed) / avg(uncached)).toFixed(3)}); by round: ${[0, 1, 2, 3].map((k) => avg(t.usages.filter((u) => u.round === k).map((u) => u.input + 0.1 * u.cacheRead + 1.25 * u.cacheWrite)).toFixed(0)).join(', ')}`,
  );
}
