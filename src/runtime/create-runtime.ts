import type { Logger } from '../core/logger.ts';
import type { ServerEnv } from '../server/env.ts';
import { CheckRunTracker } from './check-run-tracker.ts';
import { JournalRuntime } from './journal-runtime.ts';
import type { Metrics } from './metrics.ts';
import type { DeliveryContext, Runtime } from './runtime.ts';
import { SqliteStore } from './sqlite-store.ts';
import type { SpendStore } from './stores.ts';

export interface RuntimeParts {
  runtime: Runtime;
  tracker: CheckRunTracker;
  spendStore: SpendStore;
  attachMetrics(metrics: Metrics): void;
  /** Bounded wait for queued work to hand back (BullMQ's worker); nothing to do for the journal. */
  settle(ms: number): Promise<void>;
  close(): Promise<void>;
  /** The journal (one process): where it lives, and how a delivery journaled elsewhere is handed over. */
  journal?: {
    dataDir: string;
    handOver(delivery: DeliveryContext): void;
  };
}

/** BullMQ on Redis when REDIS_URL is set, else the SQLite journal under ARCHITECT_DATA_DIR. */
export async function createRuntime(
  env: ServerEnv,
  logger: Logger,
): Promise<RuntimeParts> {
  if (env.redisUrl) {
    // Loaded only when used: a single-process server starts without BullMQ and ioredis.
    const [{ Redis }, { BullRuntime }, { RedisStore }] = await Promise.all([
      import('ioredis'),
      import('./bull-runtime.ts'),
      import('./redis-store.ts'),
    ]);
    const connection = new Redis(env.redisUrl, { maxRetriesPerRequest: null });
    const store = new RedisStore(connection);
    const tracker = new CheckRunTracker(store, logger);
    const runtime = new BullRuntime({
      connection,
      role: env.role,
      concurrency: env.concurrency,
      stalledMs: env.stalledMs,
      attempts: env.jobAttempts,
      retryDelayMs: env.retryDelayMs,
      jobTimeoutMs: env.jobTimeoutMs,
      sweepIntervalMs: env.sweepIntervalMs,
      store,
      logger,
    });
    return {
      runtime,
      tracker,
      spendStore: store,
      attachMetrics: (metrics) => (runtime.metrics = metrics),
      settle: (ms) => runtime.settle(ms),
      close: async () => {
        await runtime.close();
        connection.disconnect();
      },
    };
  }
  const store = new SqliteStore(env.dataDir);
  const tracker = new CheckRunTracker(store, logger);
  const runtime = new JournalRuntime({
    store,
    tracker,
    logger,
    jobTimeoutMs: env.jobTimeoutMs,
    sweepIntervalMs: env.sweepIntervalMs,
  });
  return {
    runtime,
    tracker,
    spendStore: store,
    attachMetrics: (metrics) => (runtime.metrics = metrics),
    settle: async () => {},
    close: async () => store.close(),
    journal: {
      dataDir: env.dataDir,
      handOver: (delivery) => runtime.handOver(delivery),
    },
  };
}
