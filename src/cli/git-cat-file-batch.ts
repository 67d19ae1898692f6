import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { DEFAULT_GIT_TIMEOUT_MS, GitError } from './git.ts';

/** What one request to `git cat-file --batch` gave. */
export type BatchObject =
  | { kind: 'blob'; data: Buffer }
  /** No such object or path, or a name git cannot resolve to one (ambiguous, a submodule's commit). */
  | { kind: 'missing' }
  /** A tree, commit or tag where a blob was asked for. */
  | { kind: 'not-a-blob'; type: string }
  /** Over the reader's byte budget: the content was skipped, never buffered. */
  | { kind: 'too-large'; size: number };

export interface CatFileBatchOptions {
  /** A working tree or a git directory (bare repositories work too). */
  cwd: string;
  /** Largest blob returned; larger ones come back as `too-large`. */
  maxBytes: number;
  /** How long one request may wait for its answer before git is stopped and every pending read fails. */
  timeoutMs?: number;
  /** Git is stopped after this long without requests, and started again by the next one. */
  idleMs?: number;
}

export interface CatFileBatch {
  /** Reads `<rev>:<path>` or an object id. Names with a newline cannot go through the batch protocol. */
  read(name: string, signal?: AbortSignal): Promise<BatchObject>;
  /** Stops git; later reads start it again. */
  close(): void;
}

interface Pending {
  name: string;
  resolve(object: BatchObject): void;
  reject(error: unknown): void;
  /** Set when the caller gave up (abort): the answer is still read off the stream, then dropped. */
  abandoned: boolean;
}

type GitProcess = ChildProcessByStdio<Writable, Readable, Readable>;

/**
 * One long-lived `git cat-file --batch` answering many reads, instead of one git process per file:
 * spawning git per file dominated reviews that read the whole tree (a dropped column is looked up
 * in every file). Requests are pipelined; git answers them in order.
 *
 * The process does not keep Node alive while idle, so a CLI run ends when its work does.
 */
export function catFileBatch(options: CatFileBatchOptions): CatFileBatch {
  const timeoutMs = options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
  const idleMs = options.idleMs ?? 2_000;
  let git: GitProcess | undefined;
  let queue: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  let idleTimer: NodeJS.Timeout | undefined;

  const fail = (error: unknown) => {
    const failed = queue;
    queue = [];
    stop();
    for (const p of failed) if (!p.abandoned) p.reject(error);
  };

  const stop = () => {
    clearTimeout(timer);
    clearTimeout(idleTimer);
    if (!git) return;
    const child = git;
    git = undefined;
    child.stdin.end();
    child.kill('SIGKILL');
  };

  const armTimer = () => {
    clearTimeout(timer);
    if (queue.length === 0) return;
    timer = setTimeout(
      () =>
        fail(
          new GitError(
            `git cat-file timed out after ${Math.round(timeoutMs / 1000)}s`,
            'timeout',
          ),
        ),
      timeoutMs,
    );
  };

  const setReferenced = (referenced: boolean) => {
    if (!git) return;
    for (const stream of [
      git.stdin,
      git.stdout,
      git.stderr,
    ] as unknown as Array<{ ref?(): void; unref?(): void }>) {
      if (referenced) stream.ref?.();
      else stream.unref?.();
    }
    if (referenced) git.ref();
    else git.unref();
  };

  const onAnswer = (object: BatchObject) => {
    const done = queue.shift();
    if (done && !done.abandoned) done.resolve(object);
    armTimer();
    if (queue.length === 0) {
      setReferenced(false);
      clearTimeout(idleTimer);
      idleTimer = setTimeout(stop, idleMs);
      idleTimer.unref();
    }
  };

  const start = (): GitProcess => {
    const child = spawn(
      'git',
      ['-c', 'core.quotePath=false', 'cat-file', '--batch'],
      {
        cwd: options.cwd,
        stdio: ['pipe', 'pipe', 'pipe'],
        windowsHide: true,
        env: {
          ...process.env,
          LC_ALL: 'C',
          GIT_TERMINAL_PROMPT: '0',
          GIT_OPTIONAL_LOCKS: '0',
        },
      },
    );
    const own = new ResponseParser(options.maxBytes, onAnswer);
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on(
      'data',
      (chunk: string) => (stderr = (stderr + chunk).slice(-2_000)),
    );
    child.stdout.on('data', (chunk: Buffer) => {
      if (git !== child) return;
      try {
        own.push(chunk);
      } catch (error) {
        fail(error);
      }
    });
    child.stdin.on('error', () => undefined); // A dead git is reported by 'exit' or 'error' below.
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (git !== child) return;
      fail(
        error.code === 'ENOENT'
          ? new GitError('git is not installed or not on PATH', 'not-installed')
          : new GitError(`git cat-file failed: ${error.message}`),
      );
    });
    child.on('exit', (code, signal) => {
      if (git !== child) return;
      fail(
        new GitError(
          `git cat-file --batch exited (${signal ?? `exit ${code}`})${stderr.trim() ? `: ${stderr.trim().split('\n')[0]}` : ''}`,
        ),
      );
    });
    git = child;
    return child;
  };

  return {
    read(name, signal) {
      if (name.includes('\n'))
        return Promise.reject(
          new GitError('object names with a newline cannot be read in batch'),
        );
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<BatchObject>((resolve, reject) => {
        const pending: Pending = { name, resolve, reject, abandoned: false };
        const child = git ?? start();
        clearTimeout(idleTimer);
        if (queue.length === 0) setReferenced(true);
        queue.push(pending);
        if (queue.length === 1) armTimer();
        child.stdin.write(`${name}\n`);
        signal?.addEventListener(
          'abort',
          () => {
            pending.abandoned = true;
            reject(signal.reason);
          },
          { once: true },
        );
      });
    },
    close() {
      const closing = queue;
      queue = [];
      stop();
      for (const p of closing)
        if (!p.abandoned) p.reject(new GitError('git cat-file was closed'));
    },
  };
}

