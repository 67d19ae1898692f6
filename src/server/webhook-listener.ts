import { Worker } from 'node:worker_threads';
import type { Logger } from '../core/logger.ts';
import type { DeliveryContext } from '../runtime/runtime.ts';
import type { PlainAnswer } from './health.ts';
import type { Outcome } from './webhook-intake.ts';
import type {
  ControlMessage,
  ListenerConfig,
  ListenerMessage,
} from './webhook-thread.ts';

/** Start-up of the thread (Probot and zod load there too); a listener that does not come up fails the start. */
const LISTEN_TIMEOUT_MS = 30_000;
/** Closing waits this long for the thread to answer the connections it has and exit. */
const CLOSE_TIMEOUT_MS = 2000;

export interface ListenerHooks {
  /** A delivery the thread has journaled and answered 202. */
  delivery(delivery: DeliveryContext): void;
  observe(event: string, outcome: Outcome, seconds: number): void;
  /** Everything that is not the webhook path; undefined is a 404. */
  answer(
    method: string | undefined,
    url: string | undefined,
  ): PlainAnswer | Promise<PlainAnswer> | undefined;
  /** The thread died: the process can no longer take webhooks. */
  failed(error: Error): void;
}

export interface WebhookListener {
  port: number;
  /** Once false, every delivery is answered 503. */
  setAccepting(value: boolean): void;
  close(): Promise<void>;
}

/** Starts the webhook listener thread (webhook-thread.ts) and serves what it forwards. */
export async function startWebhookListener(
  config: ListenerConfig,
  hooks: ListenerHooks,
  log: Logger,
): Promise<WebhookListener> {
  const worker = new Worker(new URL('./webhook-thread.ts', import.meta.url), {
    workerData: config,
  });
  const send = (message: ControlMessage) => worker.postMessage(message);
  let closing = false;
  let closed!: () => void;
  const whenClosed = new Promise<void>((resolve) => (closed = resolve));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the webhook listener did not start in time')),
      LISTEN_TIMEOUT_MS,
    );
    worker.on('message', (message: ListenerMessage) => {
      switch (message.type) {
        case 'listening':
          clearTimeout(timer);
          resolve(message.port);
          return;
        case 'delivery':
          hooks.delivery({
            id: message.id,
            name: message.name,
            payload: message.payload,
          });
          return;
        case 'observed':
          hooks.observe(message.event, message.outcome, message.seconds);
          return;
        case 'request':
          void Promise.resolve(hooks.answer(message.method, message.url))
            .then(
              (answer) =>
                answer ?? {
                  status: 404,
                  headers: { 'content-type': 'text/plain' },
                  body: '',
                },
              (error: unknown) => {
                log.error({ err: error, url: message.url }, 'request failed');
                return {
                  status: 500,
                  headers: { 'content-type': 'text/plain' },
                  body: '',
                };
              },
            )
            .then((answer) =>
              send({ type: 'answer', id: message.id, ...answer }),
            );
          return;
        case 'closed':
          closed();
          return;
      }
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
      if (!closing) hooks.failed(error);
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      closed();
      if (!closing) {
        const error = new Error(`the webhook listener exited (${code})`);
        reject(error);
        hooks.failed(error);
      }
    });
  });
  return {
    port,
    setAccepting: (value) => send({ type: 'accepting', value }),
    close: async () => {
      if (closing) return whenClosed;
      closing = true;
      send({ type: 'close' });
      await Promise.race([
        whenClosed,
        new Promise((r) => setTimeout(r, CLOSE_TIMEOUT_MS).unref()),
      ]);
      await worker.terminate();
    },
  };
}
