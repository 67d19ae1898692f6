import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../core/logger.ts';
import { checkDelivery } from '../runtime/delivery-check.ts';
import type { Runtime } from '../runtime/runtime.ts';

/** GitHub caps webhook payloads at 25 MB; anything larger is not from GitHub. */
export const MAX_PAYLOAD_BYTES = 25 * 1024 * 1024;
/** A client that stops sending mid-body must not hold the request (and its buffers) forever. */
export const BODY_TIMEOUT_MS = 10_000;

export interface WebhookIntakeOptions {
  path: string;
  /** Timing-safe check of `X-Hub-Signature-256` against the raw body (Probot's `webhooks.verify`). */
  verify(body: string, signature: string): Promise<boolean>;
  runtime: Pick<Runtime, 'accept'>;
  /** False once shutdown has begun or the review queue is closed: new work is refused with 503. */
  accepting(): boolean;
  /** Sees every answer: the event, the outcome and how long the answer took (metrics). */
  observe(event: string, outcome: Outcome, seconds: number): void;
  log: Logger;
}

export type Outcome = 'accepted' | 'ignored' | 'rejected' | 'refused' | 'error';

/** An answer other than 202, with its one-line reason. */
class Refusal extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * The webhook's fast path, in front of Probot: verify the signature, check the few payload fields
 * the runtime relies on, record the delivery (journal or queue) and answer 202 at once. The app's
 * handlers run afterwards, so the answer never waits on them (or on a review hogging the process).
 * Answers are one line: `{"error": "..."}` for a refusal, as Probot's middleware wrote them.
 */
export function webhookIntake(options: WebhookIntakeOptions) {
  const { log } = options;
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if ((req.url ?? '').split('?')[0] !== options.path) return false;
    const started = performance.now();
    const event = headerOf(req, 'x-github-event') ?? 'unknown';
    const answer = (status: number, outcome: Outcome, body: string) => {
      res
        .writeHead(status, {
          'content-type':
            status < 300 ? 'text/plain' : 'application/json; charset=utf-8',
        })
        .end(
          status < 300 ? `${body}\n` : `${JSON.stringify({ error: body })}\n`,
        );
      options.observe(event, outcome, (performance.now() - started) / 1000);
    };
    void receive(req, event, options).then(
      ({ status, outcome, body }) => answer(status, outcome, body),
      (error: unknown) => {
        if (error instanceof Refusal) {
          answer(
            error.status,
            error.status === 503 ? 'refused' : 'rejected',
            error.message,
          );
          return;
        }
        log.error({ err: error, event }, 'could not accept a webhook delivery');
        answer(500, 'error', 'the delivery could not be recorded');
      },
    );
    return true;
  };
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

async function receive(
  req: IncomingMessage,
  name: string,
  options: WebhookIntakeOptions,
): Promise<{ status: number; outcome: Outcome; body: string }> {
  if (req.method !== 'POST') {
    req.resume();
    throw new Refusal(404, `Unknown route: ${req.method} ${options.path}`);
  }
  const contentType = headerOf(req, 'content-type') ?? '';
  if (!/^application\/json(;|$)/i.test(contentType)) {
    req.resume();
    throw new Refusal(
      415,
      'Unsupported "Content-Type" header value. Must be "application/json"',
    );
  }
  const id = headerOf(req, 'x-github-delivery');
  const signature = headerOf(req, 'x-hub-signature-256');
  const missing = [
    ...(name === 'unknown' ? ['x-github-event'] : []),
    ...(id ? [] : ['x-github-delivery']),
    ...(signature ? [] : ['x-hub-signature-256']),
  ];
  if (missing.length > 0) {
    req.resume();
    throw new Refusal(400, `Required headers missing: ${missing.join(', ')}`);
  }
  const body = await readBody(req);
  // Before anything reads the body: an unsigned delivery is not looked at, logged or recorded.
  const valid = await options.verify(body, signature!).catch(() => false);
  if (!valid)
    throw new Refusal(401, 'signature does not match event payload and secret');
  if (!options.accepting())
    throw new Refusal(
      503,
      'the server is shutting down and accepts no new deliveries',
    );
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    throw new Refusal(400, 'the body is not valid JSON');
  }
  const verdict = checkDelivery(name, payload);
  if (verdict.kind === 'reject') {
    options.log.warn(
      { event: name, id, problems: verdict.problems },
      'rejected a delivery whose payload does not match the expected shape',
    );
    throw new Refusal(400, verdict.reason);
  }
  if (verdict.kind === 'ignore')
    return { status: 200, outcome: 'ignored', body: 'ignored' };
  const result = await options.runtime
    .accept({ id: id!, name, payload })
    .catch((error: unknown) => {
      if ((error as { status?: unknown }).status === 503)
        throw new Refusal(503, (error as Error).message);
      throw error;
    });
  return {
    status: 202,
    outcome: 'accepted',
    body: result === 'duplicate' ? 'already accepted' : 'accepted',
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Refusal(408, 'the body did not arrive in time'));
    }, BODY_TIMEOUT_MS);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) {
        clearTimeout(timer);
        req.removeAllListeners('data');
        req.resume();
        reject(new Refusal(413, 'the payload is larger than GitHub sends'));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
