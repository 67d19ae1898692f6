import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { ChangeSet } from '../../core/change-set.ts';
import type { CoverageNote } from '../../core/coverage.ts';
import { messageOf } from '../../core/error-message.ts';
import { readTeamFile, SETTINGS_SOURCE } from '../settings/team-file.ts';
import type { Severity } from '../../core/finding.ts';
import type { ApiChange } from './diff/change.ts';

/** oasdiff's config files (its CLI and its GitHub Actions read them from the repository root). */
const CONFIG_FILES = [
  '.oasdiff.yaml',
  '.oasdiff.yml',
  '.oasdiff.json',
  'oasdiff.yaml',
  'oasdiff.yml',
  'oasdiff.json',
] as const;

/** Checks about whole endpoints, which oasdiff's `exclude-elements: [endpoints]` leaves out. */
const ENDPOINT_CHECKS = new Set([
  'api-path-removed-without-deprecation',
  'api-removed-without-deprecation',
  'api-path-removed-with-deprecation',
  'api-removed-with-deprecation',
  'api-path-removed-before-sunset',
  'api-removed-before-sunset',
  'api-path-sunset-parse',
  'endpoint-added',
]);

/** oasdiff keys whose effect the review has no counterpart for; named in coverage when set. */
const UNMAPPED = [
  'err-ignore',
  'warn-ignore',
  'deprecation-days-stable',
  'deprecation-days-beta',
  'filter-extension',
  'exclude-extensions',
  'prefix-base',
  'prefix-revision',
  'strip-prefix-base',
  'strip-prefix-revision',
  'include-path-params',
  'flatten-allof',
  'flatten-params',
  'case-insensitive-headers',
];

const LEVEL_SEVERITY: Record<string, Severity | null> = {
  err: 'high',
  error: 'high',
  warn: 'medium',
  warning: 'medium',
  info: 'low',
  none: null,
};

const Config = z.looseObject({
  'exclude-elements': z.union([z.string(), z.array(z.string())]).optional(),
  'match-path': z.string().max(500).optional(),
  'unmatch-path': z.string().max(500).optional(),
  'severity-levels': z.string().max(500).optional(),
});

/** The team's oasdiff settings, as the review applies them to its API changes. */
export interface OasdiffSettings {
  excludeEndpoints: boolean;
  matchPath?: RegExp;
  unmatchPath?: RegExp;
  /** Check id → severity, or null for a check turned off (`none`). */
  levels: Map<string, Severity | null>;
}

/**
 * The team's oasdiff config at the base: `exclude-elements: [endpoints]`, `match-path`,
 * `unmatch-path` and the `severity-levels` file it names. The other oasdiff keys are named in
 * coverage as not applied; a config that does not parse is a note, and the defaults apply.
 */
export async function loadOasdiffConfig(
  changeSet: Pick<ChangeSet, 'contents' | 'files'>,
  signal: AbortSignal,
): Promise<{ settings?: OasdiffSettings; notes: CoverageNote[] }> {
  const file = await readTeamFile(changeSet, CONFIG_FILES, 'oasdiff', signal);
  if (!file.found) return { notes: file.notes };
  return readOasdiffConfig(file.path, file.text, (path) =>
    changeSet.contents.read('base', path, signal),
  );
}

export async function readOasdiffConfig(
  path: string,
  text: string,
  readFile: (path: string) => Promise<string | undefined>,
): Promise<{ settings?: OasdiffSettings; notes: CoverageNote[] }> {
  const fail = (why: string) => ({
    notes: [
      {
        source: SETTINGS_SOURCE,
        path,
        message: `${path} was not applied: ${why}; oasdiff's defaults were used`,
      },
    ],
  });
  let config: z.infer<typeof Config>;
  try {
    config = Config.parse(
      path.endsWith('.json') ? JSON.parse(text) : parseYaml(text),
    );
  } catch (error) {
    return fail(
      error instanceof z.ZodError ? z.prettifyError(error) : messageOf(error),
    );
  }
  const regex = (key: 'match-path' | 'unmatch-path'): RegExp | undefined => {
    const source = config[key];
    return source === undefined ? undefined : new RegExp(source);
  };
  let matchPath: RegExp | undefined;
  let unmatchPath: RegExp | undefined;
  try {
    matchPath = regex('match-path');
    unmatchPath = regex('unmatch-path');
  } catch (error) {
    return fail(messageOf(error));
  }
  const elements = config['exclude-elements'];
  const excluded = (
    typeof elements === 'string' ? elements.split(',') : (elements ?? [])
  ).map((e) => e.trim());
  const applied: string[] = [];
  if (excluded.includes('endpoints'))
    applied.push('exclude-elements: endpoints');
  if (matchPath) applied.push('match-path');
  if (unmatchPath) applied.push('unmatch-path');
  const levels = new Map<string, Severity | null>();
  const levelsFile = config['severity-levels'];
  const notApplied = UNMAPPED.filter((key) => key in config);
  if (levelsFile !== undefined) {
    const file = levelsFile.replace(/^\.\//, '');
    const body = await readFile(file).catch(() => undefined);
    if (body === undefined)
      notApplied.push(`severity-levels (${file} not found)`);
    else {
      for (const line of body.split('\n')) {
        const [id, level] = line.replace(/#.*/, '').trim().split(/\s+/);
        if (!id || !level) continue;
        const severity = LEVEL_SEVERITY[level.toLowerCase()];
        if (severity !== undefined) levels.set(id, severity);
      }
      applied.push(`severity-levels from ${file} (${levels.size})`);
    }
  }
  return {
    settings: {
      excludeEndpoints: excluded.includes('endpoints'),
      ...(matchPath ? { matchPath } : {}),
      ...(unmatchPath ? { unmatchPath } : {}),
      levels,
    },
    notes: [
      {
        source: SETTINGS_SOURCE,
        path,
        message: `applied the team's ${path} from the base branch (${applied.length > 0 ? applied.join('; ') : 'nothing the review maps'})${notApplied.length > 0 ? `; not applied: ${notApplied.join(', ')}` : ''}`,
      },
    ],
  };
}

/** Whether the team's settings keep a change: its path is in scope and its check is not turned off. */
export function keepsChange(
  settings: OasdiffSettings | undefined,
  change: ApiChange,
): boolean {
  if (!settings) return true;
  if (settings.excludeEndpoints && ENDPOINT_CHECKS.has(change.id)) return false;
  if (settings.levels.get(change.id) === null) return false;
  const path = change.operation?.path;
  if (path !== undefined) {
    if (settings.matchPath && !settings.matchPath.test(path)) return false;
    if (settings.unmatchPath?.test(path)) return false;
  }
  return true;
}
