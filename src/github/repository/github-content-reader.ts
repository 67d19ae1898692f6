import { z } from 'zod';
import type { ContentReader, Revision } from '../../core/change-set.ts';
import { silentLogger, type Logger } from '../../core/logger.ts';
import {
  requestSignal,
  statusOf,
  type GitHubClient,
} from '../client/github-client.ts';

/** Bytes of file contents one review may read in total; analyzers of huge pull requests degrade, the server does not. */
export const DEFAULT_READ_BUDGET_BYTES = 50_000_000;
/** Bytes inspected for NUL when deciding whether a file is binary (the same heuristic git uses). */
const BINARY_PROBE_BYTES = 8000;

export interface ContentReaderOptions {
  owner: string;
  repo: string;
  baseSha: string;
  headSha: string;
  maxFileBytes: number;
  budgetBytes?: number;
  logger?: Logger;
  /** The review's signal; each read also honours its own. */
  signal?: AbortSignal;
  /** Head contents of files the pull request adds, rebuilt from their patches. */
  addedFiles?: ReadonlyMap<string, string>;
  /** Paths that do not exist at a revision: files the pull request adds (base) or removes (head). */
  absent?: { base: ReadonlySet<string>; head: ReadonlySet<string> };
}

const FileContentSchema = z.object({
  type: z.literal('file'),
  size: z.int().nonnegative(),
  encoding: z.string().optional(),
  content: z.string().optional(),
});

const TreeSchema = z.object({
  truncated: z.boolean().optional(),
  tree: z.array(z.object({ path: z.string(), type: z.string() })),
});

/**
 * Reads files at the pull request's base or head commit through the contents API. Reads are cached;
 * missing, binary and oversized files, and reads past the per-review budget, come back undefined.
 * Other failures are errors, so an analyzer never mistakes an outage for a deleted file.
 */
export function githubContentReader(
  octokit: GitHubClient,
  options: ContentReaderOptions,
): ContentReader {
  const logger = options.logger ?? silentLogger;
  const budget = options.budgetBytes ?? DEFAULT_READ_BUDGET_BYTES;
  const cache = new Map<string, Promise<string | undefined>>();
  let used = 0;
  let budgetWarned = false;
  let headPaths: Promise<string[]> | undefined;

  const signalFor = (signal?: AbortSignal): AbortSignal =>
    requestSignal(
      signal && options.signal
        ? AbortSignal.any([signal, options.signal])
        : (signal ?? options.signal),
    );

  async function fetchFile(
    ref: string,
    path: string,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    if (used >= budget) {
      if (!budgetWarned)
        logger.warn(
          { budget },
          'file read budget of this review is used up; further reads return nothing',
        );
      budgetWarned = true;
      return undefined;
    }
    let data: unknown;
    try {
      ({ data } = await octokit.request(
        'GET /repos/{owner}/{repo}/contents/{path}',
        {
          owner: options.owner,
          repo: options.repo,
          path,
          ref,
          request: { signal: signalFor(signal) },
        },
      ));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
    const file = FileContentSchema.safeParse(data);
    // Directories, symlinks and submodules have no text to read.
    if (!file.success) return undefined;
    if (file.data.size > options.maxFileBytes) return undefined;
    const bytes =
      file.data.encoding === 'base64' && file.data.content !== undefined
        ? Buffer.from(file.data.content, 'base64')
        : await fetchRaw(ref, path, signal); // files over 1 MB come without inline content
    if (bytes === undefined || bytes.length > options.maxFileBytes)
      return undefined;
    used += bytes.length;
    if (bytes.subarray(0, BINARY_PROBE_BYTES).includes(0)) return undefined;
    return bytes.toString('utf8');
  }

  async function fetchRaw(
    ref: string,
    path: string,
    signal?: AbortSignal,
  ): Promise<Buffer | undefined> {
    try {
      const { data } = await octokit.request(
        'GET /repos/{owner}/{repo}/contents/{path}',
        {
          owner: options.owner,
          repo: options.repo,
          path,
          ref,
          mediaType: { format: 'raw' },
          request: { signal: signalFor(signal) },
        },
      );
      const raw: unknown = data;
      if (typeof raw === 'string') return Buffer.from(raw, 'utf8');
      if (raw instanceof ArrayBuffer) return Buffer.from(raw);
      return undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  return {
    read(
      revision: Revision,
      path: string,
      signal?: AbortSignal,
    ): Promise<string | undefined> {
      // A file the pull request adds is all in its patch: no request needed.
      const added =
        revision === 'head' ? options.addedFiles?.get(path) : undefined;
      if (
        added !== undefined &&
        Buffer.byteLength(added) <= options.maxFileBytes
      )
        return Promise.resolve(added);
      if (options.absent?.[revision].has(path))
        return Promise.resolve(undefined);
      const ref = revision === 'base' ? options.baseSha : options.headSha;
      const key = `${ref}:${path}`;
      const cached = cache.get(key);
      if (cached) return cached;
      const pending = fetchFile(ref, path, signal);
      cache.set(key, pending);
      // A failed read is not remembered, so a later attempt can succeed.
      pending.catch(() => cache.delete(key));
      return pending;
    },

    listHeadPaths(signal?: AbortSignal): Promise<string[]> {
      headPaths ??= (async () => {
        const { data } = await octokit.request(
          'GET /repos/{owner}/{repo}/git/trees/{tree_sha}',
          {
            owner: options.owner,
            repo: options.repo,
            tree_sha: options.headSha,
            recursive: '1',
            request: { signal: signalFor(signal) },
          },
        );
        const tree = TreeSchema.parse(data);
        if (tree.truncated)
          logger.warn(
            { entries: tree.tree.length },
            'GitHub truncated the head tree listing; cross-file checks see only part of the repository',
          );
        return tree.tree
          .filter((entry) => entry.type === 'blob')
          .map((entry) => entry.path);
      })();
      headPaths.catch(() => (headPaths = undefined));
      return headPaths;
    },
  };
}
