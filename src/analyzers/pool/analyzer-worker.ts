/**
 * The analyzer pool's worker process: runs every deterministic analyzer (and the secret redactor) on
 * what the pool sends, reading file contents back from the parent, which owns the GitHub or git
 * connection. Started by `createAnalyzerPool` with `--liftoff-only`, so libpg-query's WebAssembly
 * stays on V8's baseline compiler.
 */
import type {
  ChangeSet,
  ContentReader,
  Revision,
} from '../../core/change-set.ts';
import { messageOf } from '../../core/error-message.ts';
import type { Logger } from '../../core/logger.ts';
import { runAnalyzers } from '../../core/run-analyzers.ts';
import { defaultAnalyzers, defaultRedactor } from '../index.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

if (!process.send)
  throw new Error('analyzer-worker.ts runs as a child of the analyzer pool');
const rssMb = () => process.memoryUsage.rss() / 1024 / 1024;
const send = (message: FromWorker) => {
  try {
    process.send!(message);
  } catch {
    // A log line with something uncloneable in it: keep the text.
    if (message.kind === 'log')
      process.send!({
        ...message,
        obj: JSON.stringify(message.obj, (_k, v: unknown) =>
          v instanceof Error ? v.message : v,
        ),
      });
    else throw new Error(`could not send ${message.kind}`);
  }
};

const analyzers = defaultAnalyzers();
const redactor = defaultRedactor();
const aborts = new Map<number, AbortController>();
const calls = new Map<
  number,
  { resolve(value: unknown): void; reject(error: Error): void }
>();
let nextCall = 0;

function ask<T>(
  message:
    | { kind: 'read'; task: number; revision: Revision; path: string }
    | { kind: 'list'; task: number },
): Promise<T> {
  const call = nextCall++;
  return new Promise<T>((resolve, reject) => {
    calls.set(call, { resolve: resolve as (value: unknown) => void, reject });
    send({ ...message, call });
  });
}

function taskLogger(task: number): Logger {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (obj: object | string, msg?: string) =>
      send({ kind: 'log', task, level, obj, msg });
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

async function run(
  message: Extract<ToWorker, { kind: 'analyze' | 'redact' }>,
): Promise<void> {
  const controller = new AbortController();
  aborts.set(message.task, controller);
  try {
    if (message.kind === 'redact') {
      send({
        kind: 'done',
        task: message.task,
        output: await redactor.redact(message.path, message.text),
        rssMb: rssMb(),
      });
      return;
    }
    const { canListHeadPaths, ...data } = message.changeSet;
    const contents: ContentReader = {
      read: (revision, path) =>
        ask<string | undefined>({
          kind: 'read',
          task: message.task,
          revision,
          path,
        }),
      ...(canListHeadPaths
        ? {
            listHeadPaths: () =>
              ask<string[]>({ kind: 'list', task: message.task }),
          }
        : {}),
    };
    const changeSet: ChangeSet = { ...data, contents };
    const output = await runAnalyzers(analyzers, {
      changeSet,
      files: message.files,
      lenses: new Set(message.lenses),
      config: message.config,
      logger: taskLogger(message.task),
      signal: controller.signal,
    });
    send({ kind: 'done', task: message.task, output, rssMb: rssMb() });
  } catch (error) {
    send({ kind: 'failed', task: message.task, message: messageOf(error) });
  } finally {
    aborts.delete(message.task);
  }
}

process.on('message', (message: ToWorker) => {
  switch (message.kind) {
    case 'analyze':
    case 'redact':
      void run(message);
      break;
    case 'abort':
      aborts.get(message.task)?.abort(new Error(message.reason));
      break;
    case 'answer': {
      const pending = calls.get(message.call);
      calls.delete(message.call);
      if (message.error !== undefined)
        pending?.reject(new Error(message.error));
      else pending?.resolve(message.value);
      break;
    }
  }
});
send({ kind: 'ready' });
process.on('disconnect', () => process.exit(0));
