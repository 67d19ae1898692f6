import type { ChangeSet } from '../../core/change-set.ts';
import type { Lens } from '../../core/finding.ts';
import type { ReviewResult } from '../../core/review.ts';
import type { Examined } from './reconcile.ts';

/**
 * What a finished review looked at again. Analyzers saw every in-scope file they were given in
 * full; the model only the files it was pointed at and fully reviewed (a failed chunk or a file
 * over the token budget proves nothing about the findings there).
 */
export function examinedBy(
  result: ReviewResult,
  changeSet: ChangeSet,
  lenses: ReadonlySet<Lens>,
  modelSelection: ReadonlySet<string> | undefined,
  previousPaths: Iterable<string>,
): Examined {
  const analyzerPaths = new Set<string>();
  const modelPaths = new Set<string>();
  const withDiff = new Set(
    changeSet.files
      .filter((f) => f.patch !== undefined && f.patch !== '')
      .map((f) => f.path),
  );
  const modelRan =
    result.coverage.model.status === 'completed' ||
    result.coverage.model.status === 'partial';
  for (const file of result.coverage.files) {
    if (file.status === 'reviewed' || file.status === 'partial')
      analyzerPaths.add(file.path);
    if (
      modelRan &&
      file.status === 'reviewed' &&
      withDiff.has(file.path) &&
      (modelSelection === undefined || modelSelection.has(file.path))
    )
      modelPaths.add(file.path);
  }
  const present = new Set(
    changeSet.files.filter((f) => f.status !== 'removed').map((f) => f.path),
  );
  const gonePaths = new Set<string>();
  // Only a complete listing can prove a file left the pull request.
  if (changeSet.listingComplete)
    for (const path of previousPaths)
      if (!present.has(path)) gonePaths.add(path);
  for (const file of changeSet.files)
    if (file.status === 'removed') gonePaths.add(file.path);
  return { lenses, analyzerPaths, modelPaths, gonePaths };
}

/**
 * Files still owed a model review after this run: what was owed before plus what this run meant
 * the model to see, minus what it did see, limited to files the pull request still changes.
 */
export function stillUnreviewed(
  owedBefore: readonly string[],
  meantForModel: Iterable<string>,
  examined: Examined,
  changeSet: ChangeSet,
): string[] {
  const present = new Set(
    changeSet.files
      .filter(
        (f) =>
          f.status !== 'removed' && f.patch !== undefined && f.patch !== '',
      )
      .map((f) => f.path),
  );
  const owed = new Set([...owedBefore, ...meantForModel]);
  return [...owed]
    .filter((path) => present.has(path) && !examined.modelPaths.has(path))
    .sort();
}
