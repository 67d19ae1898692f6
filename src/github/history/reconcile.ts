import type { Finding, Lens } from '../../core/finding.ts';
import { track, type TrackedFinding } from './review-state.ts';

/** What this run looked at again, and so could have seen a finding disappear. */
export interface Examined {
  /** Lenses that ran; a one-lens review says nothing about findings of other lenses. */
  lenses: ReadonlySet<Lens>;
  /** Files the deterministic analyzers analysed in full. */
  analyzerPaths: ReadonlySet<string>;
  /** Files the model reviewed in full. */
  modelPaths: ReadonlySet<string>;
  /** Files the pull request deletes or no longer changes: nothing there can still be wrong. */
  gonePaths: ReadonlySet<string>;
}

export interface ReconcileInput {
  /** Findings open before this run. */
  previous: readonly TrackedFinding[];
  /** Findings this run reported. */
  current: readonly Finding[];
  /** Fingerprints already posted in the app's review comments or review bodies. */
  posted: ReadonlySet<string>;
  /** Fingerprints an earlier run found fixed. */
  fixedBefore: ReadonlySet<string>;
  examined: Examined;
}

export interface Reconciled {
  /** Every open finding after this run: this run's, then those carried over from files not looked at again. */
  open: TrackedFinding[];
  /** Open findings this run did not look at again. */
  carried: TrackedFinding[];
  /** This run's findings that were never posted. */
  toPost: Finding[];
  /** Findings open before that this run looked for and no longer found. */
  fixed: TrackedFinding[];
  /** This run's findings that an earlier run had found fixed: their threads open again. */
  reopened: Finding[];
}

/**
 * The lifecycle of findings across pushes. A finding is fixed only when its file was looked at
 * again, by the same kind of source and lens that reported it (or the file is gone), and its
 * fingerprint was not reported; otherwise it stays open as it was.
 */
export function reconcile(input: ReconcileInput): Reconciled {
  const { examined } = input;
  const currentFps = new Set(input.current.map((f) => f.fingerprint));
  const carried: TrackedFinding[] = [];
  const fixed: TrackedFinding[] = [];
  const seen = new Set<string>();
  for (const previous of input.previous) {
    if (seen.has(previous.fp) || currentFps.has(previous.fp)) continue;
    seen.add(previous.fp);
    if (lookedAgain(previous, examined)) fixed.push(previous);
    else carried.push(previous);
  }
  return {
    open: [...input.current.map(track), ...carried],
    carried,
    toPost: input.current.filter((f) => !input.posted.has(f.fingerprint)),
    fixed,
    reopened: input.current.filter(
      (f) =>
        input.fixedBefore.has(f.fingerprint) && input.posted.has(f.fingerprint),
    ),
  };
}

function lookedAgain(finding: TrackedFinding, examined: Examined): boolean {
  if (examined.gonePaths.has(finding.path)) return true;
  if (!examined.lenses.has(finding.lens)) return false;
  return finding.src === 'analyzer'
    ? examined.analyzerPaths.has(finding.path)
    : examined.modelPaths.has(finding.path);
}
