import type { Redis } from 'ioredis';
import type {
  OpenCheckRun,
  OpenRunStore,
  Spend,
  SpendStore,
} from './stores.ts';

const OPEN_RUNS = 'architect:open-check-runs';
/** Counters outlive their period by a little, for the metrics of the last period. */
const SPEND_TTL_SECONDS = 40 * 24 * 3600;

/** Open check runs and model spend in Redis, shared by every web and worker process. */
export class RedisStore implements OpenRunStore, SpendStore {
  readonly #redis: Redis;

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  async opened(run: OpenCheckRun): Promise<void> {
    await this.#redis.hset(OPEN_RUNS, String(run.id), JSON.stringify(run));
  }

  async closed(id: number): Promise<void> {
    await this.#redis.hdel(OPEN_RUNS, String(id));
  }

  async list(): Promise<OpenCheckRun[]> {
    const all = await this.#redis.hgetall(OPEN_RUNS);
    return Object.values(all).map((text) => JSON.parse(text) as OpenCheckRun);
  }

  async add(
    scope: string,
    periods: readonly string[],
    spend: Spend,
  ): Promise<void> {
    const multi = this.#redis.multi();
    for (const period of periods) {
      const key = `architect:spend:${scope}:${period}`;
      multi
        .hincrbyfloat(key, 'usd', spend.usd)
        .hincrby(key, 'tokens', Math.round(spend.tokens))
        .expire(key, SPEND_TTL_SECONDS);
    }
    await multi.exec();
  }

  async get(scope: string, period: string): Promise<Spend> {
    const [usd, tokens] = await this.#redis.hmget(
      `architect:spend:${scope}:${period}`,
      'usd',
      'tokens',
    );
    return { usd: Number(usd ?? 0), tokens: Number(tokens ?? 0) };
  }
}
