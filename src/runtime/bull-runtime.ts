import {
  Queue,
  QueueEvents,
  QueueEventsProducer,
  Worker,
  type Job,
} from 'bullmq';
import type { Redis } from 'ioredis';
import type { Probot } from 'probot';
import type { Logger } from '../core/logger.ts';
import { SupersededError } from '../github/review/abort-reasons.ts';
import {
  CHECK_RUN_NAME,
  completeCheckRun,
  createCheckRun,
} from '../github/checks/check-run.ts';
import type { GitHubClient } from '../github/client/github-client.ts';
import { NotAcceptingError } from '../github/queue/enqueue-review.ts';
import type { ReviewQueue } from '../github/queue/review-queue.ts';
import { jobKey } from '../github/review/review-job.ts';
import { sanitizeInline } from '../report/sanitize.ts';
import {
  currentDelivery,
  newScope,
  runInDelivery,
  settleScope,
} from './delivery-scope.ts';
import { interruptedResult } from './interrupted.ts';
import { SWEEP_MARGIN_MS } from './journal-runtime.ts';
import type { Metrics } from './metrics.ts';
import type { RedisStore } from './redis-store.ts';
import type { DeliveryContext, Runtime } from './runtime.ts';
import { sweepOpenCheckRuns } from './sweep.ts';

export const QUEUE_NAME = 'architect-deliveries';
const SUPERSEDED_EVENT = 'architect-superseded';
const PUSH_ACTIONS = new Set([
  'opened',
  'synchronize',
  'reopened',
  'ready_for_review',
]);

interface DeliveryData {
  id: string;
  name: string;
  payload: unknown;
}

export interface BullRuntimeOptions {
  connection: Redis;
  role: 'web' | 'worker' | 'all';
  concurrency: number;
  stalledMs: number;
  attempts: number;
  retryDelayMs: number;
  jobTimeoutMs: number;
  sweepIntervalMs: number;
  store: RedisStore;
  logger: Logger;
}

/** The head a delivery is about, when it names one. */
function headOf(payload: unknown): string | undefined {
  const p = payload as {
    pull_request?: { head?: { sha?: unknown } };
    check_run?: { head_sha?: unknown };
    check_suite?: { head_sha?: unknown };
  };
  const sha =
    p.pull_request?.head?.sha ??
    p.check_run?.head_sha ??
    p.check_suite?.head_sha;
  return typeof sha === 'string' ? sha.toLowerCase() : undefined;
}

/** BullMQ job ids may not contain `:`; the id names the delivery and the head, so a redelivery is the same job. */
export function jobIdFor(deliveryId: string, payload: unknown): string {
  const head = headOf(payload);
  return `${deliveryId.replace(/:/g, '_')}${head ? `@${head.slice(0, 12)}` : ''}`;
}

/**
 * The distributed runtime: web processes verify the delivery and add it to a BullMQ queue on Redis
 * (`accept`, before the 202); worker processes take deliveries off the queue and handle them through the same
 * handlers and the in-process review queue, `ARCHITECT_CONCURRENCY` at a time. BullMQ provides the
 * rest: job ids for idempotency, bounded retries with exponential backoff, stalled-job recovery
 * when a worker dies, and the failed set as dead letters. A newer push is published as a custom
 * queue event, so the worker running the older review aborts it.
 */
export class BullRuntime implements Runtime {
  readonly kind = 'bullmq' as const;
  readonly #o: BullRuntimeOptions;
  readonly #queue: Queue<DeliveryData>;
  readonly #producer: QueueEventsProducer;
  #worker: Worker<DeliveryData> | undefined;
  #events: QueueEvents | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  metrics: Metrics | undefined;

