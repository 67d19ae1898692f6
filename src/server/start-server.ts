import type { Server as HttpServer } from 'node:http';
import { Probot, ProbotOctokit, Server, type Logger } from 'probot';
import { ShutdownError } from '../github/review/abort-reasons.ts';
import { createArchitectApp, type ArchitectAppOptions } from '../github/app.ts';
import { withRateLimitRetry } from '../github/client/rate-limit-retry.ts';
import type { ReviewQueue } from '../github/queue/review-queue.ts';
import type { ServerEnv } from './env.ts';
import { fetchWithTimeout } from './fetch-with-timeout.ts';
import { healthHandler } from './health.ts';

/** Time aborted reviews get to complete their check runs before the process exits; below Docker's 10 s stop timeout. */
export const SHUTDOWN_GRACE_MS = 8000;

export type ServerDeps = Omit<ArchitectAppOptions, 'concurrency' | 'logger' | 'jobTimeoutMs'> & {
  /** Overrides Probot's Octokit, e.g. to turn off retries in tests. */
  Octokit?: typeof ProbotOctokit;
};

export interface RunningServer {
  httpServer: HttpServer;
  queue: ReviewQueue;
  /** Stops accepting reviews, cancels running ones (their check runs complete as cancelled), closes the listener. */
  shutdown(): Promise<void>;
}

/** Starts Probot's HTTP server with the app loaded and `/healthz` added. */
export async function startServer(env: ServerEnv, deps: ServerDeps, log: Logger): Promise<RunningServer> {
  const { Octokit, ...appDeps } = deps;
  const { app, queue } = createArchitectApp({ ...appDeps, concurrency: env.concurrency, jobTimeoutMs: env.jobTimeoutMs, logger: log.child({ component: 'review-queue' }) });
  let shuttingDown = false;
  // Server passes its own `request` to the Probot it builds, so the option goes to both.
  const request = { fetch: fetchWithTimeout() };

  const server = new Server({
    Probot: Probot.defaults({
      appId: env.appId,
      privateKey: env.privateKey,
      secret: env.webhookSecret,
      baseUrl: env.baseUrl,
      redisConfig: env.redisUrl,
      webhookPath: env.webhookPath,
      log,
      request,
      Octokit: withRateLimitRetry(Octokit ?? ProbotOctokit),
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
  server.addHandler(healthHandler({ shuttingDown: () => shuttingDown, stats: () => queue.stats() }));
  const httpServer = await server.start();

  let closing: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    closing ??= (async () => {
      shuttingDown = true;
      const stats = queue.stats();
      log.info({ running: stats.running, queued: stats.queued }, 'shutting down: cancelling reviews in progress');
      const grace = new Promise<'timeout'>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS, 'timeout').unref());
      const closed = await Promise.race([queue.close(new ShutdownError()).then(() => 'closed' as const), grace]);
      if (closed === 'timeout') log.warn('reviews did not finish cancelling in time; some check runs may stay in progress');
      httpServer.closeAllConnections();
      await server.stop();
    })();
    return closing;
  };
  return { httpServer, queue, shutdown };
}
