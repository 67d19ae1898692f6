import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Revision } from '../core/change-set.ts';
import type {
  RepositoryView,
  SearchMatch,
  SearchQuery,
  SearchResult,
  ViewFile,
  ViewStats,
} from '../core/repository/repository-view.ts';
import { scanSearch } from '../core/repository/scan-search.ts';
import { GitError, runGit, runGitRaw } from './git.ts';

export interface GitRepositoryViewOptions {
  cwd: string;
  baseSha?: string;
  headSha: string;
  maxFileBytes: number;
  timeoutMs?: number;
}

interface TreeEntry {
  mode: string;
  type: string;
  oid: string;
  size: number | undefined;
}

const GIT_ENV = {
  LC_ALL: 'C',
  GIT_TERMINAL_PROMPT: '0',
  GIT_OPTIONAL_LOCKS: '0',
};

/**
 * The repository at two commits, read from the object database (never the working tree): trees
 * from `git ls-tree`, blobs through one long-lived `git cat-file --batch`, searches by `git grep`.
 */
export function gitRepositoryView(
  options: GitRepositoryViewOptions,
): RepositoryView {
  const trees = new Map<string, Promise<Map<string, TreeEntry>>>();
  const batch = new CatFileBatch(options.cwd);
  let bytes = 0;
  let pcre: boolean | undefined;
  const timeoutMs = options.timeoutMs ?? 30_000;

  const shaOf = (revision: Revision) =>
    revision === 'base' ? options.baseSha : options.headSha;

  function tree(
    sha: string,
    signal?: AbortSignal,
  ): Promise<Map<string, TreeEntry>> {
    let pending = trees.get(sha);
    if (!pending) {
      pending = runGit(['ls-tree', '-r', '-l', '-z', '--full-tree', sha], {
        cwd: options.cwd,
        signal,
        timeoutMs,
      }).then(parseTree);
      pending.catch(() => trees.delete(sha));
      trees.set(sha, pending);
    }
    return pending;
  }

  async function readEntry(
    entry: TreeEntry,
    signal?: AbortSignal,
  ): Promise<ViewFile> {
    if (entry.mode === '120000') return { kind: 'not-a-file', what: 'symlink' };
    if (entry.type === 'commit')
      return { kind: 'not-a-file', what: 'submodule' };
    if (entry.type !== 'blob') return { kind: 'not-a-file', what: 'directory' };
    if (entry.size !== undefined && entry.size > options.maxFileBytes)
      return { kind: 'too-large', size: entry.size };
    const blob = await batch.read(entry.oid, timeoutMs, signal);
    if (!blob) return { kind: 'missing' };
    bytes += blob.length;
    return { kind: 'file', bytes: blob };
  }

  return {
    async listFiles(revision, signal) {
      const sha = shaOf(revision);
      if (!sha) return [];
      const entries = await tree(sha, signal);
      return [...entries]
        .filter(([, e]) => e.type === 'blob' && e.mode !== '120000')
        .map(([path]) => path)
        .sort();
    },

    async readFile(revision, path, signal) {
      const sha = shaOf(revision);
      if (!sha) return { kind: 'missing' };
      const entry = (await tree(sha, signal)).get(path);
      if (!entry) {
        // A path inside a symlinked directory is not in the tree at all; nothing is followed.
        return { kind: 'missing' };
      }
      return readEntry(entry, signal);
    },

    async search(query, signal) {
      if (query.regex && pcre === false) return scanWithBatch(query, signal);
      const result = await gitGrep(
        options.cwd,
        options.headSha,
        query,
        timeoutMs,
        signal,
      );
      if (result === 'no-pcre') {
        pcre = false;
        return scanWithBatch(query, signal);
      }
      if (query.regex) pcre = true;
      return result;
    },

    stats(): ViewStats {
      return { mode: 'git', requests: 0, bytes };
    },

    async close() {
      batch.close();
    },
  };

  async function scanWithBatch(
    query: SearchQuery,
    signal?: AbortSignal,
  ): Promise<SearchResult> {
    const entries = await tree(options.headSha, signal);
    const paths = [...entries.keys()].sort();
    return scanSearch(
      paths,
      async (path) => {
        const file = await readEntry(entries.get(path)!, signal);
        return file.kind === 'file' ? file.bytes : undefined;
      },
      query,
      { maxFiles: 5000, signal },
    );
  }
}

function parseTree(output: string): Map<string, TreeEntry> {
  const entries = new Map<string, TreeEntry>();
  for (const record of output.split('\0')) {
    if (!record) continue;
    // "<mode> SP <type> SP <object> SP+ <size> TAB <path>"
    const tab = record.indexOf('\t');
    const [mode, type, oid, size] = record.slice(0, tab).split(/ +/);
    entries.set(record.slice(tab + 1), {
      mode: mode!,
      type: type!,
      oid: oid!,
      size: size === '-' || size === undefined ? undefined : Number(size),
    });
  }
  return entries;
}

