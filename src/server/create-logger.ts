import { Probot, type Logger } from 'probot';
import type { LogLevel } from './env.ts';

/**
 * Probot's own pino logger (pretty or JSON, honouring LOG_LEVEL). Probot builds it only inside an
 * instance, so a token-only instance, which makes no requests, is created for it.
 */
export async function createLogger(options: {
  level: LogLevel;
  format?: 'json' | 'pretty';
}): Promise<Logger> {
  const probot = new Probot({
    githubToken: 'logger-only',
    logFormat: options.format ?? 'pretty',
    logLevel: 'info',
  });
  await probot.ready();
  const log = probot.log;
  log.level = options.level;
  return log;
}
