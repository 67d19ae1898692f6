/**
 * Runs the deterministic analyzers and the secret redactor in worker processes, one per core, so a
 * large review never holds up the server's event loop (webhook acknowledgements, other reviews).
 * Processes rather than threads: a worker thread cannot take V8 flags, and `--liftoff-only` keeps
 * libpg-query's WebAssembly off the optimising tier, which otherwise costs hundreds of MB; a process
 * also gives its memory back when it is replaced.
 *
 * Each task carries the review's abort signal and a timeout across: an abort is passed on to the
 * analyzers (a worker that does not stop within a grace period is killed), a timeout or a crash kills
 * the worker and fails the task, and the next task gets a fresh worker.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism, setPriority } from 'node:os';
import { LENSES } from '../../core/finding.ts';
import type { Logger } from '../../core/logger.ts';
import { silentLogger } from '../../core/logger.ts';
import type {
  Analyzer,
  AnalyzerInput,
  AnalyzerOutput,
  SecretRedactor,
} from '../../core/ports.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

export interface AnalyzerPoolOptions {
  /** Worker processes; default: the cores available. */
  size?: number;
  /** Longest one review's analysis may take. */
  analyzeTimeoutMs?: number;
  /** Longest one redaction may take. */
  redactTimeoutMs?: number;
  /** How long an aborted task may take to stop before its worker is killed. */
  abortGraceMs?: number;
  /** Scheduling priority of the workers (nice, 0-19): analysis yields the CPU to webhooks. Default 10. */
  niceness?: number;
  /**
   * A worker whose resident memory is above this after a task is replaced: a large review's heap
   * and syntax trees are not always given back to the system, a new process starts small.
   */
  recycleAboveMb?: number;
  logger?: Logger;
}

export interface AnalyzerPool {
  /** Stands in for every built-in analyzer: the engine runs it like one. */
  analyzers: Analyzer[];
  redactor: SecretRedactor;
  /** Stops the workers; tasks still running or queued fail. */
  close(): Promise<void>;
}

type TaskMessage = Extract<ToWorker, { kind: 'analyze' | 'redact' }>;

interface Task {
  message: TaskMessage;
  timeoutMs: number;
  signal?: AbortSignal;
  input?: AnalyzerInput;
  resolve(output: AnalyzerOutput | string): void;
  reject(error: unknown): void;
}

interface Slot {
  child: ChildProcess;
  task?: Task;
  timers: NodeJS.Timeout[];
  onAbort?: () => void;
  dead?: boolean;
}

const WORKER = new URL('./analyzer-worker.ts', import.meta.url);
export const POOL_ANALYZER_NAME = 'analyzers';

