import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { Probot, ProbotOctokit, type Logger } from 'probot';
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
import { webhookIntake } from './webhook-intake.ts';

/** The plugins declare only the slice of Octokit they use (its request hook). */
type OctokitPlugin = Parameters<typeof ProbotOctokit.plugin>[0];

/** A request handler: true when it answered the request. */
type Handler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** `GET /ping`, as Probot's server answers it, for checks set up against Probot apps. */
const pingHandler: Handler = (req, res) => {
  if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/ping')
    return false;
  res.writeHead(200, { 'content-type': 'text/plain' }).end('PONG');
  return true;
};

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

/** Starts the HTTP server: the webhook fast path, `/healthz` and `/metrics`, the app loaded into Probot, and the runtime (journal or BullMQ) behind it. */
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
  });
  let shuttingDown = false;
  const probot = new Probot({
    appId: env.appId,
    privateKey: env.privateKey,
    secret: env.webhookSecret,
    baseUrl: env.baseUrl,
    // Not Probot's `redisConfig`: with it Probot 14 fetches ioredis@5.9.3 through npx at run time
    // (a network install on the webhook path). Each process paces its own writes instead.
    webhookPath: env.webhookPath,
    log,
    request: { fetch: fetchWithTimeout() },
    // Every check run opened is recorded, so shutdown and the sweep can complete it whatever the job was doing.
    Octokit: withRateLimitRetry(
      (Octokit ?? ProbotOctokit).plugin(
        tracker.plugin as OctokitPlugin,
        metrics.plugin as OctokitPlugin,
      ),
    ),
  });
  await probot.load(app, {
    cwd: process.cwd(),
    addHandler: () => {
      throw new Error('the app adds no HTTP handlers');
    },
  });
  // The webhook path is ours, not Probot's middleware: Probot answers only once every handler has
  // finished (and spends the time on a client and a log line per delivery), the fast path at once.
  const handlers: Handler[] = [
    webhookIntake({
      path: env.webhookPath,
      verify: (body, signature) => probot.webhooks.verify(body, signature),
      runtime,
      accepting: () => !shuttingDown && queue.stats().accepting,
      metrics,
      log: log.child({ component: 'webhooks' }),
    }),
    healthHandler({
      shuttingDown: () => shuttingDown,
      stats: () => queue.stats(),
    }),
    metrics.handler(),
    pingHandler,
  ];
  const httpServer = createServer((req, res) => {
    try {
      for (const handle of handlers) if (handle(req, res)) return;
      res.writeHead(404).end();
    } catch (error) {
      log.error({ err: error, url: req.url }, 'request handler failed');
      if (!res.headersSent) res.writeHead(500).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(env.port, env.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address();
  log.info(
    `Listening on http://${env.host ?? 'localhost'}:${typeof address === 'object' && address ? address.port : env.port}`,
  );
  const metricsServer =
    env.metricsPort === undefined
      ? undefined
      : await listenMetrics(metrics, env.metricsPort, env.host);
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
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
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