  constructor(options: BullRuntimeOptions) {
    this.#o = options;
    this.#queue = new Queue<DeliveryData>(QUEUE_NAME, {
      connection: options.connection,
    });
    this.#producer = new QueueEventsProducer(QUEUE_NAME, {
      connection: options.connection,
    });
  }

  readonly depth = async () => {
    const counts = await this.#queue.getJobCounts(
      'waiting',
      'active',
      'delayed',
      'failed',
    );
    const [oldest] = await this.#queue.getJobs(['waiting'], 0, 0, true);
    return {
      waiting: counts.waiting ?? 0,
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      failed: counts.failed ?? 0,
      oldestWaitingMs: oldest ? Date.now() - oldest.timestamp : 0,
    };
  };

  async accept(delivery: DeliveryContext): Promise<'accepted' | 'duplicate'> {
    if (this.#stopped) throw new NotAcceptingError();
    const { id, name, payload } = delivery;
    const data: DeliveryData = { id, name, payload };
    await this.#queue.add(name, data, {
      jobId: jobIdFor(id, payload),
      attempts: this.#o.attempts,
      backoff: { type: 'exponential', delay: this.#o.retryDelayMs },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
    const p = payload as {
      action?: string;
      repository?: { name?: string; owner?: { login?: string } };
      pull_request?: { number?: number };
    };
    const head = headOf(payload);
    if (
      name === 'pull_request' &&
      PUSH_ACTIONS.has(p.action ?? '') &&
      head &&
      p.repository?.owner?.login &&
      p.repository.name &&
      p.pull_request?.number
    ) {
      const key = jobKey({
        owner: p.repository.owner.login,
        repo: p.repository.name,
        pullNumber: p.pull_request.number,
      });
      await this.#producer.publishEvent({
        eventName: SUPERSEDED_EVENT,
        key,
        head,
        delivery: id,
      });
    }
    // BullMQ keeps one job per id, so a redelivery is the same job; the supersede event is harmless twice.
    return 'accepted';
  }

  wrap<C extends DeliveryContext>(
    handler: (context: C) => Promise<void>,
  ): (context: C) => Promise<void> {
    return async (context) => {
      // On a worker the delivery comes from the queue and runs here.
      if (currentDelivery()) return handler(context);
      await this.accept(context);
    };
  }

  async start(probot: Probot, queue: ReviewQueue): Promise<void> {
    // Connect and load BullMQ's scripts now, not on the first delivery's answer.
    await Promise.all([
      this.#queue.waitUntilReady(),
      this.#producer.waitUntilReady(),
      this.#queue.getJobCounts('waiting'),
    ]);
    if (this.#o.role === 'web') return;
    const octokitFor = async (installationId: number) =>
      (await probot.auth(installationId)) as unknown as GitHubClient;
    this.#events = new QueueEvents(QUEUE_NAME, {
      connection: this.#o.connection.duplicate(),
    });
    this.#events.on(SUPERSEDED_EVENT as 'waiting', (args: unknown) => {
      const { key, head, delivery } = args as {
        key: string;
        head: string;
        delivery: string;
      };
      queue.supersede(key, new SupersededError(head), `delivery:${delivery}`);
    });
    this.#worker = new Worker<DeliveryData>(
      QUEUE_NAME,
      (job) => this.#process(job, probot, octokitFor),
      {
        connection: this.#o.connection.duplicate({
          maxRetriesPerRequest: null,
        }),
        concurrency: this.#o.concurrency,
        lockDuration: this.#o.stalledMs,
        stalledInterval: this.#o.stalledMs,
        maxStalledCount: 2,
      },
    );
    this.#worker.on('failed', (job, error) => {
      // Out of attempts, or failed by BullMQ for stalling (its worker kept dying or blocking): a final failure.
      const final =
        job !== undefined &&
        (job.attemptsMade >= (job.opts.attempts ?? 1) ||
          /more than allowable limit/.test(error.message));
      if (final) void this.#deadLetter(job, error, octokitFor);
    });
    this.#worker.on('error', (error) =>
      this.#o.logger.error({ err: error }, 'queue worker error'),
    );
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

  async #process(
    job: Job<DeliveryData>,
    probot: Probot,
    octokitFor: (id: number) => Promise<GitHubClient>,
  ): Promise<void> {
    const { id, name, payload } = job.data;
    // A second start: the worker that had it died (stalled) or the last attempt failed.
    const resumed = job.attemptsStarted > 1 || job.stalledCounter > 0;
    const scope = { ...newScope(id, payload, resumed), retries: true };
    const log = {
      delivery: id,
      event: name,
      job: job.id,
      attempt: job.attemptsStarted,
    };
    if (resumed) {
      this.metrics?.recovered.inc({
        cause: job.stalledCounter > 0 ? 'stalled' : 'retry',
      });
      this.#o.logger.warn(
        log,
        'resuming a delivery another attempt did not finish',
      );
      // The runs the earlier attempt left open are completed as ended, so this attempt takes them over.
      for (const run of await this.#o.store.list()) {
        if (run.deliveryId !== id) continue;
        const octokit = await octokitFor(run.installationId);
        await completeCheckRun(
          octokit,
          { owner: run.owner, repo: run.repo, checkRunId: run.id },
          interruptedResult(run, 'crashed', true),
        ).catch((error: unknown) =>
          this.#o.logger.warn(
            { ...log, err: error },
            'could not complete a check run of the earlier attempt',
          ),
        );
        await this.#o.store.closed(run.id);
      }
    }
    await runInDelivery(scope, () =>
      probot.receive({ id, name, payload } as Parameters<Probot['receive']>[0]),
    );
    const result = await settleScope(scope);
    if (result.end === 'interrupted')
      throw new Error('the worker shut down before the review finished');
    if (result.end === 'failed')
      throw result.error instanceof Error
        ? result.error
        : new Error(String(result.error));
  }

  /** Out of attempts: the head gets a plain "review failed" verdict rather than a run left open or nothing. */
  async #deadLetter(
    job: Job<DeliveryData>,
    error: Error,
    octokitFor: (id: number) => Promise<GitHubClient>,
  ): Promise<void> {
    const { id, payload } = job.data;
    const p = payload as {
      installation?: { id?: number };
      repository?: { name?: string; owner?: { login?: string } };
    };
    const head = headOf(payload);
    const installationId = p.installation?.id;
    const owner = p.repository?.owner?.login;
    const repo = p.repository?.name;
    this.#o.logger.error(
      { delivery: id, job: job.id, err: error, attempts: job.attemptsMade },
      'review failed after every attempt',
    );
    if (!head || !installationId || !owner || !repo) return;
    const tries = Math.max(1, job.attemptsMade);
    const result = {
      conclusion: 'neutral' as const,
      title: 'Review failed',
      summary: `The review failed ${tries} time${tries === 1 ? '' : 's'} and was given up: ${sanitizeInline(error.message, 500)}. Push again or use Re-run to try again.`,
      rereview: true,
    };
    try {
      const octokit = await octokitFor(installationId);
      const open = (await this.#o.store.list()).filter(
        (run) => run.deliveryId === id,
      );
      if (open.length === 0) {
        const created = await createCheckRun(octokit, {
          owner,
          repo,
          headSha: head,
          externalId: `${head}/failed-${id.slice(0, 40)}/ended`,
        });
        open.push({
          id: created.id,
          owner,
          repo,
          installationId,
          headSha: head,
          openedAt: Date.now(),
        });
      }
      for (const run of open) {
        await completeCheckRun(
          octokit,
          { owner, repo, checkRunId: run.id },
          result,
        );
        await this.#o.store.closed(run.id);
      }
    } catch (again) {
      this.#o.logger.error(
        { delivery: id, err: again, check: CHECK_RUN_NAME },
        'could not report the failed review on its check run',
      );
    }
  }

  /** Stops taking jobs off the queue (active ones finish or hand back once the local queue is closed). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#worker?.pause(true);
  }

  /** Waits (bounded) for the worker's active jobs to hand back, then closes the connections. */
  async settle(ms: number): Promise<void> {
    const closing = Promise.all([this.#worker?.close(), this.#events?.close()]);
    await Promise.race([
      closing,
      new Promise((r) => setTimeout(r, ms).unref()),
    ]);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.#queue.close(), this.#producer.close()]);
  }
}
