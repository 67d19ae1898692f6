import { resolve } from 'node:path';
import { z } from 'zod';
import { resolvePrivateKey } from './private-key.ts';

/** Probot's default secret when none is set; accepting it would accept forged webhooks. */
const PROBOT_FALLBACK_SECRET = 'development';

const blankAsMissing = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;
const optionalString = z.preprocess(blankAsMissing, z.string().optional());
const intWithDefault = (fallback: number, min: number, max: number) =>
  z.preprocess(
    blankAsMissing,
    z.coerce.number().int().min(min).max(max).default(fallback),
  );

const EnvSchema = z.object({
  NODE_ENV: optionalString,
  APP_ID: z.preprocess(
    blankAsMissing,
    z
      .string({ error: 'APP_ID is not set (the numeric GitHub App ID)' })
      .regex(/^\d+$/, 'APP_ID must be the numeric GitHub App ID'),
  ),
  PRIVATE_KEY: optionalString,
  PRIVATE_KEY_PATH: optionalString,
  WEBHOOK_SECRET: z.preprocess(
    blankAsMissing,
    z
      .string({
        error:
          'WEBHOOK_SECRET is not set; it must match the webhook secret of the GitHub App',
      })
      .refine(
        (secret) => secret !== PROBOT_FALLBACK_SECRET,
        'WEBHOOK_SECRET must not be "development"; use the secret configured for the GitHub App',
      ),
  ),
  WEBHOOK_PATH: z.preprocess(
    blankAsMissing,
    z
      .string()
      .startsWith('/', 'WEBHOOK_PATH must start with "/"')
      .default('/api/github/webhooks'),
  ),
  PORT: intWithDefault(3000, 0, 65_535),
  HOST: optionalString,
  LOG_LEVEL: z.preprocess(
    blankAsMissing,
    z
      .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
      .default('info'),
  ),
  LOG_FORMAT: z.preprocess(
    blankAsMissing,
    z.enum(['json', 'pretty']).optional(),
  ),
  GHE_HOST: optionalString,
  GHE_PROTOCOL: z.preprocess(
    blankAsMissing,
    z.enum(['http', 'https']).default('https'),
  ),
  REDIS_URL: optionalString,
  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_BASE_URL: z.preprocess(
    blankAsMissing,
    z.url({ error: 'ANTHROPIC_BASE_URL must be a URL' }).optional(),
  ),
  ARCHITECT_CONCURRENCY: intWithDefault(2, 1, 64),
  ARCHITECT_JOB_TIMEOUT_MS: intWithDefault(10 * 60_000, 1000, 6 * 60 * 60_000),
  ARCHITECT_ROLE: z.preprocess(
    blankAsMissing,
    z
      .enum(['web', 'worker', 'all'], {
        error: 'ARCHITECT_ROLE must be web, worker or all',
      })
      .default('all'),
  ),
  ARCHITECT_DATA_DIR: z.preprocess(blankAsMissing, z.string().default('data')),
  METRICS_PORT: z.preprocess(
    blankAsMissing,
    z.coerce.number().int().min(0).max(65_535).optional(),
  ),
  ARCHITECT_SWEEP_INTERVAL_MS: intWithDefault(60_000, 100, 24 * 60 * 60_000),
  ARCHITECT_STALLED_MS: intWithDefault(30_000, 500, 10 * 60_000),
  ARCHITECT_JOB_ATTEMPTS: intWithDefault(3, 1, 20),
  ARCHITECT_RETRY_DELAY_MS: intWithDefault(5000, 10, 10 * 60_000),
  ARCHITECT_BUDGET_DAILY_USD: z.preprocess(
    blankAsMissing,
    z.coerce.number().positive().optional(),
  ),
  ARCHITECT_BUDGET_MONTHLY_USD: z.preprocess(
    blankAsMissing,
    z.coerce.number().positive().optional(),
  ),
  ARCHITECT_BUDGET_DAILY_TOKENS: z.preprocess(
    blankAsMissing,
    z.coerce.number().int().positive().optional(),
  ),
  ARCHITECT_BUDGET_MONTHLY_TOKENS: z.preprocess(
    blankAsMissing,
    z.coerce.number().int().positive().optional(),
  ),
});

export type LogLevel =
  | 'trace'
  | 'debug'
  | 'info'
  | 'warn'
  | 'error'
  | 'fatal'
  | 'silent';

