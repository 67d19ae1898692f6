import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
} from 'prom-client';
import type { Finding } from '../core/finding.ts';
import type { Usage } from '../core/usage.ts';

export const METRICS_PATH = '/metrics';

/** Queue depth as the queue in use sees it: the local queue, or BullMQ's counts across workers. */
export type DepthSource = () => Promise<{
  waiting: number;
  active: number;
  delayed?: number;
  failed?: number;
  oldestWaitingMs?: number;
}>;

/**
 * The app's Prometheus metrics (prom-client), one registry per process. Names follow Prometheus
 * conventions: `_total` counters, base units (seconds, dollars), labels with few values.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly deliveries = new Counter({
    name: 'architect_webhook_deliveries_total',
    help: 'Webhook deliveries by event and outcome.',
    labelNames: ['event', 'outcome'],
    registers: [this.registry],
  });
  readonly ackSeconds = new Histogram({
    name: 'architect_webhook_ack_seconds',
    help: 'Time from receiving a webhook delivery to answering it.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly waitSeconds = new Histogram({
    name: 'architect_queue_wait_seconds',
    help: 'Time a job waited in the queue before it started.',
    buckets: [0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 900],
    registers: [this.registry],
  });
  readonly reviewSeconds = new Histogram({
    name: 'architect_review_duration_seconds',
    help: 'Duration of review jobs by outcome.',
    labelNames: ['outcome'],
    buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });
  readonly findings = new Counter({
    name: 'architect_findings_total',
    help: 'Findings reported, by lens and severity.',
    labelNames: ['lens', 'severity'],
    registers: [this.registry],
  });
  readonly modelRequests = new Counter({
    name: 'architect_model_requests_total',
    help: 'Model requests made by reviews.',
    registers: [this.registry],
  });
  readonly modelTokens = new Counter({
    name: 'architect_model_tokens_total',
    help: 'Model tokens by kind.',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly modelCost = new Counter({
    name: 'architect_model_cost_dollars_total',
    help: 'Estimated model cost in US dollars.',
    registers: [this.registry],
  });
  readonly githubRequests = new Counter({
    name: 'architect_github_requests_total',
    help: 'GitHub API requests by method and status.',
    labelNames: ['method', 'status'],
    registers: [this.registry],
  });
  readonly rateLimitRemaining = new Gauge({
    name: 'architect_github_rate_limit_remaining',
    help: 'Requests left in the current GitHub rate-limit window, as last reported.',
    labelNames: ['resource'],
    registers: [this.registry],
  });
  readonly budgetRemaining = new Gauge({
    name: 'architect_budget_remaining',
    help: 'Budget left in the current period, as last checked (dollars or tokens).',
    labelNames: ['scope', 'period', 'unit'],
    registers: [this.registry],
  });
  readonly budgetExhausted = new Counter({
    name: 'architect_budget_exhausted_total',
    help: 'Reviews whose model step was skipped because a budget was spent.',
    labelNames: ['budget'],
    registers: [this.registry],
  });
  readonly recovered = new Counter({
    name: 'architect_jobs_recovered_total',
    help: 'Jobs resumed after a restart or a stalled worker, and check runs completed by the sweep.',
    labelNames: ['cause'],
    registers: [this.registry],
  });

  constructor(depth?: DepthSource) {
    collectDefaultMetrics({ register: this.registry });
    if (depth) {
      let last: Awaited<ReturnType<DepthSource>> | undefined;
      const read = async () => (last = await depth().catch(() => last));
      new Gauge({
        name: 'architect_queue_jobs',
        help: 'Jobs in the queue by state.',
        labelNames: ['state'],
        registers: [this.registry],
        async collect() {
          const counts = await read();
          if (!counts) return;
          for (const state of [
            'waiting',
            'active',
            'delayed',
            'failed',
          ] as const)
            if (counts[state] !== undefined) this.set({ state }, counts[state]);
        },
      });
      new Gauge({
        name: 'architect_queue_oldest_job_age_seconds',
        help: 'Age of the oldest job waiting to start.',
        registers: [this.registry],
        collect() {
          this.set((last?.oldestWaitingMs ?? 0) / 1000);
        },
      });
    }
  }

  reviewed(
    findings: readonly Pick<Finding, 'lens' | 'severity'>[],
    usage: Usage,
  ): void {
    for (const finding of findings)
      this.findings.inc({ lens: finding.lens, severity: finding.severity });
    this.modelRequests.inc(usage.requests);
    this.modelTokens.inc({ kind: 'input' }, usage.inputTokens);
    this.modelTokens.inc({ kind: 'output' }, usage.outputTokens);
    this.modelTokens.inc({ kind: 'cache_read' }, usage.cacheReadTokens);
    this.modelTokens.inc({ kind: 'cache_write' }, usage.cacheCreationTokens);
    if (usage.costUsd) this.modelCost.inc(usage.costUsd);
  }

  /** Octokit plugin: counts requests and keeps the last reported rate-limit headroom. */
  readonly plugin = (octokit: {
    hook: {
      wrap(
        name: 'request',
        wrapper: (
          request: (o: unknown) => Promise<unknown>,
          options: { method?: string },
        ) => Promise<unknown>,
      ): void;
    };
  }): void => {
    octokit.hook.wrap('request', async (request, options) => {
      const method = String(options.method ?? 'GET').toUpperCase();
      try {
        const response = (await request(options)) as {
          status: number;
          headers?: Record<string, string | undefined>;
        };
        this.githubRequests.inc({ method, status: String(response.status) });
        this.#rateLimit(response.headers);
        return response;
      } catch (error) {
        const failed = error as {
          status?: number;
          response?: { headers?: Record<string, string | undefined> };
        };
        this.githubRequests.inc({
          method,
          status: failed.status ? String(failed.status) : 'error',
        });
        this.#rateLimit(failed.response?.headers);
        throw error;
      }
    });
  };

  #rateLimit(headers: Record<string, string | undefined> | undefined): void {
    const remaining = Number(headers?.['x-ratelimit-remaining']);
    if (
      headers?.['x-ratelimit-remaining'] !== undefined &&
      Number.isFinite(remaining)
    )
      this.rateLimitRemaining.set(
        { resource: headers['x-ratelimit-resource'] ?? 'core' },
        remaining,
      );
  }

  /** `GET /metrics`, answered as plain data (also for requests forwarded by the webhook listener thread). */
  answer(
    method: string | undefined,
    url: string | undefined,
  ):
    | Promise<{ status: number; headers: Record<string, string>; body: string }>
    | undefined {
    if ((url ?? '').split('?')[0] !== METRICS_PATH || method !== 'GET')
      return undefined;
    return this.registry.metrics().then(
      (text) => ({
        status: 200,
        headers: {
          'content-type': this.registry.contentType,
          'cache-control': 'no-store',
        },
        body: text,
      }),
      (error: unknown) => ({
        status: 500,
        headers: { 'content-type': 'text/plain' },
        body: `metrics unavailable: ${String(error)}\n`,
      }),
    );
  }

  /** `GET /metrics` as a request handler (or the whole of a separate metrics server). */
  handler() {
    return (req: IncomingMessage, res: ServerResponse): boolean => {
      const answer = this.answer(req.method, req.url);
      if (!answer) return false;
      void answer.then((a) => res.writeHead(a.status, a.headers).end(a.body));
      return true;
    };
  }
}
