import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '../../core/logger.ts';
import { silentLogger } from '../../core/logger.ts';
import { currentDelivery, type TaskEnd } from '../../runtime/delivery-scope.ts';

/** A unit of work keyed by what it is about (e.g. one pull request); a newer task for the same key replaces an older one. */
export interface QueueTask {
  key: string;
  /** Short text for logs, e.g. `owner/repo#12 @ abc1234`. */
  label: string;
  /**
   * Replaces older replaceable tasks of the same key: queued ones are dropped, a running one is
   * aborted. Tasks without it (commands, waivers) wait their turn and are never replaced.
   */
  replaceable?: boolean;
  /** Given to an older running task of the same key as its abort reason. */
  supersedeReason?: unknown;
  /** Names the work; a task whose work is already queued or running is not queued again. */
  workId?: string;
  run(signal: AbortSignal): Promise<void>;
}

export interface QueueStats {
  accepting: boolean;
  concurrency: number;
  running: number;
  queued: number;
  completed: number;
  failed: number;
  /** Queued tasks dropped before they started, because a newer task for the same key arrived. */
  dropped: number;
  /** Running tasks aborted because a newer task for the same key arrived. */
  superseded: number;
}

export type EnqueueResult = 'queued' | 'duplicate' | 'closed';

/** The running task's way to give up its slot (see {@link yieldSlot}). */
const slots = new AsyncLocalStorage<() => void>();

/**
 * Called by a running task whose remaining work only waits, on GitHub's pacing of writes rather
 * than on this process: its slot goes to the next queued task, while its key stays busy until it
 * ends. At most `concurrency` tasks are yielded at a time; past that the task keeps its slot.
 */
export function yieldSlot(): void {
  slots.getStore()?.();
}

interface Running {
  task: QueueTask;
  controller: AbortController;
  done: Promise<void>;
  /** Gave its slot to the next task (it still holds its key). */
  yielded?: boolean;
}

/**
 * An in-process work queue with bounded concurrency and one live task per key. Tasks for the same
 * key never run at the same time: a newer task waits until the aborted older one has finished
 * cleaning up (e.g. completing its check run).
 */
export class ReviewQueue {
  readonly #concurrency: number;
  readonly #logger: Logger;
  readonly #onStart: ((task: QueueTask, waitedMs: number) => void) | undefined;
  readonly #queuedAt = new WeakMap<QueueTask, number>();
  readonly #pending: QueueTask[] = [];
  readonly #running = new Map<string, Running>();
  /** Running tasks that gave up their slot. */
  #yielded = 0;
  readonly #idleWaiters: Array<() => void> = [];
  /** Tells the delivery that queued a task how it ended (see runtime/delivery-scope.ts). */
  readonly #settlers = new WeakMap<
    QueueTask,
    (result: { end: TaskEnd; error?: unknown }) => void
  >();
  #accepting = true;
  #closing = false;
  #counts = { completed: 0, failed: 0, dropped: 0, superseded: 0 };

