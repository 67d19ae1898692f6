import type { Probot } from 'probot';
import type { Logger } from '../core/logger.ts';
import type { GitHubClient } from '../github/client/github-client.ts';
import { NotAcceptingError } from '../github/queue/enqueue-review.ts';
import type { ReviewQueue } from '../github/queue/review-queue.ts';
import type { CheckRunTracker } from './check-run-tracker.ts';
import {
  currentDelivery,
  newScope,
  runInDelivery,
  settleScope,
  type DeliveryScope,
} from './delivery-scope.ts';
import type { Metrics } from './metrics.ts';
import type { DeliveryContext, Runtime } from './runtime.ts';
import type { SqliteStore } from './sqlite-store.ts';
import { sweepOpenCheckRuns } from './sweep.ts';

export interface JournalRuntimeOptions {
  store: SqliteStore;
  tracker: CheckRunTracker;
  logger: Logger;
  /** A check run open longer than this (plus a margin) was left behind. */
  jobTimeoutMs: number;
  sweepIntervalMs: number;
}

/** Margin over the job deadline before the sweep completes a run: the job's own ending may still be on its way. */
export const SWEEP_MARGIN_MS = 60_000;

/**
 * The embedded runtime: every accepted delivery is written to the SQLite journal before the webhook
 * is answered (202), handed to the app's handlers in this process right after, and deleted once all
 * the work it queued has ended. A delivery whose work was cut
 * short (kill -9, or SIGTERM) stays and runs again when the process starts.
 */
export class JournalRuntime implements Runtime {
  readonly kind = 'journal' as const;
  readonly #o: JournalRuntimeOptions;
  #queue: ReviewQueue | undefined;
  #probot: Probot | undefined;
  readonly #early: DeliveryContext[] = [];
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  metrics: Metrics | undefined;

  constructor(options: JournalRuntimeOptions) {
    this.#o = options;
  }

  readonly depth = async () => {
    const stats = this.#queue?.stats();
    return { waiting: stats?.queued ?? 0, active: stats?.running ?? 0 };
  };

  async accept(delivery: DeliveryContext): Promise<'accepted' | 'duplicate'> {
    if (this.#stopped) throw new NotAcceptingError();
    if (!this.#o.store.accept(delivery)) return 'duplicate';
    this.handOver(delivery);
    return 'accepted';
  }

  /**
   * Runs a delivery already in the journal (written by `accept`, or by the webhook listener thread
   * through its own connection). Once stopping it stays there for the next start.
   */
  handOver(delivery: DeliveryContext): void {
    if (this.#stopped) return;
    const probot = this.#probot;
    // Accepted while start() still resumes the last process's work: it runs right after that.
    if (!probot) this.#early.push(delivery);
    // On the next turn of the event loop, so the answer goes out before the handlers' work.
    else setImmediate(() => this.#run(probot, delivery, false));
  }

  wrap<C extends DeliveryContext>(
    handler: (context: C) => Promise<void>,
  ): (context: C) => Promise<void> {
    return async (context) => {
      // Accepted at the door (or resumed): the delivery already has its scope and its journal entry.
      if (currentDelivery()) return handler(context);
      this.#o.store.accept({
        id: context.id,
        name: context.name,
        payload: context.payload,
      });
      this.#o.store.started(context.id);
      const scope = newScope(context.id, context.payload);
      try {
        await runInDelivery(scope, () => handler(context));
      } catch (error) {
        // Refused (shutting down): GitHub records the delivery as failed; the journal keeps it for the restart.
        if (!this.#stopped) this.#o.store.finished(context.id);
        throw error;
      }
      this.#settle(scope);
    };
  }

  #settle(scope: DeliveryScope): void {
    void settleScope(scope).then((result) => {
      if (result.end !== 'interrupted')
        this.#o.store.finished(scope.deliveryId);
    });
  }

  /** Hands a journaled delivery to the app's handlers; its entry goes once all the work it queued has ended. */
  #run(probot: Probot, delivery: DeliveryContext, resumed: boolean): void {
    this.#o.store.started(delivery.id);
    const scope = newScope(delivery.id, delivery.payload, resumed);
    runInDelivery(scope, () =>
      probot.receive({
        id: delivery.id,
        name: delivery.name,
        payload: delivery.payload,
      } as Parameters<Probot['receive']>[0]),
    ).then(
      () => this.#settle(scope),
      (error: unknown) => {
        // Refused because the process is stopping: the entry stays and runs again after the restart.
        if (this.#stopped) return;
        this.#o.logger.error(
          { err: error, delivery: delivery.id, event: delivery.name },
          'the handlers failed on an accepted delivery; dropping it',
        );
        this.#o.store.finished(delivery.id);
      },
    );
  }

  async start(probot: Probot, queue: ReviewQueue): Promise<void> {
    this.#queue = queue;
    const early = new Set(this.#early.map((d) => d.id));
    const unfinished = this.#o.store
      .unfinished()
      .filter((d) => !early.has(d.id));
    const resuming = new Set(unfinished.map((d) => d.id));
    const octokitFor = async (installationId: number) =>
      (await probot.auth(installationId)) as unknown as GitHubClient;
    // Only this process uses the data directory: every run still recorded as open was left by the last one.
    const swept = await sweepOpenCheckRuns({
      store: this.#o.store,
      octokitFor,
      logger: this.#o.logger,
      olderThanMs: 0,
      why: 'crashed',
      resumes: (run) =>
        run.deliveryId !== undefined && resuming.has(run.deliveryId),
    });
    if (swept > 0) this.metrics?.recovered.inc({ cause: 'sweep' }, swept);
    for (const delivery of unfinished) {
      this.#o.logger.info(
        { delivery: delivery.id, event: delivery.name, runs: delivery.runs },
        'resuming a delivery accepted before the restart',
      );
      this.metrics?.recovered.inc({ cause: 'restart' });
      this.#run(probot, delivery, true);
    }
    // New deliveries run after the resumed ones.
    this.#probot = probot;
    for (const delivery of this.#early.splice(0))
      this.#run(probot, delivery, false);
    this.#timer = setInterval(() => {
      void sweepOpenCheckRuns({
        store: this.#o.store,
        octokitFor,
        logger: this.#o.logger,
        olderThanMs:
          this.#o.jobTimeoutMs +
          Math.min(SWEEP_MARGIN_MS, this.#o.jobTimeoutMs),
        why: 'stalled',
        resumes: () => false,
      }).then(
        (n) => n > 0 && this.metrics?.recovered.inc({ cause: 'sweep' }, n),
      );
    }, this.#o.sweepIntervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
  }

  close(): void {
    this.#o.store.close();
  }
}
