import { execFile } from 'node:child_process';

/** A git failure worth showing to people as is: bad repository, unknown ref, timeout. */
export class GitError extends Error {
  override name = 'GitError';
  /** What went wrong, for callers that treat some failures as answers (e.g. a file over budget). */
  readonly kind: 'failed' | 'timeout' | 'output-too-large' | 'not-installed';

  constructor(message: string, kind: GitError['kind'] = 'failed') {
    super(message);
    this.kind = kind;
  }
}

export interface GitRunOptions {
  cwd: string;
  signal?: AbortSignal;
  /** Per call; git on a local repository answers in milliseconds, so this only catches hangs. */
  timeoutMs?: number;
  /** Largest stdout accepted, in bytes. */
  maxBuffer?: number;
  /** Extra environment, e.g. author identity for commits. */
  env?: NodeJS.ProcessEnv;
}

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
}

export const DEFAULT_GIT_TIMEOUT_MS = 60_000;
export const DEFAULT_GIT_MAX_BUFFER = 256 * 1024 * 1024;

/**
 * Runs git without a shell. User configuration that would change the output's shape (colour,
 * pagers, quoting of paths, prompts) is neutralised so parsing stays predictable.
 * Resolves for any exit code; spawn failures, timeouts and oversized output reject.
 */
export function runGitRaw(
  args: string[],
  options: GitRunOptions,
): Promise<GitResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
  const maxBuffer = options.maxBuffer ?? DEFAULT_GIT_MAX_BUFFER;
  const fullArgs = [
    '-c',
    'core.quotePath=false',
    '-c',
    'color.ui=false',
    '-c',
    'diff.suppressBlankEmpty=false',
    '--no-pager',
    ...args,
  ];
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      fullArgs,
      {
        cwd: options.cwd,
        encoding: 'buffer',
        maxBuffer,
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        windowsHide: true,
        signal: options.signal,
        env: {
          ...process.env,
          LC_ALL: 'C',
          GIT_TERMINAL_PROMPT: '0',
          GIT_PAGER: 'cat',
          GIT_OPTIONAL_LOCKS: '0',
          ...options.env,
        },
      },
      (error, stdout, stderr) => {
        const stderrText = stderr.toString('utf8').trim();
        if (!error) return resolve({ stdout, stderr: stderrText, exitCode: 0 });
        const failure = error as NodeJS.ErrnoException & {
          code?: string | number;
          killed?: boolean;
          signal?: string;
        };
        if (options.signal?.aborted)
          return reject(options.signal.reason ?? error);
        if (failure.code === 'ENOENT')
          return reject(
            new GitError(
              'git is not installed or not on PATH',
              'not-installed',
            ),
          );
        if (failure.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          return reject(
            new GitError(
              `git ${args[0]} produced more than ${sizeOf(maxBuffer)} of output`,
              'output-too-large',
            ),
          );
        }
        if (failure.killed || failure.signal) {
          return reject(
            new GitError(
              `git ${args[0]} timed out after ${Math.round(timeoutMs / 1000)}s`,
              'timeout',
            ),
          );
        }
        if (typeof failure.code === 'number')
          return resolve({
            stdout,
            stderr: stderrText,
            exitCode: failure.code,
          });
        reject(new GitError(`git ${args[0]} failed: ${failure.message}`));
      },
    );
  });
}

/** Runs git and returns stdout as text; a non-zero exit becomes a GitError carrying git's own message. */
export async function runGit(
  args: string[],
  options: GitRunOptions,
): Promise<string> {
  const result = await runGitRaw(args, options);
  if (result.exitCode !== 0) {
    throw new GitError(
      `git ${args[0]} failed (exit ${result.exitCode})${result.stderr ? `: ${firstLine(result.stderr)}` : ''}`,
    );
  }
  return result.stdout.toString('utf8');
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((line) => line.trim().length > 0)
      ?.trim() ?? text
  );
}

function sizeOf(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${Math.round(bytes / 1024 / 1024)} MiB`
    : `${bytes} bytes`;
}
