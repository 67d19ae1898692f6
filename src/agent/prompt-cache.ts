import { createHash } from 'node:crypto';
import type Anthropic from '@anthropic-ai/sdk';
import type { Logger } from '../core/logger.ts';

/**
 * The prompt cache keeps a prefix for five minutes after its last use. A prefix this process saw
 * cached more recently than this is taken as still there; an eviction before then only costs what
 * every request paid before the warm-up existed.
 */
export const FRESH_MS = 4 * 60_000;
/** A warm-up that has not answered by then is given up on: the chunks go without it. */
export const WARM_UP_TIMEOUT_MS = 20_000;
/** The answer of a warm-up is thrown away; one token is the least the API accepts. */
export const WARM_UP_MAX_TOKENS = 1;
const WARM_UP_TEXT =
  'This request only loads the instructions above into the prompt cache. There is nothing to review in it.';
/** Prefixes remembered, per endpoint, key, model and prefix; a handful in practice. */
const MAX_REMEMBERED = 64;

interface Seen {
  at: number;
  /** False when a warm-up showed no cache activity (a gateway that does not cache): do not wait again. */
  caches: boolean;
}

/** Process-wide: the API's cache is shared by every review sent with the same key. */
const seen = new Map<string, Seen>();

/** Forgets every prefix seen, for tests that need a cold start. */
export function forgetCachedPrefixes(): void {
  seen.clear();
}

/** Identifies the cached prefix of a request: where it goes, under which key, and the tools and system block up to the breakpoint. */
export function prefixKey(
  endpoint: string,
  apiKey: string,
  params: Pick<Anthropic.MessageCreateParamsNonStreaming, 'model' | 'tools'> & {
    system: Anthropic.TextBlockParam[];
  },
): string {
  return createHash('sha256')
    .update(JSON.stringify([endpoint, apiKey, params.model, params.tools]))
    .update(params.system[0]?.text ?? '')
    .digest('hex');
}

function remember(key: string, entry: Seen): void {
  const known = seen.get(key);
  // Answers arrive out of order; the cache lives from the latest use.
  if (known?.caches && entry.caches && known.at > entry.at) return;
  seen.delete(key);
  seen.set(key, entry);
  if (seen.size > MAX_REMEMBERED) seen.delete(seen.keys().next().value!);
}

/**
 * Notes what a response says about the cache: any read or write means the prefix was cached when
 * the request was processed, which is after `sentAt`. Counting from when it was sent, not from the
 * answer (which may take minutes), keeps the freshness window inside the cache's lifetime.
 */
export function noteCacheUsage(
  key: string,
  usage: Anthropic.Usage,
  sentAt: number,
): boolean {
  const active =
    (usage.cache_read_input_tokens ?? 0) +
      (usage.cache_creation_input_tokens ?? 0) >
    0;
  if (active) remember(key, { at: sentAt, caches: true });
  return active;
}

function needsWarmUp(key: string, now: number): boolean {
  const entry = seen.get(key);
  if (!entry) return true;
  return entry.caches && now - entry.at >= FRESH_MS;
}

export type SendWarmUp = (
  params: Anthropic.MessageCreateParamsNonStreaming,
  signal: AbortSignal,
) => Promise<Anthropic.Message>;

/**
 * The first request of a review that fans out. Concurrent requests cannot read a cache entry
 * before the request that writes it has begun to answer, so chunks sent together would each pay
 * to write the same prefix. When the prefix is cold, one small request (the fixed prefix, one
 * output token) writes it first and the chunks wait for it; when this process saw it cached in the
 * last minutes, nothing waits. Per review (one instance per reviewer), at most one warm-up.
 */
export class PrefixWarmUp {
  private readonly pending = new Map<string, Promise<void>>();
  private readonly send: SendWarmUp;
  private readonly logger: Logger;
  private readonly now: () => number;

  constructor(send: SendWarmUp, logger: Logger, now: () => number = Date.now) {
    this.send = send;
    this.logger = logger;
    this.now = now;
  }

  /**
   * Resolves when the chunk may go: at once for a review of one chunk or a warm prefix, else once
   * the warm-up has answered, failed or timed out. Rejects only when `signal` aborts.
   */
  async ready(
    key: string,
    params: Anthropic.MessageCreateParamsNonStreaming,
    chunkCount: number,
    signal: AbortSignal,
  ): Promise<void> {
    if (chunkCount < 2 || !needsWarmUp(key, this.now())) return;
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.warm(key, params, signal);
      this.pending.set(key, pending);
    }
    await untilAborted(pending, signal);
  }

  private async warm(
    key: string,
    params: Anthropic.MessageCreateParamsNonStreaming,
    signal: AbortSignal,
  ): Promise<void> {
    const started = this.now();
    try {
      const message = await this.send(
        {
          ...params,
          max_tokens: WARM_UP_MAX_TOKENS,
          messages: [{ role: 'user', content: WARM_UP_TEXT }],
        },
        AbortSignal.any([signal, AbortSignal.timeout(WARM_UP_TIMEOUT_MS)]),
      );
      if (!noteCacheUsage(key, message.usage, started)) {
        // Waiting again would only add latency: remember that this endpoint does not cache.
        remember(key, { at: this.now(), caches: false });
        this.logger.warn(
          'the prompt-cache warm-up wrote no cache: requests are sent without waiting for it from now on',
        );
      } else
        this.logger.debug(
          { ms: this.now() - started, usage: message.usage },
          'prompt cache warmed',
        );
    } catch (error) {
      if (signal.aborted) throw error;
      // The chunks go anyway; each then writes the prefix itself, as without a warm-up.
      this.logger.warn({ err: error }, 'prompt-cache warm-up failed');
    }
  }
}

function untilAborted(work: Promise<void>, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
