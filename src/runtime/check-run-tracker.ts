import type { Logger } from '../core/logger.ts';
import { readExternalId } from '../github/checks/check-run-plan.ts';
import {
  completeCheckRun,
  findCheckRuns,
  type CheckRunResult,
} from '../github/checks/check-run.ts';
import type { GitHubClient } from '../github/client/github-client.ts';
import { currentDelivery } from './delivery-scope.ts';
import type { OpenCheckRun, OpenRunStore } from './stores.ts';

interface RequestOptions {
  method?: string;
  url?: string;
  [key: string]: unknown;
}

type Requester = (options: RequestOptions) => Promise<{ data: unknown }>;

interface Creation {
  owner: string;
  repo: string;
  headSha: string;
  externalId?: string;
  startedAt: number;
  octokit: GitHubClient;
  installationId: number;
}

const COMPLETION_RESERVE_MS = 2000;
const CREATE = 'POST /repos/{owner}/{repo}/check-runs';
const UPDATE = 'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}';

/**
 * Sees every check run this process opens and completes, through an Octokit plugin, so nothing
 * depends on the review code remembering to report it: the open ones are recorded in the store
 * (for the sweep after a crash) and in memory (for shutdown), together with creations still
 * waiting for GitHub's answer.
 */
export class CheckRunTracker {
  readonly #store: OpenRunStore;
  readonly #logger: Logger;
  readonly #open = new Map<
    number,
    { run: OpenCheckRun; octokit: GitHubClient }
  >();
  readonly #creating = new Set<Creation>();
  readonly #pending = new Set<Promise<unknown>>();

  constructor(store: OpenRunStore, logger: Logger) {
    this.#store = store;
    this.#logger = logger;
  }

  /** The Octokit plugin; give it to `ProbotOctokit.plugin(...)`. */
  readonly plugin = (octokit: {
    hook: {
      wrap(
        name: 'request',
        wrapper: (
          request: Requester,
          options: RequestOptions,
        ) => Promise<unknown>,
      ): void;
    };
  }): void => {
    const client = octokit as unknown as GitHubClient;
    octokit.hook.wrap('request', async (request, options) => {
      const route = `${String(options.method ?? 'GET').toUpperCase()} ${String(options.url ?? '')}`;
      if (route === CREATE && options.status === 'in_progress')
        return this.#watchCreate(client, request, options);
      const response = await request(options);
      if (route === UPDATE) {
        const id = Number(options.check_run_id);
        if (options.status === 'completed' || options.conclusion !== undefined)
          this.#remember(this.#closed(id));
        else if (options.status === 'in_progress')
          this.#remember(
            this.#opened(client, { ...this.#describe(options), id }),
          );
      }
      return response;
    });
  };

  /** Check runs this process opened and has not completed. */
  get openCount(): number {
    return this.#open.size;
  }

  async #watchCreate(
    octokit: GitHubClient,
    request: Requester,
    options: RequestOptions,
  ): Promise<unknown> {
    const creation: Creation = {
      ...this.#describe(options),
      startedAt: Date.now(),
      octokit,
      installationId: currentDelivery()?.installationId ?? 0,
    };
    this.#creating.add(creation);
    try {
      const response = await request(options);
      const id = Number((response.data as { id?: unknown }).id);
      if (Number.isInteger(id))
        this.#remember(
          this.#opened(octokit, { ...this.#describe(options), id }),
        );
      return response;
    } finally {
      this.#creating.delete(creation);
    }
  }

  #describe(
    options: RequestOptions,
  ): Omit<Creation, 'startedAt' | 'octokit' | 'installationId'> {
    return {
      owner: String(options.owner),
      repo: String(options.repo),
      headSha: String(options.head_sha ?? ''),
      ...(typeof options.external_id === 'string'
        ? { externalId: options.external_id }
        : {}),
    };
  }

  async #opened(
    octokit: GitHubClient,
    run: Omit<OpenCheckRun, 'installationId' | 'openedAt'>,
  ): Promise<void> {
    const scope = currentDelivery();
    const known = this.#open.get(run.id)?.run;
    const record: OpenCheckRun = {
      ...known,
      ...run,
      headSha: run.headSha || known?.headSha || '',
      installationId: scope?.installationId ?? known?.installationId ?? 0,
      openedAt: known?.openedAt ?? Date.now(),
      ...(scope ? { deliveryId: scope.deliveryId } : {}),
    };
    this.#open.set(run.id, { run: record, octokit });
    await this.#store.opened(record);
  }

  async #closed(id: number): Promise<void> {
    this.#open.delete(id);
    await this.#store.closed(id);
  }

  /** Store writes run beside the request; a failed write is logged, never fails the request. */
  #remember(write: Promise<void>): void {
    const tracked = write.catch((error: unknown) =>
      this.#logger.warn(
        { err: error },
        'could not record a check run for the sweep',
      ),
    );
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }

  /**
   * Shutdown's last step: waits (until `deadline`) for creations GitHub has not answered yet, then
   * completes every check run this process opened that is still open. A creation that never
   * answered is found by listing its head's runs.
   */
  async completeOpen(
    result: (run: OpenCheckRun) => CheckRunResult,
    deadline: number,
    appId: () => Promise<number>,
  ): Promise<number> {
    const remaining = () => Math.max(0, deadline - Date.now());
    // Creations get until two seconds before the deadline; the rest is for finding and completing runs.
    while (this.#creating.size > 0 && remaining() > COMPLETION_RESERVE_MS)
      await new Promise((r) => setTimeout(r, 50));
    const unanswered = [...this.#creating];
    if (unanswered.length > 0) {
      const id = await appId().catch(() => undefined);
      for (const creation of unanswered) {
        if (id === undefined) break;
        const runs = await findCheckRuns(
          creation.octokit,
          {
            owner: creation.owner,
            repo: creation.repo,
            headSha: creation.headSha,
            appId: id,
          },
          AbortSignal.timeout(remaining()),
        ).catch(() => []);
        for (const run of runs) {
          const mine =
            run.status !== 'completed' &&
            run.externalId === creation.externalId &&
            readExternalId(run.externalId)?.outcome === 'working';
          const startedAt = run.startedAt ? Date.parse(run.startedAt) : 0;
          if (mine && startedAt >= creation.startedAt - 5000) {
            const { startedAt: _s, octokit, ...rest } = creation;
            this.#open.set(run.id, {
              run: { ...rest, id: run.id, openedAt: creation.startedAt },
              octokit,
            });
          }
        }
      }
    }
    let completed = 0;
    await Promise.all(
      [...this.#open.values()].map(async ({ run, octokit }) => {
        try {
          await withDeadline(
            completeCheckRun(
              octokit,
              { owner: run.owner, repo: run.repo, checkRunId: run.id },
              result(run),
            ),
            remaining(),
          );
          completed++;
          await this.#closed(run.id);
        } catch (error) {
          this.#logger.error(
            { err: error, checkRunId: run.id },
            'could not complete a check run on shutdown; the sweep completes it after restart',
          );
        }
      }),
    );
    await Promise.all([...this.#pending]);
    return completed;
  }
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error('shutdown deadline reached')),
        ms,
      ).unref(),
    ),
  ]);
}
