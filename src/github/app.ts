import type { ApplicationFunction, Probot } from 'probot';
import { currentDelivery } from '../runtime/delivery-scope.ts';
import type { Runtime } from '../runtime/runtime.ts';
import type { Logger } from '../core/logger.ts';
import { runCommand } from './commands/run-command.ts';
import type { GitHubClient } from './client/github-client.ts';
import { checkRunHandler, checkSuiteHandler } from './handlers/check-run.ts';
import {
  issueCommentHandler,
  reviewCommentHandler,
} from './handlers/comment.ts';
import { pullRequestHandler } from './handlers/pull-request.ts';
import { identityResolver, type IdentityResolver } from './client/identity.ts';
import {
  maskOutgoing,
  rememberingRedactor,
  withSecretScope,
} from './client/outgoing-mask.ts';
import { LABEL_ACTIONS, REVIEW_ACTIONS } from './handlers/payloads.ts';
import {
  rateLimitRetry,
  type HookedClient,
} from './client/rate-limit-retry.ts';
import { installationClients } from './client/installation-clients.ts';
import { ReviewQueue } from './queue/review-queue.ts';
import { runReviewJob, type JobDeps } from './review/run-review-job.ts';
import type { ReviewJob } from './review/review-job.ts';

export const DEFAULT_CONCURRENCY = 2;

export interface ArchitectAppOptions
  extends Omit<JobDeps, 'logger' | 'identity'> {
  /** Reviews running at once in this process; one with only writes left gives its place up (see yieldSlot). */
  concurrency?: number;
  /** Logger for the queue; jobs log through Probot's logger. */
  logger?: Logger;
  /** Overrides the `GET /app` look-up of the app's own identity (tests). */
  identity?: IdentityResolver;
  /** Records deliveries before they are answered (journal or BullMQ); without it work lives in memory. */
  runtime?: Runtime;
  /** Sees each queued task start and how long it waited (metrics). */
  onTaskStart?: (waitedMs: number) => void;
  /** Sees each review job end (metrics). */
  onJobEnd?: (outcome: string, durationMs: number) => void;
  /** Called with the loaded Probot instance, e.g. to resume journaled work through it. */
  onLoad?: (probot: Probot) => void;
}

export interface ArchitectApp {
  app: ApplicationFunction;
  /** Exposed for health checks, graceful shutdown, and tests that wait for queued work. */
  queue: ReviewQueue;
}

/**
 * The Probot application: pull request events, `/architect` commands and check run buttons in;
 * queued reviews and answers out. Work for one pull request runs one task at a time.
 */
export function createArchitectApp(options: ArchitectAppOptions): ArchitectApp {
  const queue = new ReviewQueue({
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    logger: options.logger,
    ...(options.onTaskStart
      ? {
          onStart: (_task: unknown, waitedMs: number) =>
            options.onTaskStart!(waitedMs),
        }
      : {}),
  });
  // Every value the redactor masks for the model is remembered for the job, so no write can repeat it.
  const redactor = options.redactor
    ? rememberingRedactor(options.redactor)
    : undefined;
  const app: ApplicationFunction = (probot) => {
    // Every client of an installation: rate-limited requests are retried, outgoing text is masked.
    const clients = installationClients(
      async (installationId) =>
        (await probot.auth(installationId)) as unknown as HookedClient,
      {
        prepare: (client) => {
          rateLimitRetry(client);
          maskOutgoing(client, { redactor: options.redactor });
        },
      },
    );
    /** Handlers get their installation's own client, whose writes are paced apart from other installations'. */
    const guard =
      <C extends { octokit: unknown; payload: unknown }>(
        handler: (context: C) => Promise<void>,
      ) =>
      async (context: C) => {
        const installationId = installationOf(context.payload);
        if (installationId !== undefined)
          context.octokit = await clients.get(installationId);
        else {
          rateLimitRetry(context.octokit as HookedClient);
          maskOutgoing(context.octokit as HookedClient, {
            redactor: options.redactor,
          });
        }
        return handler(context);
      };
    const identity =
      options.identity ??
      identityResolver(
        async () => (await probot.auth()) as unknown as GitHubClient,
      );
    // Every line of a job names its delivery, repository, pull request and (for pushes) head.
    const deps = (
      job: Pick<ReviewJob, 'owner' | 'repo' | 'pullNumber'> & {
        trigger?: ReviewJob['trigger'];
      },
    ): JobDeps => ({
      ...options,
      ...(redactor ? { redactor } : {}),
      identity,
      logger: probot.log.child({
        ...(currentDelivery()
          ? { delivery: currentDelivery()!.deliveryId }
          : {}),
        repository: `${job.owner}/${job.repo}`,
        pr: `${job.owner}/${job.repo}#${job.pullNumber}`,
        ...(job.trigger?.kind === 'push'
          ? { head: job.trigger.headSha.slice(0, 12) }
          : {}),
      }),
    });
    const runJob = (job: ReviewJob, signal: AbortSignal) =>
      withSecretScope(async () => {
        const started = performance.now();
        const outcome = await runReviewJob(job, deps(job), signal);
        options.onJobEnd?.(
          outcome.status === 'done'
            ? (outcome.conclusion ?? 'done')
            : outcome.status,
          performance.now() - started,
        );
        return outcome;
      });
    const wrap = <
      C extends {
        id: string;
        name: string;
        payload: unknown;
        octokit: unknown;
      },
    >(
      handler: (context: C) => Promise<void>,
    ) =>
      options.runtime ? options.runtime.wrap(guard(handler)) : guard(handler);
    options.onLoad?.(probot);

    probot.on(
      [...REVIEW_ACTIONS, ...LABEL_ACTIONS].map(
        (action) => `pull_request.${action}` as const,
      ),
      wrap(pullRequestHandler(queue, runJob)),
    );
    const commands = (
      job: Parameters<typeof runCommand>[0],
      signal: AbortSignal,
    ) =>
      withSecretScope(() =>
        runCommand(
          job,
          {
            ...deps({ ...job.source }),
            runReview: (review, reviewSignal) =>
              runJob(review, AbortSignal.any([signal, reviewSignal])),
          },
          signal,
        ),
      );
    probot.on(
      'issue_comment.created',
      wrap(issueCommentHandler(queue, commands)),
    );
    probot.on(
      'pull_request_review_comment.created',
      wrap(reviewCommentHandler(queue, commands)),
    );
    probot.on(
      ['check_run.rerequested', 'check_run.requested_action'],
      wrap(checkRunHandler(queue, runJob, identity)),
    );
    probot.on(
      'check_suite.rerequested',
      wrap(checkSuiteHandler(queue, runJob, identity)),
    );
  };
  return { app, queue };
}

/** The installation an event belongs to, if it names one. */
function installationOf(payload: unknown): number | undefined {
  const id = (payload as { installation?: { id?: unknown } } | null)
    ?.installation?.id;
  return typeof id === 'number' && Number.isInteger(id) ? id : undefined;
}
