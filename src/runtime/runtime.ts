import type { Probot } from 'probot';
import type { ReviewQueue } from '../github/queue/review-queue.ts';
import type { DepthSource } from './metrics.ts';

/** What a webhook handler gets from Probot, as far as the runtime is concerned. */
export interface DeliveryContext {
  id: string;
  name: string;
  payload: unknown;
}

/**
 * Where accepted work lives until it is done: a journal on local disk (one process), or BullMQ on
 * Redis (many). Either way the webhook is answered only once the work is recorded.
 */
export interface Runtime {
  readonly kind: 'journal' | 'bullmq';
  /**
   * The webhook's fast path: records (or enqueues) a verified delivery and returns as soon as it is
   * durable; the app's handlers run it afterwards (in this process for the journal, on a worker for
   * BullMQ). `duplicate`: the same delivery is already recorded and not finished. Throws
   * `NotAcceptingError` once stopping.
   */
  accept(delivery: DeliveryContext): Promise<'accepted' | 'duplicate'>;
  /** Wraps a webhook handler: a delivery that reaches it without `accept` is recorded (or enqueued) first. */
  wrap<C extends DeliveryContext>(
    handler: (context: C) => Promise<void>,
  ): (context: C) => Promise<void>;
  /** Once the app is loaded: resumes unfinished work, starts sweeps (and workers). */
  start(probot: Probot, queue: ReviewQueue): Promise<void>;
  /** Stops taking and starting work; work already interrupted by the caller is settled. */
  stop(): Promise<void>;
  depth: DepthSource;
}
