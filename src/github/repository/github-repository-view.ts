import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract, type Header } from 'tar-stream';
import type { ContentReader, Revision } from '../../core/change-set.ts';
import { silentLogger, type Logger } from '../../core/logger.ts';
import { checkToolPath } from '../../core/repository/path-policy.ts';
import type {
  RepositoryView,
  SearchQuery,
  SearchResult,
  ViewFile,
  ViewStats,
} from '../../core/repository/repository-view.ts';
import { scanSearch } from '../../core/repository/scan-search.ts';
import {
  messageOf,
  requestSignal,
  type GitHubClient,
} from '../client/github-client.ts';

/** A snapshot above this many bytes (uncompressed) is abandoned for file-by-file reads. */
export const DEFAULT_SNAPSHOT_BYTES = 200 * 1024 * 1024;
/** Downloading and unpacking a repository may take longer than one API call. */
const SNAPSHOT_TIMEOUT_MS = 120_000;
/** Without a snapshot, a search reads at most this many files, one request each. */
const ON_DEMAND_SEARCH_FILES = 150;
/** File contents kept in memory instead of on disk, up to this many bytes in all. */
const MEMORY_BYTES = 32 * 1024 * 1024;

export interface GitHubRepositoryViewOptions {
  owner: string;
  repo: string;
  headSha: string;
  maxFileBytes: number;
  maxSnapshotBytes?: number;
  /** Of the snapshot, how many bytes of file contents are held in memory rather than on disk. */
  maxMemoryBytes?: number;
  /** File-by-file reads (contents API) for the base revision and for repositories over the cap. */
  contents: ContentReader;
  logger?: Logger;
  signal?: AbortSignal;
}

/** `bytes` is kept in memory while the snapshot is small, so searches need not read the disk. */
type Entry =
  | { kind: 'file'; size: number; bytes?: Buffer | undefined }
  | { kind: 'symlink' }
  | { kind: 'too-large'; size: number };

interface Snapshot {
  dir: string;
  entries: Map<string, Entry>;
}

class OverCap extends Error {}

/**
 * The repository at the pull request's head as one tarball (a single API request) unpacked into a
 * private temporary directory with a size cap; repositories over the cap are read file by file
 * instead. Nothing is fetched until a tool or a cross-check asks, and `close` removes the files.
 */
export function githubRepositoryView(
  octokit: GitHubClient,
  options: GitHubRepositoryViewOptions,
): RepositoryView {
  const logger = options.logger ?? silentLogger;
  const cap = options.maxSnapshotBytes ?? DEFAULT_SNAPSHOT_BYTES;
  let snapshot: Promise<Snapshot | undefined> | undefined;
  let closed = false;
  let dirToRemove: string | undefined;
  const stats: {
    requests: number;
    bytes: number;
    note?: string;
    mode: ViewStats['mode'];
  } = { requests: 0, bytes: 0, mode: 'snapshot' };
  const demanded = new Set<string>();

  function load(): Promise<Snapshot | undefined> {
    snapshot ??= download().catch((error: unknown) => {
      options.signal?.throwIfAborted();
      stats.mode = 'on-demand';
      stats.note =
        error instanceof OverCap
          ? `the repository is over the ${Math.round(cap / 1024 / 1024)} MB snapshot limit`
          : `the snapshot failed: ${messageOf(error)}`;
      logger.warn(
        { err: error },
        'repository snapshot not used; reading files one by one',
      );
      return undefined;
    });
    return snapshot;
  }

  async function download(): Promise<Snapshot> {
    const dir = await mkdtemp(join(tmpdir(), 'architect-repo-'));
    dirToRemove = dir;
    if (closed) throw new Error('the view is closed');
    stats.requests++;
    const response = await octokit.request(
      'GET /repos/{owner}/{repo}/tarball/{ref}',
      {
        owner: options.owner,
        repo: options.repo,
        ref: options.headSha,
        request: {
          signal: requestSignal(options.signal, SNAPSHOT_TIMEOUT_MS),
          parseSuccessResponseBody: false,
        },
      },
    );
    const declared = Number(response.headers['content-length'] ?? 0);
    if (declared > cap) throw new OverCap();
    const body = response.data as unknown;
    const source =
      body instanceof ReadableStream
        ? Readable.fromWeb(body as never)
        : Readable.from(Buffer.from(body as ArrayBuffer));
    const entries = await unpack(
      source,
      dir,
      cap,
      options.maxFileBytes,
      options.maxMemoryBytes ?? MEMORY_BYTES,
      (n) => (stats.bytes += n),
    );
    return { dir, entries };
  }

  async function onDemandRead(
    revision: Revision,
    path: string,
    signal?: AbortSignal,
  ): Promise<ViewFile> {
    const key = `${revision}:${path}`;
    if (!demanded.has(key)) {
      demanded.add(key);
      stats.requests++;
    }
    const text = await options.contents.read(revision, path, signal);
    if (text === undefined) return { kind: 'missing' };
    const bytes = Buffer.from(text, 'utf8');
    stats.bytes += bytes.length;
    return { kind: 'file', bytes };
  }

  async function listHead(signal?: AbortSignal): Promise<string[]> {
    const snap = await load();
    if (snap)
      return [...snap.entries]
        .filter(([, e]) => e.kind !== 'symlink')
        .map(([p]) => p)
        .sort();
    if (!options.contents.listHeadPaths) return [];
    if (!demanded.has('tree')) {
      demanded.add('tree');
      stats.requests++;
    }
    return (await options.contents.listHeadPaths(signal)).sort();
  }

  return {
    async listFiles(revision, signal) {
      // The base side is needed rarely (a tool reading a file as it was); it is never listed in full.
      return revision === 'head' ? listHead(signal) : [];
    },

    async readFile(revision, path, signal) {
      if (revision === 'base') return onDemandRead('base', path, signal);
      const snap = await load();
      if (!snap) return onDemandRead('head', path, signal);
      const entry = snap.entries.get(path);
      if (!entry) return { kind: 'missing' };
      if (entry.kind === 'symlink')
        return { kind: 'not-a-file', what: 'symlink' };
      if (entry.kind === 'too-large')
        return { kind: 'too-large', size: entry.size };
      return {
        kind: 'file',
        bytes: entry.bytes ?? (await readFile(join(snap.dir, 'files', path))),
      };
    },

    async search(
      query: SearchQuery,
      signal?: AbortSignal,
    ): Promise<SearchResult> {
      const snap = await load();
      const paths = await listHead(signal);
      if (snap) {
        return scanSearch(
          paths,
          async (p) => {
            const entry = snap.entries.get(p);
            return entry?.kind === 'file'
              ? (entry.bytes ?? readFile(join(snap.dir, 'files', p)))
              : undefined;
          },
          query,
          { signal },
        );
      }
      const result = await scanSearch(
        paths,
        async (p) => {
          const file = await onDemandRead('head', p, signal);
          return file.kind === 'file' ? file.bytes : undefined;
        },
        query,
        { maxFiles: ON_DEMAND_SEARCH_FILES, signal },
      );
      return result;
    },

    stats(): ViewStats {
      return { ...stats };
    },

    async close() {
      closed = true;
      const snap = await snapshot?.catch(() => undefined);
      for (const entry of snap?.entries.values() ?? [])
        if (entry.kind === 'file') delete entry.bytes;
      if (dirToRemove)
        await rm(dirToRemove, { recursive: true, force: true }).catch(
          (error: unknown) =>
            logger.warn(
              { err: error },
              'could not remove the repository snapshot',
            ),
        );
      dirToRemove = undefined;
    },
  };
}

