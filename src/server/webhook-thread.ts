/**
 * The webhook listener of the one-process server, on its own thread: it owns the port, verifies,
 * checks and journals each delivery (its own connection to the SQLite file) and answers, whatever
 * the main thread is busy with (a 300-file review's setup, a large diff, a GC pause). Accepted
 * deliveries, every answer's metrics and the requests that are not webhooks (`/healthz`,
 * `/metrics`, `/ping`) go to the main thread as messages.
 */
import { createServer, type ServerResponse } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { Probot } from 'probot';
import { SqliteStore } from '../runtime/sqlite-store.ts';
import { createLogger } from './create-logger.ts';
import type { LogLevel } from './env.ts';
import type { PlainAnswer } from './health.ts';
import { type Outcome, webhookIntake } from './webhook-intake.ts';

export interface ListenerConfig {
  port: number;
  host?: string;
  path: string;
  secret: string;
  dataDir: string;
  logLevel: LogLevel;
  logFormat?: 'json' | 'pretty';
}

/** From the listener thread to the main thread. */
export type ListenerMessage =
  | { type: 'listening'; port: number }
  | { type: 'delivery'; id: string; name: string; payload: unknown }
  | { type: 'observed'; event: string; outcome: Outcome; seconds: number }
  | { type: 'request'; id: number; method?: string; url?: string }
  | { type: 'closed' };

/** From the main thread to the listener thread. */
export type ControlMessage =
  | ({ type: 'answer'; id: number } & PlainAnswer)
  | { type: 'accepting'; value: boolean }
  | { type: 'close' };

const port = parentPort;
if (!port) throw new Error('the webhook listener runs as a worker thread');
const config = workerData as ListenerConfig;
const post = (message: ListenerMessage) => port.postMessage(message);

const log = await createLogger({
  level: config.logLevel,
  ...(config.logFormat ? { format: config.logFormat } : {}),
});
// A token-only instance makes no requests; it is here for `webhooks.verify` (timing-safe HMAC).
const probot = new Probot({
  githubToken: 'verify-only',
  secret: config.secret,
  log,
});
await probot.ready();
const store = new SqliteStore(config.dataDir);
let accepting = true;
const forwarded = new Map<number, ServerResponse>();
let nextId = 0;

const intake = webhookIntake({
  path: config.path,
  verify: (body, signature) => probot.webhooks.verify(body, signature),
  runtime: {
    accept: async (delivery) => {
      // Committed to the journal before the answer; the main thread runs it from here on.
      if (!store.accept(delivery)) return 'duplicate';
      post({ type: 'delivery', ...delivery });
      return 'accepted';
    },
  },
  accepting: () => accepting,
  observe: (event, outcome, seconds) =>
    post({ type: 'observed', event, outcome, seconds }),
  log: log.child({ component: 'webhooks' }),
});

const server = createServer((req, res) => {
  if (intake(req, res)) return;
  req.resume();
  const id = nextId++;
  forwarded.set(id, res);
  res.once('close', () => forwarded.delete(id));
  post({
    type: 'request',
    id,
    ...(req.method ? { method: req.method } : {}),
    ...(req.url ? { url: req.url } : {}),
  });
});

port.on('message', (message: ControlMessage) => {
  switch (message.type) {
    case 'answer': {
      const res = forwarded.get(message.id);
      forwarded.delete(message.id);
      res?.writeHead(message.status, message.headers).end(message.body);
      return;
    }
    case 'accepting':
      accepting = message.value;
      return;
    case 'close':
      accepting = false;
      server.closeAllConnections();
      server.close(() => {
        store.close();
        post({ type: 'closed' });
        port.close();
      });
      return;
  }
});

server.once('error', (error) => {
  log.error({ err: error }, 'the webhook listener could not listen');
  throw error;
});
server.listen(config.port, config.host, () => {
  const address = server.address();
  post({
    type: 'listening',
    port: typeof address === 'object' && address ? address.port : config.port,
  });
});
