import type { ContentReader } from '../../core/change-set.ts';
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
  contents: ContentReader,
  paths: readonly string[],
  tool: string,
  signal: AbortSignal,
): Promise<TeamFile> {
  for (const path of paths) {
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
