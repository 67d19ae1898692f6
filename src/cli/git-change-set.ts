import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ChangeSet } from '../core/change-set.ts';
import { DEFAULT_CONFIG } from '../config/schema.ts';
import { GitError, runGit, runGitRaw, type GitRunOptions } from './git.ts';
import { gitContentReader } from './git-content-reader.ts';
import { parseGitDiff } from './parse-git-diff.ts';

export interface GitChangeSetOptions {
  /** Any directory inside the repository's working tree. */
  repo: string;
  /**
   * Read this git directory instead (a bare mirror works): objects only, no working tree, so `repo`
   * is not looked up. Replays of recorded commits use it.
   */
  gitDir?: string;
  /** Default: the remote's default branch (origin/HEAD), else `main`, else `master`. */
  base?: string;
  /** Default: HEAD. */
  head?: string;
  signal?: AbortSignal;
  /** Largest file read and largest per-file diff kept. */
  maxFileBytes?: number;
  /** Per git call. */
  timeoutMs?: number;
}

/** A change set from local commits, plus what was compared, for people reading the output. */
export interface GitChangeSet extends ChangeSet {
  /** The merge base of base and head: the diff starts here, as in a pull request. */
  baseSha: string;
  baseRef: string;
  headRef: string;
  /** The repository's top-level directory. */
  root: string;
}

/** How many commit subjects describe the change for the model; older ones add little. */
const MAX_COMMIT_SUBJECTS = 20;

/**
 * Builds the engine's input from a local repository, comparing `merge-base(base, head)..head` the
 * way a pull request does: commits on the base branch after the fork point are not part of the change.
 */
export async function gitChangeSet(
  options: GitChangeSetOptions,
): Promise<GitChangeSet> {
  const maxFileBytes =
    options.maxFileBytes ?? DEFAULT_CONFIG.limits.max_file_bytes;
  const git = (cwd: string): GitRunOptions => ({
    cwd,
    signal: options.signal,
    timeoutMs: options.timeoutMs,
  });
  const root = options.gitDir ?? (await repoRoot(options.repo, options));
  const baseRef = options.base ?? (await defaultBase(git(root)));
  const headRef = options.head ?? 'HEAD';
  const [baseCommit, headSha] = await Promise.all([
    resolveCommit(baseRef, git(root)),
    resolveCommit(headRef, git(root)),
  ]);
  const baseSha = await mergeBase(
    baseRef,
    baseCommit,
    headRef,
    headSha,
    git(root),
  );

  const diff = await runGit(
    [
      'diff',
      '--no-color',
      '--no-ext-diff',
      '--no-textconv',
      '--no-relative',
      '--find-renames',
      '--unified=3',
      '--inter-hunk-context=0',
      '--submodule=short',
      '--src-prefix=a/',
      '--dst-prefix=b/',
      baseSha,
      headSha,
    ],
    git(root),
  );
  const files = parseGitDiff(diff, { maxPatchBytes: maxFileBytes });
  const subjects = await commitSubjects(baseSha, headSha, git(root));

  return {
    title: subjects[0],
    description:
      subjects.length > 1
        ? `Commits on this branch, newest first:\n${subjects.map((s) => `- ${s}`).join('\n')}`
        : undefined,
    baseSha,
    headSha,
    baseRef,
    headRef,
    root,
    files,
    listingComplete: true,
    totalFiles: files.length,
    contents: gitContentReader({
      cwd: root,
      baseSha,
      headSha,
      maxFileBytes,
      timeoutMs: options.timeoutMs,
    }),
  };
}

/** The top-level directory of the working tree that holds `dir`, or a GitError saying why there is none. */
export async function repoRoot(
  dir: string,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<string> {
  const absolute = resolve(dir);
  const info = await stat(absolute).catch(() => undefined);
  if (!info) throw new GitError(`${absolute} does not exist`);
  if (!info.isDirectory()) throw new GitError(`${absolute} is not a directory`);
  const result = await runGitRaw(['rev-parse', '--show-toplevel'], {
    cwd: absolute,
    signal: options.signal,
    timeoutMs: options.timeoutMs,
  });
  const root = result.stdout.toString('utf8').trim();
  if (result.exitCode !== 0 || root === '')
    throw new GitError(`${absolute} is not inside a git working tree`);
  return root;
}

/** The branch a pull request would most likely target. */
async function defaultBase(options: GitRunOptions): Promise<string> {
  const remoteHead = await runGitRaw(
    ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'],
    options,
  );
  if (remoteHead.exitCode === 0) {
    const ref = remoteHead.stdout.toString('utf8').trim();
    if (ref) return ref;
  }
  for (const candidate of ['main', 'master']) {
    const found = await runGitRaw(
      ['rev-parse', '--verify', '--quiet', `refs/heads/${candidate}`],
      options,
    );
    if (found.exitCode === 0) return candidate;
  }
  throw new GitError(
    'could not find a base branch (no origin/HEAD, main or master); pass --base <ref>',
  );
}

async function resolveCommit(
  ref: string,
  options: GitRunOptions,
): Promise<string> {
  // A ref that looks like an option would be read as one by git.
  if (ref.length === 0 || ref.startsWith('-'))
    throw new GitError(`invalid git ref "${ref}"`);
  const result = await runGitRaw(
    ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`],
    options,
  );
  if (result.exitCode !== 0)
    throw new GitError(
      `unknown git ref "${ref}": no such branch, tag or commit`,
    );
  return result.stdout.toString('utf8').trim();
}

async function mergeBase(
  baseRef: string,
  baseSha: string,
  headRef: string,
  headSha: string,
  options: GitRunOptions,
): Promise<string> {
  const result = await runGitRaw(['merge-base', baseSha, headSha], options);
  if (result.exitCode === 1)
    throw new GitError(`"${baseRef}" and "${headRef}" have no common history`);
  if (result.exitCode !== 0)
    throw new GitError(
      `git merge-base failed: ${result.stderr || `exit ${result.exitCode}`}`,
    );
  return result.stdout.toString('utf8').trim();
}

async function commitSubjects(
  baseSha: string,
  headSha: string,
  options: GitRunOptions,
): Promise<string[]> {
  const out = await runGit(
    [
      'log',
      '--no-merges',
      '--format=%s',
      `--max-count=${MAX_COMMIT_SUBJECTS}`,
      `${baseSha}..${headSha}`,
    ],
    options,
  );
  return out.split('\n').filter((line) => line.trim().length > 0);
}
