import type { ChangeSet } from '../../core/change-set.ts';
import type { CoverageNote } from '../../core/coverage.ts';
import { messageOf } from '../../core/error-message.ts';

/** The coverage source of every note about a team's own tool settings. */
export const SETTINGS_SOURCE = 'repository settings';

export type TeamFile =
  | { found: true; path: string; text: string }
  | { found: false; notes: CoverageNote[] };

/**
 * The first of a tool's config files present at the base revision: the team's settings as they were
 * before the change (a pull request could otherwise switch off the rules for the very change it
 * makes). A read that fails is a note saying the tool's defaults are used; none present, no note.
 */
export async function readTeamFile(
  changeSet: Pick<ChangeSet, 'contents' | 'files'>,
  paths: readonly string[],
  tool: string,
  signal: AbortSignal,
): Promise<TeamFile> {
  const { contents } = changeSet;
  for (const path of await presentPaths(changeSet, paths, signal)) {
    let text: string | undefined;
    try {
      text = await contents.read('base', path, signal);
    } catch (error) {
      signal.throwIfAborted();
      return {
        found: false,
        notes: [
          {
            source: SETTINGS_SOURCE,
            path,
            message: `could not read ${path}, so ${tool}'s defaults were used: ${messageOf(error)}`,
          },
        ],
      };
    }
    if (text !== undefined) return { found: true, path, text };
  }
  return { found: false, notes: [] };
}

/**
 * Which of `paths` may exist: with a listing of the head (one request, shared with the other checks),
 * those at the head or touched by the change (a file the change deletes is still at the base);
 * without one, all of them. Spares a request per config-file name that is not there.
 */
export async function presentPaths(
  changeSet: Pick<ChangeSet, 'contents' | 'files'>,
  paths: readonly string[],
  signal: AbortSignal,
): Promise<readonly string[]> {
  const { contents } = changeSet;
  if (!contents.listHeadPaths) return paths;
  let listed: Set<string>;
  try {
    listed = new Set(await contents.listHeadPaths(signal));
  } catch {
    signal.throwIfAborted();
    return paths;
  }
  for (const file of changeSet.files) {
    listed.add(file.path);
    if (file.previousPath) listed.add(file.previousPath);
  }
  return paths.filter((path) => listed.has(path));
}
