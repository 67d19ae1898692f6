/**
 * Server entry point (`npm start`): validates the environment, wires the real analyzers and secret
 * redactor (in a pool of worker processes) and the model reviewer into the GitHub App, starts it, and
 * shuts down gracefully.
 */
import { createReviewer } from './agent/create-reviewer.ts';
import { createAnalyzerPool } from './analyzers/pool/analyzer-pool.ts';
import { createLogger } from './server/create-logger.ts';
import { loadServerEnv } from './server/env.ts';
import { startServer } from './server/start-server.ts';

const checked = loadServerEnv(process.env);
if (!checked.ok) {
  console.error(
    [
      'Backend Architect cannot start:',
      ...checked.problems.map((problem) => `  - ${problem}`),
      'Set APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH) and WEBHOOK_SECRET from the GitHub App settings.',
    ].join('\n'),
  );
  process.exit(1);
}
const env = checked.env;
const log = await createLogger({ level: env.logLevel, format: env.logFormat });
if (!env.modelConfigured)
  log.warn(
    'ANTHROPIC_API_KEY is not set: reviews run the deterministic analyzers only and report the AI review as not configured',
  );

// Analysis and secret masking run in worker processes, so the event loop stays free for webhooks.
const pool = createAnalyzerPool({ logger: log });
const running = await startServer(
  env,
  {
    analyzers: pool.analyzers,
    redactor: pool.redactor,
    createReviewer: (options) =>
      createReviewer({ env: process.env, ...options }),
  },
  log,
);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'received stop signal');
    running.shutdown().then(
      () => pool.close().finally(() => process.exit(0)),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
