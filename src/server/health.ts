import type { IncomingMessage, ServerResponse } from 'node:http';
import type { QueueStats } from '../github/queue/review-queue.ts';

export const HEALTH_PATH = '/healthz';

export interface HealthSource {
  shuttingDown(): boolean;
  stats(): QueueStats;
}

/** An answer computed away from the socket (the webhook listener thread forwards these requests). */
export interface PlainAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** `GET /healthz`: 200 with queue stats while serving, 503 once shutdown has begun so load balancers stop routing. */
export function healthAnswer(
  source: HealthSource,
  method: string | undefined,
  url: string | undefined,
): PlainAnswer | undefined {
  const path = (url ?? '').split('?')[0];
  if (path !== HEALTH_PATH || (method !== 'GET' && method !== 'HEAD'))
    return undefined;
  const down = source.shuttingDown();
  const body = JSON.stringify({
    status: down ? 'shutting-down' : 'ok',
    queue: source.stats(),
  });
  return {
    status: down ? 503 : 200,
    headers: {
      'content-type': 'application/json',
      'cache-control': 'no-store',
    },
    body: method === 'HEAD' ? '' : body,
  };
}

export function healthHandler(source: HealthSource) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const answer = healthAnswer(source, req.method, req.url);
    if (!answer) return false;
    res.writeHead(answer.status, answer.headers).end(answer.body || undefined);
    return true;
  };
}
