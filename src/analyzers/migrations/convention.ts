import type { ContentReader } from '../../core/change-set.ts';
import type { DraftFinding } from '../../core/finding.ts';
import { migrationKind } from './classify.ts';

/**
 * Rules whose advice is to build or drop indexes without blocking writes: a unique or primary-key
 * constraint builds its index under the lock unless it takes over one built CONCURRENTLY first.
 */
export const CONCURRENT_INDEX_RULES: ReadonlySet<string> = new Set([
  'schema/require-concurrent-index-creation',
  'schema/require-concurrent-index-deletion',
  'schema/mysql-index-without-online-ddl',
  'schema/disallowed-unique-constraint',
  'schema/adding-serial-primary-key-field',
]);

/** How each framework and dialect spells a non-blocking index build or drop. */
const CONCURRENT_SPELLING =
  /\bconcurrently\b|AddIndexConcurrently|RemoveIndexConcurrently|algorithm:\s*:concurrently|concurrently:\s*true|\bALGORITHM\s*=\s*INPLACE\b|\bLOCK\s*=\s*NONE\b/i;

export interface ConventionLimits {
  /** Fewer migrations than this say nothing about how the team deploys. */
  minMigrations: number;
  /** Most migrations read (the newest, by path). */
  maxRead: number;
}

export const DEFAULT_CONVENTION_LIMITS: ConventionLimits = {
  minMigrations: 20,
  maxRead: 200,
};

/**
 * A repository whose migrations never build or drop an index concurrently runs them without live
 * traffic to protect (with the service stopped, or at startup before it serves): its team has
 * answered the question the rule asks, dozens of times. Returns how many migrations were read
 * when that holds, undefined otherwise (too little history, one concurrent build, no listing).
 */
export async function neverConcurrent(
  contents: ContentReader,
  changed: ReadonlySet<string>,
  signal: AbortSignal,
  limits: ConventionLimits = DEFAULT_CONVENTION_LIMITS,
): Promise<number | undefined> {
  if (!contents.listHeadPaths) return undefined;
  const migrations = (await contents.listHeadPaths(signal))
    .filter(
      (path) =>
        !changed.has(path) &&
        migrationKind(path) !== undefined &&
        migrationKind(path) !== 'prisma-schema',
    )
    .sort()
    .reverse()
    .slice(0, limits.maxRead);
  if (migrations.length < limits.minMigrations) return undefined;
  for (const path of migrations) {
    const text = await contents.read('head', path, signal);
    if (text !== undefined && CONCURRENT_SPELLING.test(text)) return undefined;
  }
  return migrations.length;
}

/** Lowers concurrent-index findings to low and says why, for a repository that never uses concurrent builds. */
export function lowerForConvention(
  findings: DraftFinding[],
  read: number,
): void {
  findings.forEach((finding, i) => {
    if (!CONCURRENT_INDEX_RULES.has(finding.ruleId)) return;
    findings[i] = {
      ...finding,
      severity: 'low',
      body: `${finding.body} None of the ${read} most recent migrations of this repository builds or drops an index without blocking writes (CONCURRENTLY, ALGORITHM=INPLACE), so its team appears to migrate without live traffic (service stopped, or at startup); reported as low. Set \`rules: { ${finding.ruleId}: high }\` in .github/architect.yml to have it reported in full.`,
    };
  });
}
