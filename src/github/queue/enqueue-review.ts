import { currentDelivery } from '../../runtime/delivery-scope.ts';
import { SupersededError } from '../review/abort-reasons.ts';
import { jobKey, type ReviewJob } from '../review/review-job.ts';
import type { ReviewQueue } from './review-queue.ts';

export type RunJob = (job: ReviewJob, signal: AbortSignal) => Promise<unknown>;

/** Raised while the server shuts down; the status makes GitHub record the delivery as failed, so it can be redelivered. */
export class NotAcceptingError extends Error {
  readonly status = 503;
  constructor() {
    super('the server is shutting down and accepts no new reviews');
    this.name = 'NotAcceptingError';
  }
}

/** Queues a review; a replaceable one aborts an older replaceable review of the same pull request. */
export function enqueueReview(
  queue: ReviewQueue,
  runJob: RunJob,
  job: ReviewJob,
  options: { label: string; workId?: string; replaceable: boolean },
): void {
  const result = queue.enqueue({
    key: jobKey(job),
    label: options.label,
    replaceable: options.replaceable,
    ...(options.workId ? { workId: options.workId } : {}),
    supersedeReason: new SupersededError(
      job.trigger.kind === 'push' ? job.trigger.headSha : undefined,
    ),
    run: async (signal) => {
      const outcome = (await runJob(job, signal)) as
        | { status?: string; reason?: string }
        | undefined;
      // Nothing was left open on GitHub; a queue with retries tries the delivery again later.
      if (
        outcome?.status === 'failed' &&
        !signal.aborted &&
        currentDelivery()?.retries
      )
        throw new Error(
          `the review could not start: ${outcome.reason ?? 'unknown error'}`,
        );
    },
  });
  if (result === 'closed') throw new NotAcceptingError();
}