/**
 * Unpacks a gzipped tarball under `dir/files`, dropping its top-level folder. Only regular files are
 * written; symlinks are recorded, never created, so nothing read later can point outside; names
 * that would climb out of the directory are skipped. Stops with OverCap past `cap` bytes.
 */
async function unpack(
  source: Readable,
  dir: string,
  cap: number,
  maxFileBytes: number,
  memoryBytes: number,
  count: (bytes: number) => void,
): Promise<Map<string, Entry>> {
  const entries = new Map<string, Entry>();
  const root = join(dir, 'files');
  let total = 0;
  let inMemory = 0;
  const made = new Set<string>();
  const tar = extract();
  tar.on('entry', (header: Header, stream, next) => {
    const name = header.name.split('/').slice(1).join('/');
    const check = name ? checkToolPath(name) : undefined;
    const drain = () => {
      stream.on('end', () => next());
      stream.resume();
    };
    if (!check?.ok) return drain();
    const path = check.path;
    if (entries.has(path)) return drain();
    if (header.type === 'symlink' || header.type === 'link') {
      entries.set(path, { kind: 'symlink' });
      return drain();
    }
    if (header.type !== 'file' && header.type !== 'contiguous-file')
      return drain();
    const size = header.size ?? 0;
    total += size;
    if (total > cap) {
      tar.destroy(new OverCap());
      return;
    }
    if (size > maxFileBytes) {
      entries.set(path, { kind: 'too-large', size });
      return drain();
    }
    // Small repositories stay in memory; the rest goes to the temporary directory, never both.
    if (inMemory + size <= memoryBytes) {
      inMemory += size;
      const parts: Buffer[] = [];
      stream.on('data', (chunk: unknown) => parts.push(chunk as Buffer));
      stream.on('end', () => {
        count(size);
        entries.set(path, { kind: 'file', size, bytes: Buffer.concat(parts) });
        next();
      });
      stream.on('error', (error: Error) => tar.destroy(error));
      return;
    }
    const target = join(root, path);
    const folder = dirname(target);
    const ready = made.has(folder)
      ? Promise.resolve()
      : mkdir(folder, { recursive: true, mode: 0o700 }).then(
          () => void made.add(folder),
        );
    ready
      .then(() =>
        pipeline(
          stream,
          createWriteStream(target, { flags: 'wx', mode: 0o600 }),
        ),
      )
      .then(() => {
        count(size);
        entries.set(path, { kind: 'file', size });
        next();
      })
      .catch((error: unknown) => tar.destroy(error as Error));
  });
  await pipeline(source, createGunzip(), limitBytes(cap * 2), tar);
  return entries;
}

/** Guards against a decompression bomb whose headers understate what it unpacks to. */
function limitBytes(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > max) return callback(new OverCap());
      callback(null, chunk);
    },
  });
}
