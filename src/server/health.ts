import type { IncomingMessage, ServerResponse } from 'node:http';
import type { QueueStats } from '../github/queue/review-queue.ts';

export const HEALTH_PATH = '/healthz';

export interface HealthSource {
  shuttingDown(): boolean;
  stats(): QueueStats;
}

/** `GET /healthz`: 200 with queue stats while serving, 503 once shutdown has begun so load balancers stop routing. */
export function healthHandler(source: HealthSource) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== HEALTH_PATH || (req.method !== 'GET' && req.method !== 'HEAD'))
      return false;
    const down = source.shuttingDown();
    const body = JSON.stringify({
      status: down ? 'shutting-down' : 'ok',
      queue: source.stats(),
    });
    res.writeHead(down ? 503 : 200, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
