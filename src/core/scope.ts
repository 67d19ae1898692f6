import picomatch from 'picomatch';
import { DEFAULT_EXCLUDE, DEFAULT_INCLUDE } from '../config/default-paths.ts';
import type { Config } from '../config/schema.ts';

export type PathMatcher = (path: string) => boolean;

/** Builds the in-scope test from config: include globs minus exclude globs (exclusion wins). */
export function scopeMatcher(paths: Config['paths']): PathMatcher {
  const include = [
    ...(paths.use_defaults ? DEFAULT_INCLUDE : []),
    ...paths.include,
  ];
  const exclude = [
    ...(paths.use_defaults ? DEFAULT_EXCLUDE : []),
    ...paths.exclude,
  ];
  const options = { dot: true, nocase: false };
  const isIncluded =
    include.length > 0 ? picomatch(include, options) : () => false;
  const isExcluded =
    exclude.length > 0 ? picomatch(exclude, options) : () => false;
  return (path) => isIncluded(path) && !isExcluded(path);
}
