import type { ContentReader } from '../../../core/change-set.ts';
import { isSpecCandidatePath, looksLikeSpec } from './detect.ts';

/** Unchanged specs read to follow a changed fragment; more than this is reported, not read. */
export const MAX_ROOTS = 10;

export interface RootSearch {
  roots: string[];
  /** Candidate roots left unread because of the limit. */
  skipped: number;
}

function directoryOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash + 1);
}

/**
 * Unchanged spec documents that can reach a changed fragment (a file of schemas or paths that is
 * not itself a spec): those in the fragment's directory or above it, since `$ref`s point down
 * or sideways in practice. Their comparison is what shows the fragment's effect on the API.
 */
export async function findRootsFor(
  reader: ContentReader,
  fragments: string[],
  changed: ReadonlySet<string>,
  signal: AbortSignal,
): Promise<RootSearch> {
  if (fragments.length === 0 || !reader.listHeadPaths)
    return { roots: [], skipped: 0 };
  const paths = await reader.listHeadPaths(signal);
  const candidates = paths
    .filter((path) => isSpecCandidatePath(path) && !changed.has(path))
    .filter((path) =>
      fragments.some((fragment) => fragment.startsWith(directoryOf(path))),
    )
    // Closest to the fragments first: a spec next to them beats one at the repository root.
    .sort(
      (a, b) =>
        directoryOf(b).length - directoryOf(a).length || a.localeCompare(b),
    );
  const roots: string[] = [];
  let read = 0;
  for (const path of candidates) {
    if (read >= MAX_ROOTS * 3) break;
    read++;
    const text = await reader.read('head', path, signal);
    if (text === undefined || !looksLikeSpec(text)) continue;
    roots.push(path);
    if (roots.length >= MAX_ROOTS) break;
  }
  return { roots, skipped: candidates.length - read };
}
