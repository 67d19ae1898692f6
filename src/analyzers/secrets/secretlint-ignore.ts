import picomatch from 'picomatch';
import type { ContentReader } from '../../core/change-set.ts';
import type { CoverageNote } from '../../core/coverage.ts';
import { messageOf } from '../../core/error-message.ts';

export const SECRETLINT_IGNORE_PATH = '.secretlintignore';

/**
 * Globs of a gitignore-style file (secretlint's `.secretlintignore`): `name` matches at any depth,
 * a leading `/` anchors at the root, a trailing `/` means the directory's contents. Negations (`!`)
 * cannot be expressed as an exclusion list and are reported as not applied.
 */
export function ignoreGlobs(text: string): {
  globs: string[];
  negations: number;
} {
  const globs: string[] = [];
  let negations = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('!')) {
      negations++;
      continue;
    }
    const anchored = line.startsWith('/') || line.slice(0, -1).includes('/');
    const body = line.replace(/^\//, '').replace(/\/$/, '');
    const base = anchored ? body : `**/${body}`;
    globs.push(base, `${base}/**`);
  }
  return { globs, negations };
}

/** The team's `.secretlintignore` at the base, as a path test; absent: nothing is ignored. */
export async function loadSecretlintIgnore(
  contents: ContentReader,
  signal: AbortSignal,
): Promise<{ ignored: (path: string) => boolean; notes: CoverageNote[] }> {
  let text: string | undefined;
  try {
    text = await contents.read('base', SECRETLINT_IGNORE_PATH, signal);
  } catch (error) {
    signal.throwIfAborted();
    return {
      ignored: () => false,
      notes: [
        {
          source: 'repository settings',
          path: SECRETLINT_IGNORE_PATH,
          message: `could not read .secretlintignore, so no path was ignored: ${messageOf(error)}`,
        },
      ],
    };
  }
  if (text === undefined) return { ignored: () => false, notes: [] };
  const { globs, negations } = ignoreGlobs(text);
  const matcher =
    globs.length > 0 ? picomatch(globs, { dot: true }) : () => false;
  const skipped =
    negations > 0
      ? `; ${negations} negated ${negations === 1 ? 'pattern was' : 'patterns were'} not applied`
      : '';
  return {
    ignored: matcher,
    notes: [
      {
        source: 'repository settings',
        path: SECRETLINT_IGNORE_PATH,
        message: `applied the team's .secretlintignore from the base branch (${globs.length / 2} ${globs.length === 2 ? 'pattern' : 'patterns'})${skipped}`,
      },
    ],
  };
}