export interface ServerEnv {
  production: boolean;
  appId: number;
  privateKey: string;
  webhookSecret: string;
  webhookPath: string;
  port: number;
  host?: string;
  logLevel: LogLevel;
  logFormat?: 'json' | 'pretty';
  /** GitHub's REST base URL; set for GitHub Enterprise Server (and local stand-ins). */
  baseUrl?: string;
  redisUrl?: string;
  /** False without ANTHROPIC_API_KEY: reviews then run the deterministic analyzers only and say so. */
  modelConfigured: boolean;
  concurrency: number;
  jobTimeoutMs: number;
  /** web: verify, enqueue, answer; worker: run reviews; all: both. Without Redis every process is `all`. */
  role: 'web' | 'worker' | 'all';
  /** Where the embedded runtime keeps its SQLite journal (relative to the working directory). */
  dataDir: string;
  /** Serve /metrics on this port too (besides the web port). */
  metricsPort?: number;
  sweepIntervalMs: number;
  /** BullMQ lock duration and stalled-check interval: how soon a dead worker's job is retried elsewhere. */
  stalledMs: number;
  jobAttempts: number;
  retryDelayMs: number;
  /** Per-installation model spend limits. */
  budget: {
    daily_usd?: number;
    monthly_usd?: number;
    daily_tokens?: number;
    monthly_tokens?: number;
  };
}

export type EnvCheck =
  | { ok: true; env: ServerEnv }
  | { ok: false; problems: string[] };

/**
 * Validates the server's environment. Unlike `probot run`, it never falls back to setup mode or to
 * the `development` webhook secret: without real credentials the server refuses to start.
 */
export function loadServerEnv(
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
): EnvCheck {
  const parsed = EnvSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => issue.message);
  let privateKey: string | undefined;
  try {
    privateKey = resolvePrivateKey(
      {
        PRIVATE_KEY: blankAsMissing(env.PRIVATE_KEY) as string | undefined,
        PRIVATE_KEY_PATH: blankAsMissing(env.PRIVATE_KEY_PATH) as
          | string
          | undefined,
      },
      cwd,
    );
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  if (!parsed.success || privateKey === undefined)
    return { ok: false, problems };
  const e = parsed.data;
  return {
    ok: true,
    env: {
      production: e.NODE_ENV === 'production',
      appId: Number(e.APP_ID),
      privateKey,
      webhookSecret: e.WEBHOOK_SECRET,
      webhookPath: e.WEBHOOK_PATH,
      port: e.PORT,
      host: e.HOST,
      logLevel: e.LOG_LEVEL,
      logFormat: e.LOG_FORMAT,
      baseUrl: e.GHE_HOST
        ? `${e.GHE_PROTOCOL}://${e.GHE_HOST}/api/v3`
        : undefined,
      redisUrl: e.REDIS_URL,
      modelConfigured: e.ANTHROPIC_API_KEY !== undefined,
      concurrency: e.ARCHITECT_CONCURRENCY,
      jobTimeoutMs: e.ARCHITECT_JOB_TIMEOUT_MS,
      role: e.ARCHITECT_ROLE,
      dataDir: resolve(cwd, e.ARCHITECT_DATA_DIR),
      ...(e.METRICS_PORT !== undefined ? { metricsPort: e.METRICS_PORT } : {}),
      sweepIntervalMs: e.ARCHITECT_SWEEP_INTERVAL_MS,
      stalledMs: e.ARCHITECT_STALLED_MS,
      jobAttempts: e.ARCHITECT_JOB_ATTEMPTS,
      retryDelayMs: e.ARCHITECT_RETRY_DELAY_MS,
      budget: {
        ...(e.ARCHITECT_BUDGET_DAILY_USD !== undefined
          ? { daily_usd: e.ARCHITECT_BUDGET_DAILY_USD }
          : {}),
        ...(e.ARCHITECT_BUDGET_MONTHLY_USD !== undefined
          ? { monthly_usd: e.ARCHITECT_BUDGET_MONTHLY_USD }
          : {}),
        ...(e.ARCHITECT_BUDGET_DAILY_TOKENS !== undefined
          ? { daily_tokens: e.ARCHITECT_BUDGET_DAILY_TOKENS }
          : {}),
        ...(e.ARCHITECT_BUDGET_MONTHLY_TOKENS !== undefined
          ? { monthly_tokens: e.ARCHITECT_BUDGET_MONTHLY_TOKENS }
          : {}),
      },
    },
  };
}
