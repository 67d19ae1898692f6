import type { ContentReader } from '../core/change-set.ts';

export interface ProgressOptions {
  /** A terminal gets one line rewritten in place; logs and pipes get a new line each time. */
  tty: boolean;
  /** Nothing is shown before this much time has passed, so quick reviews stay quiet. Default 3 s. */
  delayMs?: number;
  /** Between updates. Default 3 s for logs, 1 s on a terminal. */
  intervalMs?: number;
}

export interface Progress {
  /** Wraps a content reader so every file read counts as progress. */
  counting(reader: ContentReader): ContentReader;
  /** Ends the progress output (clears the line on a terminal). */
  stop(): void;
}

/**
 * Progress on stderr for long reviews (a dropped column is looked up across the whole tree), so a
 * long run never looks hung. Stdout carries only the report.
 */
export function startProgress(
  stderr: { write(text: string): unknown },
  options: ProgressOptions,
): Progress {
  const started = performance.now();
  const delayMs = options.delayMs ?? 3_000;
  const intervalMs = options.intervalMs ?? (options.tty ? 1_000 : 3_000);
  let reads = 0;
  let shown = false;
  let interval: NodeJS.Timeout | undefined;

  const line = () =>
    `architect: still reviewing after ${Math.round((performance.now() - started) / 1000)}s (${reads.toLocaleString('en-US')} file${reads === 1 ? '' : 's'} read)`;
  const show = () => {
    shown = true;
    stderr.write(options.tty ? `\r\x1b[2K${line()}` : `${line()}\n`);
  };
  const delay = setTimeout(() => {
    show();
    interval = setInterval(show, intervalMs);
    interval.unref();
  }, delayMs);
  delay.unref();

  return {
    counting(reader) {
      return {
        read: (revision, path, signal) => {
          reads += 1;
          return reader.read(revision, path, signal);
        },
        ...(reader.listHeadPaths
          ? {
              listHeadPaths: (signal?: AbortSignal) =>
                reader.listHeadPaths!(signal),
            }
          : {}),
      };
    },
    stop() {
      clearTimeout(delay);
      clearInterval(interval);
      if (shown && options.tty) stderr.write('\r\x1b[2K');
    },
  };
}