export function createAnalyzerPool(
  options: AnalyzerPoolOptions = {},
): AnalyzerPool {
  const size = Math.max(1, options.size ?? availableParallelism());
  const analyzeTimeoutMs = options.analyzeTimeoutMs ?? 300_000;
  const redactTimeoutMs = options.redactTimeoutMs ?? 30_000;
  const abortGraceMs = options.abortGraceMs ?? 2_000;
  const recycleAboveMb = options.recycleAboveMb ?? 400;
  const niceness = options.niceness ?? 10;
  const poolLogger = options.logger ?? silentLogger;
  const idle: Slot[] = [];
  const busy = new Set<Slot>();
  const queue: Task[] = [];
  let nextTask = 0;
  let closed = false;

  function spawnSlot(): Slot {
    const child = fork(WORKER, [], {
      execArgv: [
        ...process.execArgv.filter((a) => !a.startsWith('--inspect')),
        '--liftoff-only',
        // Analysis makes many short-lived syntax-tree wrappers: a small young generation collects them
        // sooner, and the 1,000-file review's worker peak drops by about a fifth (npm run bench:analyzers).
        '--max-semi-space-size=4',
      ],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    try {
      if (child.pid !== undefined && niceness !== 0)
        setPriority(child.pid, niceness);
    } catch (error) {
      poolLogger.debug(
        { err: error },
        'could not lower the analyzer worker priority',
      );
    }
    const slot: Slot = { child, timers: [] };
    child.on('message', (message: FromWorker) => onMessage(slot, message));
    child.once('exit', (code, signal) => {
      slot.dead = true;
      const at = idle.indexOf(slot);
      if (at >= 0) idle.splice(at, 1);
      if (slot.task)
        finish(
          slot,
          {
            error: new Error(
              `the analyzer worker exited (${signal ?? `code ${code}`})`,
            ),
          },
          false,
        );
      busy.delete(slot);
      pump();
    });
    child.on('error', (error) =>
      poolLogger.error({ err: error }, 'analyzer worker error'),
    );
    return slot;
  }

  /** A send to a worker that has just died fails its task (the exit follows) instead of throwing here. */
  function send(slot: Slot, message: ToWorker): void {
    slot.child.send(message, (error) => {
      if (error)
        finish(
          slot,
          { error: new Error(`the analyzer worker is gone: ${error.message}`) },
          true,
        );
    });
  }

  function pump(): void {
    while (!closed && queue.length > 0) {
      const slot = idle.pop() ?? (busy.size < size ? spawnSlot() : undefined);
      if (!slot) return;
      start(slot, queue.shift()!);
    }
    // Idle workers must not keep a finished program alive.
    for (const slot of idle) {
      slot.child.unref();
      slot.child.channel?.unref();
    }
  }

  function start(slot: Slot, task: Task): void {
    busy.add(slot);
    slot.task = task;
    slot.child.ref();
    slot.child.channel?.ref();
    slot.timers.push(
      setTimeout(() => {
        finish(
          slot,
          {
            error: new Error(
              `timed out after ${Math.round(task.timeoutMs / 1000)} s`,
            ),
          },
          true,
        );
      }, task.timeoutMs),
    );
    if (task.signal) {
      const signal = task.signal;
      slot.onAbort = () => {
        send(slot, {
          kind: 'abort',
          task: task.message.task,
          reason: String(
            (signal.reason as Error | undefined)?.message ?? 'aborted',
          ),
        });
        slot.timers.push(
          setTimeout(
            () => finish(slot, { error: signal.reason }, true),
            abortGraceMs,
          ),
        );
      };
      signal.addEventListener('abort', slot.onAbort, { once: true });
    }
    send(slot, task.message);
  }

  /** Settles the slot's task; `kill` replaces a worker that may still be busy with it. */
  function finish(
    slot: Slot,
    outcome: { output: AnalyzerOutput | string } | { error: unknown },
    kill: boolean,
  ): void {
    const task = slot.task;
    if (!task) return;
    slot.task = undefined;
    for (const timer of slot.timers) clearTimeout(timer);
    slot.timers = [];
    if (slot.onAbort) task.signal?.removeEventListener('abort', slot.onAbort);
    slot.onAbort = undefined;
    // An aborted task fails with the abort's reason even when its answer raced the abort in.
    if (task.signal?.aborted) task.reject(task.signal.reason);
    else if ('output' in outcome) task.resolve(outcome.output);
    else task.reject(outcome.error);
    busy.delete(slot);
    if (kill) {
      slot.child.removeAllListeners('exit');
      slot.child.kill('SIGKILL');
      // Its replacement starts now, so the next task does not wait for the analyzers to load.
      if (!closed) idle.push(spawnSlot());
    } else if (!closed && !slot.dead) {
      idle.push(slot);
    }
    pump();
  }

  function onMessage(slot: Slot, message: FromWorker): void {
    const task = slot.task;
    if (message.kind === 'ready' || !task || message.task !== task.message.task)
      return;
    const input = task.input;
    switch (message.kind) {
      case 'read':
      case 'list': {
        const answer = (value?: string | string[], error?: string) => {
          if (slot.task === task)
            send(slot, { kind: 'answer', call: message.call, value, error });
        };
        const contents = input?.changeSet.contents;
        const pending =
          message.kind === 'read'
            ? contents?.read(message.revision, message.path, task.signal)
            : contents?.listHeadPaths?.(task.signal);
        Promise.resolve(pending).then(
          (value) => answer(value),
          (error: unknown) =>
            answer(
              undefined,
              error instanceof Error ? error.message : String(error),
            ),
        );
        break;
      }
      case 'log':
        (input?.logger ?? poolLogger)[message.level](message.obj, message.msg);
        break;
      case 'done':
        finish(
          slot,
          { output: message.output },
          message.rssMb > recycleAboveMb,
        );
        break;
      case 'failed':
        finish(slot, { error: new Error(message.message) }, false);
        break;
    }
  }

  function submit(
    message: TaskMessage,
    timeoutMs: number,
    signal?: AbortSignal,
    input?: AnalyzerInput,
  ): Promise<AnalyzerOutput | string> {
    return new Promise((resolve, reject) => {
      if (closed) return reject(new Error('the analyzer pool is closed'));
      if (signal?.aborted) return reject(signal.reason);
      const task: Task = { message, timeoutMs, signal, input, resolve, reject };
      queue.push(task);
      // A task still waiting for a worker leaves the queue when its review is cancelled.
      signal?.addEventListener(
        'abort',
        () => {
          const at = queue.indexOf(task);
          if (at >= 0) {
            queue.splice(at, 1);
            reject(signal.reason);
          }
        },
        { once: true },
      );
      pump();
    });
  }

  // Started now, so the first review does not wait for the workers to load the analyzers.
  for (let i = 0; i < size; i++) idle.push(spawnSlot());
  pump();

  const analyzer: Analyzer = {
    name: POOL_ANALYZER_NAME,
    lenses: LENSES,
    async analyze(input) {
      // The reader and the repository view are live objects: contents are served over the channel, and no analyzer uses the view.
      const { contents, repository: _view, ...data } = input.changeSet;
      const output = await submit(
        {
          kind: 'analyze',
          task: nextTask++,
          changeSet: {
            ...data,
            canListHeadPaths: contents.listHeadPaths !== undefined,
          },
          files: input.files,
          lenses: [...input.lenses],
          config: input.config,
        },
        analyzeTimeoutMs,
        input.signal,
        input,
      );
      if (typeof output === 'string')
        throw new Error('the analyzer worker answered a redaction');
      return output;
    },
  };

  const redactor: SecretRedactor = {
    async redact(path, text) {
      const output = await submit(
        { kind: 'redact', task: nextTask++, path, text },
        redactTimeoutMs,
      );
      if (typeof output !== 'string')
        throw new Error('the analyzer worker answered an analysis');
      return output;
    },
  };

  return {
    analyzers: [analyzer],
    redactor,
    async close() {
      closed = true;
      for (const task of queue.splice(0))
        task.reject(new Error('the analyzer pool is closed'));
      const slots = [...idle, ...busy];
      await Promise.all(
        slots.map(
          (slot) =>
            new Promise<void>((resolve) => {
              if (
                slot.child.exitCode !== null ||
                slot.child.signalCode !== null
              )
                return resolve();
              slot.child.once('exit', () => resolve());
              slot.child.ref(); // an idle worker is unreferenced: keep the program alive until it has exited
              if (slot.task)
                finish(
                  slot,
                  { error: new Error('the analyzer pool is closed') },
                  true,
                );
              else slot.child.kill();
            }),
        ),
      );
    },
  };
}
