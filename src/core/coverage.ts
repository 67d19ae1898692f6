/** What was and was not reviewed, and why. A review never claims more than this says. */
export type FileReviewStatus =
  | 'reviewed'
  | 'partial'
  | 'not-reviewed'
  | 'out-of-scope';

export interface FileCoverage {
  path: string;
  status: FileReviewStatus;
  /** Human-readable reasons, e.g. "no patch from GitHub (binary or too large)". */
  reasons: string[];
}

/** A problem an analyzer or the model step hit, e.g. "could not analyse: syntax error at line 3". */
export interface CoverageNote {
  source: string;
  message: string;
  path?: string;
  line?: number;
}

export type ModelStatus =
  | 'completed'
  | 'partial'
  | 'failed'
  | 'not-configured'
  | 'disabled'
  | 'skipped';

export interface ModelCoverage {
  status: ModelStatus;
  detail?: string;
  chunksTotal: number;
  chunksReviewed: number;
}

export interface Coverage {
  files: FileCoverage[];
  notes: CoverageNote[];
  model: ModelCoverage;
  /** True when every in-scope file was fully reviewed by every step that should have run. */
  complete: boolean;
  /** Files the source could not list at all (e.g. beyond GitHub's 3000-file limit). */
  unlistedFiles: number;
  /** Deterministic analyzers that failed as a whole (their notes say why). */
  failedAnalyzers?: string[];
}
