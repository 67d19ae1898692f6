import type { Revision } from '../change-set.ts';

/**
 * A read-only view of the repository at the change's base or head commit. Adapters read it from
 * local git or from GitHub; the engine and the model's tools never know which. Nothing here writes,
 * runs code or reaches beyond the repository.
 */
export interface RepositoryView {
  /** Every file path at a revision (blobs only, no directories), sorted. */
  listFiles(revision: Revision, signal?: AbortSignal): Promise<string[]>;
  /** A file's bytes, or why there are none. Symlinks and submodules are never followed. */
  readFile(
    revision: Revision,
    path: string,
    signal?: AbortSignal,
  ): Promise<ViewFile>;
  /** Lines of head files matching a pattern, in path then line order, at most `maxMatches`. */
  search(query: SearchQuery, signal?: AbortSignal): Promise<SearchResult>;
  /** What the view fetched so far, for the usage report. */
  stats(): ViewStats;
  /** Releases processes and temporary files; safe to call twice. */
  close(): Promise<void>;
}

export type ViewFile =
  | { kind: 'file'; bytes: Buffer }
  | { kind: 'missing' }
  | { kind: 'too-large'; size?: number }
  | { kind: 'not-a-file'; what: 'symlink' | 'submodule' | 'directory' };

export interface SearchQuery {
  pattern: string;
  /** A JavaScript-compatible regular expression when true; a literal string otherwise. */
  regex: boolean;
  /** Restricts the search to paths matching this glob (picomatch syntax). */
  pathGlob?: string;
  caseSensitive?: boolean;
  maxMatches: number;
}

export interface SearchMatch {
  path: string;
  line: number;
  text: string;
}

export interface SearchResult {
  matches: SearchMatch[];
  /** More matches existed than were returned, or part of the tree could not be searched. */
  truncated: boolean;
}

export interface ViewStats {
  /** How the view reads: local git, a downloaded snapshot, or file-by-file requests. */
  mode: 'git' | 'snapshot' | 'on-demand';
  /** Requests to a remote host (0 for local git). */
  requests: number;
  bytes: number;
  /** Why a snapshot was not used, when it was not. */
  note?: string;
}
