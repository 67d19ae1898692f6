import { createServer, type Server as HttpServer } from 'node:http';
import { Probot, ProbotOctokit, Server, type Logger } from 'probot';
import { ShutdownError } from '../github/review/abort-reasons.ts';
import { createArchitectApp, type ArchitectAppOptions } from '../github/app.ts';
import { withRateLimitRetry } from '../github/client/rate-limit-retry.ts';
import type { ReviewQueue } from '../github/queue/review-queue.ts';
import { BudgetGuard } from '../runtime/budget.ts';
import { interruptedResult } from '../runtime/interrupted.ts';
import { Metrics } from '../runtime/metrics.ts';
import { createRuntime } from '../runtime/create-runtime.ts';
import type { ServerEnv } from './env.ts';
import { fetchWithTimeout } from './fetch-with-timeout.ts';
import { healthHandler } from './health.ts';

/** The plugins declare only the slice of Octokit they use (its request hook). */
type OctokitPlugin = Parameters<typeof ProbotOctokit.plugin>[0];

/** Time shutdown may take before the process exits; below Docker's 10 s stop timeout. */
export const SHUTDOWN_GRACE_MS = 8000;
/** Of that, the time reviews get to end on their own (in-flight requests answer, check runs complete). */
export const IN_FLIGHT_GRACE_MS = 5000;

export type ServerDeps = Omit<
  ArchitectAppOptions,
  'concurrency' | 'logger' | 'jobTimeoutMs'
> & {
  /** Overrides Probot's Octokit, e.g. to turn off retries in tests. */
  Octokit?: typeof ProbotOctokit;
};

export interface RunningServer {
  httpServer: HttpServer;
  queue: ReviewQueue;
  metrics: Metrics;
  /** Stops accepting reviews, cancels running ones, completes every check run this process opened, closes the listener. */
  shutdown(): Promise<void>;
}

/** Starts Probot's HTTP server with the app loaded, `/healthz` and `/metrics` added, and the runtime (journal or BullMQ) behind it. */
export async function startServer(
  env: ServerEnv,
  deps: ServerDeps,
  log: Logger,
): Promise<RunningServer> {
  const { Octokit, ...appDeps } = deps;
  const runtimeParts = await createRuntime(env, log);
  const { runtime, tracker, spendStore } = runtimeParts;
  const metrics = new Metrics(runtime.depth);
  runtimeParts.attachMetrics(metrics);
  const budget = new BudgetGuard(
    spendStore,
    env.budget,
    (scope, period, unit, left) =>
      metrics.budgetRemaining.set({ scope, period, unit }, left),
    (spent) => metrics.budgetExhausted.inc({ budget: spent }),
  );
  let probot: Probot | undefined;
  const { app, queue } = createArchitectApp({
    ...appDeps,
    concurrency: env.concurrency,
    jobTimeoutMs: env.jobTimeoutMs,
    logger: log.child({ component: 'review-queue' }),
    runtime,
    budget,
    onReviewed: (findings, usage) => metrics.reviewed(findings, usage),
    onTaskStart: (waitedMs) => metrics.waitSeconds.observe(waitedMs / 1000),
    onJobEnd: (outcome, durationMs) =>
      metrics.reviewSeconds.observe({ outcome }, durationMs / 1000),
    onLoad: (loaded) => (probot = loaded),
  });
  let shuttingDown = false;
  // Server passes its own `request` to the Probot it builds, so the option goes to both.
  const request = { fetch: fetchWithTimeout() };

  const server = new Server({
    Probot: Probot.defaults({
      appId: env.appId,
      privateKey: env.privateKey,
      secret: env.webhookSecret,
      baseUrl: env.baseUrl,
      // Not Probot's `redisConfig`: with it Probot 14 fetches ioredis@5.9.3 through npx at run time
      // (a network install on the webhook path). Each process paces its own writes instead.
      webhookPath: env.webhookPath,
      log,
      request,
      // Every check run opened is recorded, so shutdown and the sweep can complete it whatever the job was doing.
      Octokit: withRateLimitRetry(
        (Octokit ?? ProbotOctokit).plugin(
          tracker.plugin as OctokitPlugin,
          metrics.plugin as OctokitPlugin,
        ),
      ),
    }),
    port: env.port,
    host: env.host,
    webhookPath: env.webhookPath,
    log,
    request,
    // Probot's landing page and static assets are for its setup flow, which this server never runs.
    enableStaticFiles: false,
  });
  await server.load(app);
  server.addHandler(
    healthHandler({
      shuttingDown: () => shuttingDown,
      stats: () => queue.stats(),
    }),
  );
  server.addHandler(metrics.handler());
  const httpServer = await server.start();
  httpServer.on('request', (req, res) => {
    if (
      req.method !== 'POST' ||
      (req.url ?? '').split('?')[0] !== env.webhookPath
    )
      return;
    const started = performance.now();
    res.once('finish', () => {
      metrics.ackSeconds.observe((performance.now() - started) / 1000);
      const event = String(req.headers['x-github-event'] ?? 'unknown');
      const outcome =
        res.statusCode < 300
          ? 'accepted'
          : res.statusCode === 503
            ? 'refused'
            : res.statusCode < 500
              ? 'rejected'
              : 'error';
      metrics.deliveries.inc({ event, outcome });
    });
  });
  const metricsServer =
    env.metricsPort === undefined
      ? undefined
      : await listenMetrics(metrics, env.metricsPort, env.host);
  if (!probot) throw new Error('the app was not loaded');
  await runtime.start(probot, queue);

  let closing: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    closing ??= (async () => {
      shuttingDown = true;
      const deadline = Date.now() + SHUTDOWN_GRACE_MS;
      const stats = queue.stats();
      log.info(
        { running: stats.running, queued: stats.queued },
        'shutting down: cancelling reviews in progress',
      );
      await runtime.stop();
      const grace = new Promise<'timeout'>((resolve) =>
        setTimeout(resolve, IN_FLIGHT_GRACE_MS, 'timeout').unref(),
      );
      const closed = await Promise.race([
        queue.close(new ShutdownError()).then(() => 'closed' as const),
        grace,
      ]);
      if (closed === 'timeout')
        log.warn(
          'reviews did not finish cancelling in time; completing their check runs directly',
        );
      // Whatever the jobs were doing (a GitHub request still in flight included), no run this process opened stays open.
      const resumes = runtime.kind === 'journal' ? 'restart' : 'worker';
      const completed = await tracker.completeOpen(
        (run) => interruptedResult(run, 'shutdown', resumes),
        deadline,
        async () => env.appId,
      );
      if (completed > 0)
        log.warn(
          { completed },
          'completed check runs left open by interrupted reviews',
        );
      await runtimeParts.settle(Math.max(0, deadline - Date.now()));
      httpServer.closeAllConnections();
      metricsServer?.closeAllConnections();
      metricsServer?.close();
      await server.stop();
      await runtimeParts.close();
    })();
    return closing;
  };
  return { httpServer, queue, metrics, shutdown };
}

async function listenMetrics(
  metrics: Metrics,
  port: number,
  host: string | undefined,
): Promise<HttpServer> {
  const handle = metrics.handler();
  const server = createServer((req, res) => {
    if (!handle(req, res))
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
