import type { RepositoryView } from './repository/repository-view.ts';

/**
 * The engine's input: what a pull request (or a local branch) changes. Adapters build it from
 * GitHub's API or from local git; the engine never knows which.
 */
export type FileStatus =
  | 'added'
  | 'modified'
  | 'removed'
  | 'renamed'
  | 'copied'
  | 'changed'
  | 'unchanged';

export interface ChangedFile {
  path: string;
  /** Set for renames and copies. */
  previousPath?: string;
  status: FileStatus;
  additions: number;
  deletions: number;
  /** Unified diff hunks without file headers. Absent when the source gave none (large or binary files). */
  patch?: string;
  /** Why `patch` is absent, in words for the coverage report. */
  patchMissingReason?: string;
}

export type Revision = 'base' | 'head';

/** Reads file contents at either side. Returns undefined when the file does not exist, is binary or is over budget. */
export interface ContentReader {
  read(
    revision: Revision,
    path: string,
    signal?: AbortSignal,
  ): Promise<string | undefined>;
  /** Every file path at the head revision, for cross-checks that look at unchanged code. Optional. */
  listHeadPaths?(signal?: AbortSignal): Promise<string[]>;
}

export interface ChangeSet {
  /** Untrusted text (PR title/description) — context for the model, never instructions. */
  title?: string;
  description?: string;
  baseSha?: string;
  headSha: string;
  files: ChangedFile[];
  /** False when the source could not list every changed file (GitHub stops at 3000). */
  listingComplete: boolean;
  /** The total number of changed files the source claims, when known. */
  totalFiles?: number;
  contents: ContentReader;
  /** The whole repository at base and head, read-only, when the adapter offers it (the model's tools, cross-checks). */
  repository?: RepositoryView;
}
