/**
 * Retries GitHub requests refused by a rate limit, as GitHub asks: after `retry-after` seconds for a
 * secondary limit, after `x-ratelimit-reset` for an exhausted primary quota. Bounded in attempts and
 * in total waiting, so a review is never held for an hour; once the budget is spent the error
 * propagates and the caller reports it. Written as an Octokit plugin (`Octokit.plugin(...)`) that
 * also installs on an existing client, so Probot's clients and a plain @octokit/rest client share it.
 */

export interface RateLimitRetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  /** Total time spent waiting between attempts of one request. */
  maxTotalWaitMs: number;
  /** Wait for a secondary limit answered without `retry-after` (GitHub asks for at least a minute). */
  fallbackWaitMs: number;
}

export const DEFAULT_RATE_LIMIT_RETRY: RateLimitRetryOptions = {
  retries: 3,
  maxTotalWaitMs: 90_000,
  fallbackWaitMs: 60_000,
};

interface RequestOptions {
  method?: string;
  url?: string;
  request?: { signal?: AbortSignal; [key: string]: unknown };
  [key: string]: unknown;
}

type RequestFn = (options: RequestOptions) => Promise<unknown>;
type RequestWrapper = (
  request: RequestFn,
  options: RequestOptions,
) => Promise<unknown>;

/**
 * The part of an Octokit client this needs: its request hook. Loosely typed on purpose, so that
 * every Octokit flavour (Probot's, @octokit/rest) fits without depending on its type package.
 */
export interface HookedClient {
  hook: {
    wrap(
      name: 'request',
      // biome-ignore lint/suspicious/noExplicitAny: Octokit's own hook signature is generic over its endpoint and response types.
      wrapper: (request: any, options: any) => Promise<any>,
    ): void;
  };
  log?: { warn(message: string): void };
}

interface ErrorLike {
  status?: number;
  message?: string;
  response?: {
    headers?: Record<string, string | number | undefined>;
    data?: unknown;
  };
}

const installed = new WeakSet<object>();

/**
 * How long GitHub asks to wait before sending `error`'s request again, or undefined when the error
 * is not a rate limit.
 */
export function rateLimitWaitMs(
  error: unknown,
  now: number,
  fallbackWaitMs: number,
): number | undefined {
  const e = error as ErrorLike | null;
  if (
    typeof e !== 'object' ||
    e === null ||
    (e.status !== 403 && e.status !== 429)
  )
    return undefined;
  const headers = e.response?.headers ?? {};
  const retryAfter = Number(headers['retry-after']);
  if (
    headers['retry-after'] !== undefined &&
    Number.isFinite(retryAfter) &&
    retryAfter >= 0
  )
    return retryAfter * 1000;
  if (
    String(headers['x-ratelimit-remaining']) === '0' &&
    headers['x-ratelimit-reset'] !== undefined
  ) {
    const reset = Number(headers['x-ratelimit-reset']) * 1000;
    // One second past the reset, as GitHub recommends.
    if (Number.isFinite(reset)) return Math.max(0, reset - now) + 1000;
  }
  if (
    /secondary rate limit|abuse detection/i.test(
      `${e.message ?? ''} ${JSON.stringify(e.response?.data ?? '')}`,
    ) ||
    e.status === 429
  )
    return fallbackWaitMs;
  return undefined;
}

/** Installs the retry on `octokit` (once per client) and returns the plugin API (none). */
export function rateLimitRetry(
  octokit: HookedClient,
  octokitOptions: object = {},
): Record<string, never> {
  if (installed.has(octokit)) return {};
  installed.add(octokit);
  // Read from the client's constructor options: `new (Octokit.plugin(rateLimitRetry))({ rateLimitRetry: { retries: 1 } })`.
  const own = (
    octokitOptions as { rateLimitRetry?: Partial<RateLimitRetryOptions> }
  ).rateLimitRetry;
  const settings: RateLimitRetryOptions = {
    ...DEFAULT_RATE_LIMIT_RETRY,
    ...own,
  };
  const wrapper: RequestWrapper = async (request, options) => {
    let waited = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        if (attempt > 0) freshTimeout(options);
        return await request(options);
      } catch (error) {
        const waitMs = rateLimitWaitMs(
          error,
          Date.now(),
          settings.fallbackWaitMs,
        );
        if (
          waitMs === undefined ||
          attempt >= settings.retries ||
          waited + waitMs > settings.maxTotalWaitMs
        )
          throw error;
        octokit.log?.warn(
          `GitHub rate limit on ${options.method ?? ''} ${options.url ?? ''}: retry ${attempt + 1} of ${settings.retries} in ${Math.ceil(waitMs / 1000)} s`,
        );
        waited += waitMs;
        await sleep(waitMs, callerSignal(options.request?.signal));
      }
    }
  };
  octokit.hook.wrap('request', wrapper);
  return {};
}

/**
 * A request signal made by `requestSignal` carries a per-request timeout; a retry gets a fresh one
 * (the wait is not the request's fault) but keeps the caller's own signal (supersede, shutdown).
 */
const callerSignals = new WeakMap<
  AbortSignal,
  { caller: AbortSignal | undefined; timeoutMs: number }
>();

export function registerRequestSignal(
  combined: AbortSignal,
  caller: AbortSignal | undefined,
  timeoutMs: number,
): void {
  callerSignals.set(combined, { caller, timeoutMs });
}

function callerSignal(
  signal: AbortSignal | undefined,
): AbortSignal | undefined {
  if (!signal) return undefined;
  const known = callerSignals.get(signal);
  return known ? known.caller : signal;
}

/**
 * Gives a retry its own request timeout. In place: Octokit hands the inner layers this very options
 * object (the request's own merged copy), not whatever a wrapper passes on.
 */
function freshTimeout(options: RequestOptions): void {
  const signal = options.request?.signal;
  const known = signal ? callerSignals.get(signal) : undefined;
  if (!known) return;
  const timeout = AbortSignal.timeout(known.timeoutMs);
  const fresh = known.caller
    ? AbortSignal.any([known.caller, timeout])
    : timeout;
  registerRequestSignal(fresh, known.caller, known.timeoutMs);
  options.request = { ...options.request, signal: fresh };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface OctokitClass<T> {
  // biome-ignore lint/suspicious/noExplicitAny: Octokit's constructor options are typed per flavour.
  defaults(options: (options: Record<string, any>) => Record<string, any>): T;
  plugin(plugin: typeof rateLimitRetry): T;
}

/**
 * Probot's clients with rate limits left to {@link rateLimitRetry} alone: Probot's throttling
 * handlers retry a primary limit at its reset however far off (an hour holds the review that long)
 * and drop secondary limits. Its pacing of writes stays.
 */
export function withRateLimitRetry<T extends OctokitClass<T>>(Octokit: T): T {
  const handedOver = Octokit.defaults((options) => ({
    ...options,
    throttle: {
      ...options.throttle,
      onRateLimit: () => false,
      onSecondaryRateLimit: () => false,
    },
  }));
  return handedOver.plugin(rateLimitRetry);
}
