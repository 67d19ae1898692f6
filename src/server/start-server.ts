import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { setPriority } from 'node:os';
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
import { healthAnswer, healthHandler, type PlainAnswer } from './health.ts';
import { type Outcome, webhookIntake } from './webhook-intake.ts';
import {
  startWebhookListener,
  type WebhookListener,
} from './webhook-listener.ts';

/** The plugins declare only the slice of Octokit they use (its request hook). */
type OctokitPlugin = Parameters<typeof ProbotOctokit.plugin>[0];

/** A request handler: true when it answered the request. */
type Handler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** `GET /ping`, as Probot's server answers it, for checks set up against Probot apps. */
function pingAnswer(
  method: string | undefined,
  url: string | undefined,
): PlainAnswer | undefined {
  if (method !== 'GET' || (url ?? '').split('?')[0] !== '/ping')
    return undefined;
  return {
    status: 200,
    headers: { 'content-type': 'text/plain' },
    body: 'PONG',
  };
}

/**
 * Scheduling priority (nice) of a BullMQ worker process: on a machine it shares with a web process,
 * answering webhooks wins the CPU over reviewing. Its analyzer processes share it (10). At nice 5,
 * four workers on two cores still held the web process's ack p99 at 670 ms in bench:scale; at 10, 133 ms.
 */
export const WORKER_NICENESS = 10;

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
  /** The port webhooks, `/healthz` and `/metrics` are served on. */
  port: number;
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
  if (env.redisUrl && env.role === 'worker') {
    try {
      setPriority(WORKER_NICENESS);
    } catch (error) {
      log.warn({ err: error }, 'could not lower the worker process priority');
    }
  }
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
  const health = {
    shuttingDown: () => shuttingDown,
    stats: () => queue.stats(),
  };
  const observe = (event: string, outcome: Outcome, seconds: number) => {
    metrics.ackSeconds.observe(seconds);
    metrics.deliveries.inc({ event, outcome });
  };
  // The webhook path is ours, not Probot's middleware: Probot answers only once every handler has
  // finished (and spends the time on a client and a log line per delivery), the fast path at once.
  // With the journal the reviews run in this process, so the listener gets a thread of its own.
  let listener: WebhookListener | undefined;
  let httpServer: HttpServer | undefined;
  let port: number;
  let started: Promise<void>;
  if (runtimeParts.journal) {
    const { journal } = runtimeParts;
    // Reads the journal before the listener can add to it: what is there now was left by the last process.
    started = runtime.start(probot, queue);
    started.catch(() => {});
    listener = await startWebhookListener(
      {
        port: env.port,
        ...(env.host ? { host: env.host } : {}),
        path: env.webhookPath,
        secret: env.webhookSecret,
        dataDir: journal.dataDir,
        logLevel: env.logLevel,
        ...(env.logFormat ? { logFormat: env.logFormat } : {}),
      },
      {
        delivery: (delivery) => journal.handOver(delivery),
        observe,
        answer: (method, url) =>
          healthAnswer(health, method, url) ??
          metrics.answer(method, url) ??
          pingAnswer(method, url),
        failed: (error) => {
          log.fatal({ err: error }, 'the webhook listener failed');
          void shutdown();
        },
      },
      log,
    );
    port = listener.port;
  } else {
    const handlers: Handler[] = [
      webhookIntake({
        path: env.webhookPath,
        verify: (body, signature) => probot.webhooks.verify(body, signature),
        runtime,
        accepting: () => !shuttingDown && queue.stats().accepting,
        observe,
        log: log.child({ component: 'webhooks' }),
      }),
      healthHandler(health),
      metrics.handler(),
      (req, res) => {
        const answer = pingAnswer(req.method, req.url);
        if (!answer) return false;
        res.writeHead(answer.status, answer.headers).end(answer.body);
        return true;
      },
    ];
    const server = createServer((req, res) => {
      try {
        for (const handle of handlers) if (handle(req, res)) return;
        res.writeHead(404).end();
      } catch (error) {
        log.error({ err: error, url: req.url }, 'request handler failed');
        if (!res.headersSent) res.writeHead(500).end();
      }
    });
    httpServer = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(env.port, env.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : env.port;
    started = runtime.start(probot, queue);
  }
  log.info(`Listening on http://${env.host ?? 'localhost'}:${port}`);
  const metricsServer =
    env.metricsPort === undefined
      ? undefined
      : await listenMetrics(metrics, env.metricsPort, env.host);
  await started;

  let closing: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    closing ??= (async () => {
      shuttingDown = true;
      listener?.setAccepting(false);
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
      httpServer?.closeAllConnections();
      metricsServer?.closeAllConnections();
      metricsServer?.close();
      await Promise.all([
        listener?.close(),
        new Promise<void>((resolve) =>
          httpServer ? httpServer.close(() => resolve()) : resolve(),
        ),
      ]);
      await runtimeParts.close();
    })();
    return closing;
  };
  return { port, queue, metrics, shutdown };
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
