import type { ContentReader, Revision } from '../core/change-set.ts';
import { catFileBatch, type CatFileBatch } from './git-cat-file-batch.ts';
import { GitError, runGit, runGitRaw, type GitRunOptions } from './git.ts';

export interface GitContentReaderOptions {
  cwd: string;
  /** The commit the diff starts from (the merge base); absent reads as "no such file". */
  baseSha?: string;
  headSha: string;
  maxFileBytes: number;
  timeoutMs?: number;
}

/** Git's own test for binary content: a NUL byte near the start. */
const BINARY_SNIFF_BYTES = 8000;

/**
 * Reads file contents straight from the object database, never the working tree, so uncommitted
 * edits cannot leak into a review of commits. Reads go through one `git cat-file --batch` process
 * and are cached: several analyzers often read the same file.
 */
export function gitContentReader(
  options: GitContentReaderOptions,
): ContentReader {
  const cache = new Map<string, Promise<string | undefined>>();
  const batch = catFileBatch({
    cwd: options.cwd,
    maxBytes: options.maxFileBytes,
    timeoutMs: options.timeoutMs,
  });
  let headPaths: Promise<string[]> | undefined;
  const gitOptions = (signal?: AbortSignal): GitRunOptions => ({
    cwd: options.cwd,
    signal,
    timeoutMs: options.timeoutMs,
  });

  return {
    read(revision: Revision, path: string, signal?: AbortSignal) {
      const sha = revision === 'base' ? options.baseSha : options.headSha;
      if (sha === undefined) return Promise.resolve(undefined);
      const key = `${sha}:${path}`;
      let pending = cache.get(key);
      if (!pending) {
        pending = path.includes('\n')
          ? readBlob(sha, path, options.maxFileBytes, gitOptions(signal))
          : readBatched(batch, `${sha}:${path}`, signal);
        // A failed read (timeout, abort) must not poison later reads of the same file.
        pending.catch(() => cache.delete(key));
        cache.set(key, pending);
      }
      return pending;
    },
    listHeadPaths(signal?: AbortSignal) {
      if (!headPaths) {
        headPaths = runGit(
          [
            'ls-tree',
            '-r',
            '-z',
            '--name-only',
            '--full-tree',
            options.headSha,
          ],
          gitOptions(signal),
        ).then((out) => out.split('\0').filter((p) => p.length > 0));
        headPaths.catch(() => (headPaths = undefined));
      }
      return headPaths;
    },
  };
}

async function readBatched(
  batch: CatFileBatch,
  name: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const object = await batch.read(name, signal);
  // Missing: no such path at that commit; not a blob: a directory or a submodule.
  if (object.kind !== 'blob') return undefined;
  return textOf(object.data);
}

function textOf(data: Buffer): string | undefined {
  if (data.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return undefined;
  return data.toString('utf8');
}

/** One git process per read: only for paths the batch protocol cannot carry (a newline in the name). */
async function readBlob(
  sha: string,
  path: string,
  maxFileBytes: number,
  gitOptions: GitRunOptions,
): Promise<string | undefined> {
  // One byte over the budget is enough to know the file is too large; git is stopped right there.
  const result = await runGitRaw(['cat-file', 'blob', `${sha}:${path}`], {
    ...gitOptions,
    maxBuffer: maxFileBytes + 1,
  }).catch((error: unknown) => {
    if (error instanceof GitError && error.kind === 'output-too-large')
      return 'too-large' as const;
    throw error;
  });
  if (result === 'too-large') return undefined;
  // Exit 128: no such path at that commit, or not a blob (a directory or submodule).
  if (result.exitCode !== 0) return undefined;
  if (result.stdout.length > maxFileBytes) return undefined;
  return textOf(result.stdout);
}