/** `git grep` over the head tree; 'no-pcre' when this git was built without Perl regexes. */
async function gitGrep(
  cwd: string,
  sha: string,
  query: SearchQuery,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<SearchResult | 'no-pcre'> {
  const args = [
    'grep',
    '-n',
    '-I',
    '-z',
    '--full-name',
    '--no-color',
    query.regex ? '-P' : '-F',
    ...(query.caseSensitive === false ? ['-i'] : []),
    '-e',
    query.pattern,
    sha,
    '--',
  ];
  if (query.pathGlob) args.push(`:(glob)${query.pathGlob}`);
  const result = await runGitRaw(args, {
    cwd,
    signal,
    timeoutMs,
    maxBuffer: 8 * 1024 * 1024,
  }).catch((error: unknown) => {
    if (error instanceof GitError && error.kind === 'output-too-large')
      return 'too-large' as const;
    throw error;
  });
  if (result === 'too-large') return { matches: [], truncated: true };
  if (result.exitCode === 1) return { matches: [], truncated: false };
  if (result.exitCode !== 0) {
    if (/perl|pcre/i.test(result.stderr)) return 'no-pcre';
    throw new GitError(
      `git grep failed: ${result.stderr.split('\n')[0] ?? `exit ${result.exitCode}`}`,
    );
  }
  const matches: SearchMatch[] = [];
  const prefix = `${sha}:`;
  let truncated = false;
  for (const line of result.stdout.toString('utf8').split('\n')) {
    if (!line) continue;
    const [where, number, ...rest] = line.split('\0');
    if (!where || !number) continue;
    if (matches.length >= query.maxMatches) {
      truncated = true;
      break;
    }
    matches.push({
      path: where.startsWith(prefix) ? where.slice(prefix.length) : where,
      line: Number(number),
      text: rest.join('\0'),
    });
  }
  return { matches, truncated };
}

interface PendingRead {
  oid: string;
  resolve(bytes: Buffer | undefined): void;
  reject(error: Error): void;
}

/**
 * One `git cat-file --batch` process answering reads in order: spawning git per blob costs
 * milliseconds each, which adds up over the hundreds of files a review can touch.
 */
class CatFileBatch {
  private child: ChildProcessWithoutNullStreams | undefined;
  private queue: PendingRead[] = [];
  private buffer: Buffer = Buffer.alloc(0);

  private readonly cwd: string;

  constructor(cwd: string) {
    this.cwd = cwd;
  }

  read(
    oid: string,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Buffer | undefined> {
    signal?.throwIfAborted();
    const child = this.start();
    return new Promise<Buffer | undefined>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          this.fail(
            new GitError(
              `git cat-file timed out after ${Math.round(timeoutMs / 1000)}s`,
              'timeout',
            ),
          ),
        timeoutMs,
      );
      const done =
        <T>(fn: (value: T) => void) =>
        (value: T) => {
          clearTimeout(timer);
          fn(value);
        };
      this.queue.push({ oid, resolve: done(resolve), reject: done(reject) });
      child.stdin.write(`${oid}\n`);
    });
  }

  close(): void {
    this.child?.stdin.end();
    this.child?.kill();
    this.child = undefined;
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn('git', ['cat-file', '--batch'], {
      cwd: this.cwd,
      env: { ...process.env, ...GIT_ENV },
      windowsHide: true,
    });
    child.stdout.on('data', (data: Buffer) => {
      this.buffer =
        this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
      this.drain();
    });
    child.on('error', (error) =>
      this.fail(new GitError(`git cat-file failed: ${error.message}`)),
    );
    child.on('close', () => {
      if (this.child === child) this.child = undefined;
      this.fail(new GitError('git cat-file exited'));
    });
    child.stdin.on('error', () => undefined);
    this.child = child;
    return child;
  }

  private drain(): void {
    while (this.queue.length > 0) {
      const newline = this.buffer.indexOf(0x0a);
      if (newline < 0) return;
      const header = this.buffer.subarray(0, newline).toString('utf8');
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.buffer = this.buffer.subarray(newline + 1);
        this.queue.shift()!.resolve(undefined);
        continue;
      }
      const size = Number(header.split(' ')[2]);
      if (this.buffer.length < newline + 1 + size + 1) return;
      const content = Buffer.from(
        this.buffer.subarray(newline + 1, newline + 1 + size),
      );
      this.buffer = this.buffer.subarray(newline + 1 + size + 1);
      this.queue.shift()!.resolve(content);
    }
  }

  private fail(error: Error): void {
    const pending = this.queue;
    this.queue = [];
    this.buffer = Buffer.alloc(0);
    if (pending.length > 0) {
      this.child?.kill();
      this.child = undefined;
    }
    for (const read of pending) read.reject(error);
  }
}
