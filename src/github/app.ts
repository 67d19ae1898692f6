import type { ApplicationFunction } from 'probot';
import type { Logger } from '../core/logger.ts';
import { pullRequestHandler } from './handlers/pull-request.ts';
import { REVIEW_ACTIONS } from './payloads.ts';
import { ReviewQueue } from './review-queue.ts';
import { runReviewJob, type JobDeps } from './run-review-job.ts';

export const DEFAULT_CONCURRENCY = 2;

export interface ArchitectAppOptions extends Omit<JobDeps, 'logger'> {
  /** Reviews running at once in this process. */
  concurrency?: number;
  /** Logger for the queue; jobs log through Probot's logger. */
  logger?: Logger;
}

export interface ArchitectApp {
  app: ApplicationFunction;
  /** Exposed for health checks, graceful shutdown, and tests that wait for queued reviews. */
  queue: ReviewQueue;
}

/** The Probot application: pull request events in, queued reviews out. */
export function createArchitectApp(options: ArchitectAppOptions): ArchitectApp {
  const queue = new ReviewQueue({ concurrency: options.concurrency ?? DEFAULT_CONCURRENCY, logger: options.logger });
  const app: ApplicationFunction = (probot) => {
    const runJob = (job: Parameters<typeof runReviewJob>[0], signal: AbortSignal) =>
      runReviewJob(job, { ...options, logger: probot.log.child({ pr: `${job.owner}/${job.repo}#${job.pullNumber}`, head: job.headSha.slice(0, 7) }) }, signal);
    probot.on(
      REVIEW_ACTIONS.map((action) => `pull_request.${action}` as const),
      pullRequestHandler(queue, runJob),
    );
  };
  return { app, queue };
}
