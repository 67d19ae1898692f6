import type { Context } from 'probot';
import { SupersededError } from '../abort-reasons.ts';
import { parsePullRequestEvent } from '../payloads.ts';
import { jobKey, reviewJobFrom, shortSha, type ReviewJob } from '../review-job.ts';
import type { ReviewQueue } from '../review-queue.ts';

export type RunJob = (job: ReviewJob, signal: AbortSignal) => Promise<unknown>;

/** Raised while the server shuts down; the status makes GitHub record the delivery as failed, so it can be redelivered. */
export class NotAcceptingError extends Error {
  readonly status = 503;
  constructor() {
    super('the server is shutting down and accepts no new reviews');
    this.name = 'NotAcceptingError';
  }
}

/**
 * Answers `pull_request` webhooks within milliseconds: validates the payload, queues a review job
 * and returns. The review itself runs later in the queue.
 */
export function pullRequestHandler(queue: ReviewQueue, runJob: RunJob) {
  return async (context: Context<'pull_request'>): Promise<void> => {
    const checked = parsePullRequestEvent(context.payload);
    if (!checked.ok) {
      context.log.warn({ event: context.name, id: context.id, problems: checked.problems }, 'ignored a pull_request payload that does not match the expected shape');
      return;
    }
    const job = reviewJobFrom(checked.event, context.octokit);
    const key = jobKey(job);
    const label = `${key} @ ${shortSha(job.headSha)}`;
    const result = queue.enqueue({
      key,
      label,
      supersedeReason: new SupersededError(job.headSha),
      run: async (signal) => {
        await runJob(job, signal);
      },
    });
    if (result === 'closed') throw new NotAcceptingError();
    context.log.info({ job: label, action: checked.event.action }, 'review queued');
  };
}
