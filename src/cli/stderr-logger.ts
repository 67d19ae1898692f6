import type { Logger } from '../core/logger.ts';

type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * A logger for terminals: one readable line per entry on stderr, so stdout stays the report alone.
 * Debug and info appear only when verbose.
 */
export function stderrLogger(
  stderr: { write(text: string): unknown },
  verbose: boolean,
): Logger {
  const log = (level: Level) => (obj: object | string, msg?: string) => {
    if (!verbose && (level === 'debug' || level === 'info')) return;
    stderr.write(`architect [${level}] ${describe(obj, msg)}\n`);
  };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  };
}

function describe(obj: object | string, msg?: string): string {
  if (typeof obj === 'string') return obj;
  const parts: string[] = [];
  let error: string | undefined;
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'err' || key === 'error')
      error = value instanceof Error ? value.message : String(value);
    else if (value !== undefined)
      parts.push(
        `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
      );
  }
  return [
    msg ?? '',
    parts.length > 0 ? `(${parts.join(' ')})` : '',
    error ? `: ${error}` : '',
  ]
    .filter((p) => p)
    .join(' ');
}
