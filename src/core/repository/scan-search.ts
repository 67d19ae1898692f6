import picomatch from 'picomatch';
import { looksBinary } from './path-policy.ts';
import type {
  SearchMatch,
  SearchQuery,
  SearchResult,
} from './repository-view.ts';

/** The matcher for a search query: a JavaScript regular expression, or a literal turned into one. */
export function queryRegExp(query: SearchQuery): RegExp {
  const source = query.regex
    ? query.pattern
    : query.pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(source, query.caseSensitive === false ? 'i' : '');
}

/**
 * Searches files one by one, for views without a search engine of their own (a snapshot on disk,
 * or a git without PCRE). Stops at the match limit; binary files are skipped.
 */
export async function scanSearch(
  paths: readonly string[],
  read: (path: string) => Promise<Buffer | undefined>,
  query: SearchQuery,
  options: { maxFiles?: number; signal?: AbortSignal } = {},
): Promise<SearchResult> {
  const matcher = queryRegExp(query);
  const inGlob = query.pathGlob
    ? picomatch(query.pathGlob, { dot: true })
    : () => true;
  const candidates = paths.filter((p) => inGlob(p));
  const limit = options.maxFiles ?? Infinity;
  const matches: SearchMatch[] = [];
  const truncated = candidates.length > limit;
  for (const path of candidates.slice(0, limit)) {
    options.signal?.throwIfAborted();
    const bytes = await read(path);
    if (!bytes || looksBinary(bytes)) continue;
    const lines = bytes.toString('utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!matcher.test(lines[i]!)) continue;
      if (matches.length >= query.maxMatches)
        return { matches, truncated: true };
      matches.push({ path, line: i + 1, text: lines[i]!.replace(/\r$/, '') });
    }
  }
  return { matches, truncated };
}