  /** `onStart` sees how long each task waited for its turn (for metrics). */
  constructor(options: {
    concurrency: number;
    logger?: Logger;
    onStart?: (task: QueueTask, waitedMs: number) => void;
  }) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
      throw new Error(
        `concurrency must be a positive integer, got ${options.concurrency}`,
      );
    this.#concurrency = options.concurrency;
    this.#logger = options.logger ?? silentLogger;
    this.#onStart = options.onStart;
  }

  enqueue(task: QueueTask): EnqueueResult {
    if (!this.#accepting) return 'closed';
    if (task.workId !== undefined && this.#hasWork(task.workId)) {
      this.#logger.info(
        { key: task.key, task: task.label },
        'the same work is already queued or running',
      );
      return 'duplicate';
    }
    if (task.replaceable) {
      const queuedIndex = this.#pending.findIndex(
        (t) => t.key === task.key && t.replaceable,
      );
      if (queuedIndex >= 0) {
        const [old] = this.#pending.splice(queuedIndex, 1);
        this.#counts.dropped++;
        this.#settle(old!, { end: 'dropped' });
        this.#logger.info(
          { key: task.key, dropped: old!.label, by: task.label },
          'dropped a queued task superseded by a newer one',
        );
      }
      const running = this.#running.get(task.key);
      if (running?.task.replaceable && !running.controller.signal.aborted) {
        this.#counts.superseded++;
        this.#logger.info(
          { key: task.key, aborted: running.task.label, by: task.label },
          'aborting a running task superseded by a newer one',
        );
        running.controller.abort(
          task.supersedeReason ?? new Error(`superseded by ${task.label}`),
        );
      }
    }
    const scope = currentDelivery();
    if (scope)
      scope.tasks.push(
        new Promise((resolve) => this.#settlers.set(task, resolve)),
      );
    this.#queuedAt.set(task, performance.now());
    this.#pending.push(task);
    this.#pump();
    return 'queued';
  }

  /**
   * Aborts the running replaceable task of `key`, unless it does `exceptWorkId`: how a newer push
   * that another process received cancels a review running here.
   */
  supersede(key: string, reason: unknown, exceptWorkId?: string): boolean {
    const running = this.#running.get(key);
    if (!running?.task.replaceable || running.controller.signal.aborted)
      return false;
    if (exceptWorkId !== undefined && running.task.workId === exceptWorkId)
      return false;
    this.#counts.superseded++;
    this.#logger.info(
      { key, aborted: running.task.label },
      'aborting a running task superseded by a newer one received elsewhere',
    );
    running.controller.abort(reason);
    return true;
  }

  #settle(task: QueueTask, result: { end: TaskEnd; error?: unknown }): void {
    this.#settlers.get(task)?.(result);
    this.#settlers.delete(task);
  }

  #hasWork(workId: string): boolean {
    if (this.#pending.some((t) => t.workId === workId)) return true;
    for (const running of this.#running.values())
      if (running.task.workId === workId && !running.controller.signal.aborted)
        return true;
    return false;
  }

  stats(): QueueStats {
    return {
      accepting: this.#accepting,
      concurrency: this.#concurrency,
      running: this.#running.size,
      queued: this.#pending.length,
      ...this.#counts,
    };
  }

  /** Resolves once nothing is queued or running. */
  onIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops accepting tasks and waits for every queued and running task to finish. */
  async drain(): Promise<void> {
    this.#accepting = false;
    await this.onIdle();
  }

  /**
   * Stops accepting tasks, drops queued ones, aborts running ones with `reason` and waits for them to
   * finish their own cleanup.
   */
  async close(reason: unknown): Promise<void> {
    this.#accepting = false;
    this.#closing = true;
    const dropped = this.#pending.splice(0);
    this.#counts.dropped += dropped.length;
    for (const task of dropped) {
      this.#logger.warn(
        { key: task.key, task: task.label },
        'dropped a queued task on shutdown',
      );
      this.#settle(task, { end: 'interrupted' });
    }
    for (const running of this.#running.values())
      running.controller.abort(reason);
    await Promise.all([...this.#running.values()].map((r) => r.done));
    this.#notifyIdle();
  }

  #isIdle(): boolean {
    return this.#pending.length === 0 && this.#running.size === 0;
  }

  #pump(): void {
    while (this.#running.size - this.#yielded < this.#concurrency) {
      const index = this.#pending.findIndex((t) => !this.#running.has(t.key));
      if (index < 0) break;
      const [task] = this.#pending.splice(index, 1);
      this.#start(task!);
    }
    this.#notifyIdle();
  }

  #start(task: QueueTask): void {
    const controller = new AbortController();
    const entry: Running = { task, controller, done: Promise.resolve() };
    this.#onStart?.(
      task,
      performance.now() - (this.#queuedAt.get(task) ?? performance.now()),
    );
    this.#running.set(task.key, entry);
    const release = () => {
      if (entry.yielded || this.#yielded >= this.#concurrency) return;
      entry.yielded = true;
      this.#yielded++;
      this.#pump();
    };
    entry.done = (async () => {
      let result: { end: TaskEnd; error?: unknown } = { end: 'completed' };
      try {
        await slots.run(release, () => task.run(controller.signal));
        this.#counts.completed++;
      } catch (error) {
        // Tasks are expected to handle their own failures; this is the last line of defence.
        this.#counts.failed++;
        result = { end: 'failed', error };
        this.#logger.error(
          { err: error, key: task.key, task: task.label },
          'queued task failed',
        );
      } finally {
        // Work cut short by shutdown is not done: a durable runtime runs it again after a restart.
        if (this.#closing && controller.signal.aborted)
          result = { end: 'interrupted' };
        this.#settle(task, result);
        this.#running.delete(task.key);
        if (entry.yielded) this.#yielded--;
        this.#pump();
      }
    })();
  }

  #notifyIdle(): void {
    if (!this.#isIdle()) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
