import { readTeamFile, SETTINGS_SOURCE } from '../../settings/team-file.ts';
import picomatch from 'picomatch';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import type { ChangeSet } from '../../../core/change-set.ts';
import type { CoverageNote } from '../../../core/coverage.ts';
import { messageOf } from '../../../core/error-message.ts';

export const SQUAWK_CONFIG_PATH = '.squawk.toml';
export const SQUAWK_CONFIG_SOURCE = SETTINGS_SOURCE;

/** The keys of squawk's `.squawk.toml` this review honours; others (upload_to_github…) do not apply. */
const SquawkTomlSchema = z.looseObject({
  excluded_rules: z.array(z.string()).optional(),
  excluded_paths: z.array(z.string()).optional(),
  pg_version: z.union([z.string(), z.number()]).optional(),
  assume_in_transaction: z.boolean().optional(),
});

/** The team's squawk settings, read at the pull request's base. */
export interface SquawkSettings {
  /** Rule ids (`schema/<rule>`) the team turned off. */
  excludedRules: ReadonlySet<string>;
  isExcludedPath: (path: string) => boolean;
  pgVersion?: number;
  assumeInTransaction?: boolean;
  /** What was applied, in words, for the coverage report. */
  summary: string;
}

/** squawk rule names that stand for more than one of ours (squawk 2.x merged the two timeout rules). */
const RULE_ALIASES: Record<string, string[]> = {
  'require-timeout-settings': [
    'require-lock-timeout',
    'require-statement-timeout',
  ],
};

/** Parses `.squawk.toml`; throws with a message on invalid TOML or values of the wrong type. */
export function parseSquawkToml(text: string): SquawkSettings {
  const parsed = SquawkTomlSchema.safeParse(parseToml(text));
  if (!parsed.success)
    throw new Error(z.prettifyError(parsed.error).split('\n').join(' '));
  const toml = parsed.data;
  const excludedRules = new Set<string>();
  for (const name of toml.excluded_rules ?? []) {
    for (const rule of RULE_ALIASES[name] ?? [name])
      excludedRules.add(`schema/${rule}`);
  }
  const paths = toml.excluded_paths ?? [];
  const matcher =
    paths.length > 0 ? picomatch(paths, { dot: true }) : undefined;
  const major =
    toml.pg_version === undefined
      ? undefined
      : Number.parseInt(String(toml.pg_version), 10);
  const pgVersion =
    major !== undefined && Number.isFinite(major) && major > 0
      ? major
      : undefined;
  const parts: string[] = [];
  if (toml.excluded_rules?.length)
    parts.push(`excluded_rules (${toml.excluded_rules.join(', ')})`);
  if (paths.length > 0)
    parts.push(
      `excluded_paths (${paths.length} ${paths.length === 1 ? 'glob' : 'globs'})`,
    );
  if (pgVersion !== undefined) parts.push(`pg_version ${pgVersion}`);
  if (toml.assume_in_transaction !== undefined)
    parts.push(`assume_in_transaction = ${toml.assume_in_transaction}`);
  return {
    excludedRules,
    isExcludedPath: (path) => matcher?.(path) ?? false,
    ...(pgVersion !== undefined ? { pgVersion } : {}),
    ...(toml.assume_in_transaction !== undefined
      ? { assumeInTransaction: toml.assume_in_transaction }
      : {}),
    summary:
      parts.length > 0 ? parts.join('; ') : 'no settings this review uses',
  };
}

/**
 * Reads the repository's `.squawk.toml` at the base revision (the head could switch rules off for
 * the very change it makes). Absent: undefined. Unreadable or invalid: undefined with a note, and
 * squawk's defaults are used.
 */
export async function loadSquawkSettings(
  changeSet: Pick<ChangeSet, 'contents' | 'files'>,
  signal: AbortSignal,
): Promise<{ settings?: SquawkSettings; notes: CoverageNote[] }> {
  const file = await readTeamFile(
    changeSet,
    [SQUAWK_CONFIG_PATH],
    'squawk',
    signal,
  );
  if (!file.found) return { notes: file.notes };
  const { text } = file;
  try {
    const settings = parseSquawkToml(text);
    return {
      settings,
      notes: [
        {
          source: SQUAWK_CONFIG_SOURCE,
          path: SQUAWK_CONFIG_PATH,
          message: `applied the team's squawk settings from the base branch: ${settings.summary}`,
        },
      ],
    };
  } catch (error) {
    return {
      notes: [
        {
          source: SQUAWK_CONFIG_SOURCE,
          path: SQUAWK_CONFIG_PATH,
          message: `ignored the squawk settings, which are not valid (${messageOf(error)}); squawk's defaults were used`,
        },
      ],
    };
  }
}
