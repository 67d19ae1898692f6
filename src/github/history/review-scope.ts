/** How the last reviewed head relates to the new one, from GitHub's compare API. */
export type Comparison =
  | {
      status: 'ahead' | 'identical';
      files: Array<{ path: string; previousPath?: string }>;
      complete: boolean;
    }
  | { status: 'behind' | 'diverged' }
  | { status: 'missing' };

/** What the model reviews this run; the deterministic analyzers always see the whole pull request. */
export type ReviewScope =
  | { kind: 'full'; reason: string }
  | { kind: 'incremental'; since: string; paths: Set<string> };

export interface ScopeInput {
  /** A person asked for a full review (command, Re-run, Re-review). */
  forceFull: boolean;
  lastHead: string | undefined;
  head: string;
  /** The state lost findings to fit its comment: only a full review finds them again. */
  stateTruncated: boolean;
  /** Paths the pull request changes now. */
  pullRequestPaths: ReadonlySet<string>;
  comparison?: Comparison;
}

/** Whether a comparison is needed at all, so the API is not asked when the answer is already known. */
export function needsComparison(
  input: Omit<ScopeInput, 'comparison' | 'pullRequestPaths'>,
): boolean {
  return (
    !input.forceFull &&
    !input.stateTruncated &&
    input.lastHead !== undefined &&
    input.lastHead !== input.head
  );
}

/**
 * Picks the files the model reviews: after a plain push, only files changed since the last
 * reviewed head (with their whole pull-request diff as context); a rewritten history (force-push,
 * compare `diverged`/`behind` or unknown), a first review or a request from a person is full.
 */
export function selectReviewScope(input: ScopeInput): ReviewScope {
  if (input.forceFull)
    return { kind: 'full', reason: 'a full review was requested' };
  if (input.lastHead === undefined)
    return { kind: 'full', reason: 'first review of this pull request' };
  if (input.stateTruncated)
    return { kind: 'full', reason: 'the stored state was incomplete' };
  if (input.lastHead === input.head)
    return { kind: 'incremental', since: input.lastHead, paths: new Set() };
  const comparison = input.comparison ?? { status: 'missing' };
  if (comparison.status === 'missing')
    return {
      kind: 'full',
      reason: 'the last reviewed commit is no longer known to GitHub',
    };
  if (!('files' in comparison))
    return {
      kind: 'full',
      reason: 'the branch history was rewritten since the last review',
    };
  if (!comparison.complete)
    return {
      kind: 'full',
      reason: 'too many files changed since the last review to list',
    };
  const paths = new Set<string>();
  for (const file of comparison.files) {
    if (input.pullRequestPaths.has(file.path)) paths.add(file.path);
    // A rename since the last review: the pull request lists the file under its new name.
    if (
      file.previousPath !== undefined &&
      input.pullRequestPaths.has(file.previousPath)
    )
      paths.add(file.previousPath);
  }
  return { kind: 'incremental', since: input.lastHead, paths };
}