/**
 * Parses the batch output: per request, `<oid> <type> <size>\n<content>\n`, or `<name> missing\n`
 * (also `ambiguous`). Content over budget is counted off the stream without being kept.
 */
class ResponseParser {
  private buffer: Buffer = Buffer.alloc(0);
  /** The object being read: how many content bytes (plus the trailing newline) are still due. */
  private body:
    | {
        type: string;
        size: number;
        remaining: number;
        chunks: Buffer[] | undefined;
      }
    | undefined;

  private readonly maxBytes: number;
  private readonly onAnswer: (object: BatchObject) => void;

  constructor(maxBytes: number, onAnswer: (object: BatchObject) => void) {
    this.maxBytes = maxBytes;
    this.onAnswer = onAnswer;
  }

  push(chunk: Buffer): void {
    this.buffer =
      this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.body) {
        if (!this.consumeBody()) return;
        continue;
      }
      const newline = this.buffer.indexOf(0x0a);
      if (newline < 0) return;
      const header = this.buffer.subarray(0, newline).toString('utf8');
      this.buffer = this.buffer.subarray(newline + 1);
      this.onHeader(header);
    }
  }

  private onHeader(header: string): void {
    const match = /^[0-9a-f]{40,64} (\S+) (\d+)$/.exec(header);
    if (!match) {
      if (/ (missing|ambiguous)$/.test(header) || header.endsWith(' missing'))
        return this.onAnswer({ kind: 'missing' });
      throw new GitError(
        `unexpected git cat-file output: ${header.slice(0, 200)}`,
      );
    }
    const size = Number(match[2]);
    const keep = match[1] === 'blob' && size <= this.maxBytes;
    this.body = {
      type: match[1]!,
      size,
      remaining: size + 1,
      chunks: keep ? [] : undefined,
    };
  }

  /** True when the object is complete. */
  private consumeBody(): boolean {
    const body = this.body!;
    const take = Math.min(body.remaining, this.buffer.length);
    if (body.chunks && take > 0)
      body.chunks.push(this.buffer.subarray(0, take));
    body.remaining -= take;
    this.buffer = this.buffer.subarray(take);
    if (body.remaining > 0) return false;
    this.body = undefined;
    if (body.type !== 'blob')
      this.onAnswer({ kind: 'not-a-blob', type: body.type });
    else if (!body.chunks)
      this.onAnswer({ kind: 'too-large', size: body.size });
    // The last byte kept is the newline that ends every object.
    else
      this.onAnswer({
        kind: 'blob',
        data: Buffer.concat(body.chunks).subarray(0, body.size),
      });
    return true;
  }
}
