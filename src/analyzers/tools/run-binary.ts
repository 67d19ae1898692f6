import { spawn } from 'node:child_process';

/** How to run one of the specialist binaries the analyzers wrap (squawk, buf). */
export interface BinaryRun {
  /** The tool's name, for messages: "squawk timed out after 30s". */
  name: string;
  binary: string;
  args: string[];
  cwd: string;
  /** The environment; absent: the server's own. */
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Output beyond this many bytes stops the tool (a runaway or hostile input). */
  maxOutputBytes: number;
  signal?: AbortSignal | undefined;
  /** Makes the analyzer's own error type from a message. */
  error: (message: string) => Error;
}

export interface BinaryResult {
  code: number | null;
  /** The signal that ended the process, when no exit code did. */
  killedBy: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a binary to completion with a timeout, an output cap and the caller's abort signal. On any of
 * them the whole process group is killed and the promise settles at once: a killed process's
 * children may keep the pipes open long after it is gone.
 */
export function runBinary(run: BinaryRun): Promise<BinaryResult> {
  const { signal, timeoutMs } = run;
  signal?.throwIfAborted();
  return new Promise((resolve, reject) => {
    // Its own process group, so a kill also reaches anything it started.
    const group = process.platform !== 'win32';
    const child = spawn(run.binary, run.args, {
      cwd: run.cwd,
      ...(run.env ? { env: run.env } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      detached: group,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let settled = false;
    const finish = (): void => {
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const stop = (error: Error): void => {
      if (settled) return;
      finish();
      try {
        if (group && child.pid !== undefined)
          process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
      child.stdout.destroy();
      child.stderr.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () =>
        stop(
          run.error(
            `${run.name} timed out after ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)}s` : `${timeoutMs}ms`}`,
          ),
        ),
      timeoutMs,
    );
    const onAbort = (): void =>
      stop(
        signal!.reason instanceof Error ? signal!.reason : new Error('aborted'),
      );
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > run.maxOutputBytes)
        stop(
          run.error(
            `${run.name} printed more than ${Math.round(run.maxOutputBytes / 1024 / 1024)} MB`,
          ),
        );
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < 64) err.push(chunk);
    });
    child.on('error', (error) =>
      stop(run.error(`could not start ${run.name}: ${error.message}`)),
    );
    child.on('close', (code, killedBy) => {
      if (settled) return;
      finish();
      resolve({
        code,
        killedBy,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8').trim(),
      });
    });
  });
}
