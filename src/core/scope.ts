import picomatch from 'picomatch';
import {
  DEFAULT_EXCLUDE,
  DEFAULT_INCLUDE,
  GENERATED_CONTRACTS,
  GENERATED_EXCLUDE,
} from '../config/default-paths.ts';
import type { Config } from '../config/schema.ts';

export type PathMatcher = (path: string) => boolean;

const never: PathMatcher = () => false;

/**
 * Builds the in-scope test from config: include globs minus exclude globs (exclusion wins). With
 * the defaults, an API description under a generated folder stays in: only the generated-code
 * defaults give way to it, never the team's own excludes nor vendored code.
 */
export function scopeMatcher(paths: Config['paths']): PathMatcher {
  const options = { dot: true, nocase: false };
  const matcher = (globs: string[]): PathMatcher =>
    globs.length > 0 ? picomatch(globs, options) : never;
  const isIncluded = matcher([
    ...(paths.use_defaults ? DEFAULT_INCLUDE : []),
    ...paths.include,
  ]);
  const isConfigExcluded = matcher(paths.exclude);
  if (!paths.use_defaults)
    return (path) => isIncluded(path) && !isConfigExcluded(path);
  const generated = new Set(GENERATED_EXCLUDE);
  const isGenerated = matcher(GENERATED_EXCLUDE);
  const isOtherwiseExcluded = matcher(
    DEFAULT_EXCLUDE.filter((glob) => !generated.has(glob)),
  );
  const isContract = matcher(GENERATED_CONTRACTS);
  return (path) =>
    isIncluded(path) &&
    !isConfigExcluded(path) &&
    !isOtherwiseExcluded(path) &&
    (!isGenerated(path) || isContract(path));
}
