import { LENSES, LensSchema, SEVERITIES, SeveritySchema, isAtLeast, severityRank, type Lens, type Severity } from '../config/vocabulary.ts';

// The lens and severity vocabulary is defined with the configuration; re-exported for the engine's users.
export { LENSES, LensSchema, SEVERITIES, SeveritySchema, isAtLeast, severityRank, type Lens, type Severity };

export const LENS_TITLES: Record<Lens, string> = {
  'api-contract': 'API contract',
  schema: 'Data & schema',
  'failure-mode': 'Failure modes',
  security: 'Security',
  performance: 'Performance',
};

/** RIGHT: the head side of the diff (added or context lines); LEFT: the base side (removed lines). */
export type Side = 'RIGHT' | 'LEFT';

export interface LineRange {
  start: number;
  end: number;
  side: Side;
}

/**
 * Where a finding is shown on GitHub. `inline` anchors are guaranteed to be inside one hunk of the
 * file's patch; everything else is reported at file level in the summary.
 */
export type Placement =
  | { kind: 'inline'; line: number; startLine?: number; side: Side; movedFrom?: number }
  | { kind: 'file'; reason: string };

/** Who produced a finding: a deterministic analyzer rule, or the model. */
export type FindingSource = 'analyzer' | 'model';

/** A finding as an analyzer or the model reports it, before identity and placement are assigned. */
export interface DraftFinding {
  lens: Lens;
  severity: Severity;
  /** `<lens>/<rule>` for analyzer findings, `<lens>/model` for model findings. */
  ruleId: string;
  source: FindingSource;
  path: string;
  /** Absent for findings about a whole file. */
  lines?: LineRange;
  title: string;
  body: string;
  fix?: string;
  /** 0..1, model findings only. */
  confidence?: number;
  /** Unchanged code a cross-check depends on, e.g. a reference to a dropped column. */
  related?: Array<{ path: string; line: number; note: string }>;
}

export interface Finding extends DraftFinding {
  /** Short stable id users quote in commands, derived from the fingerprint. */
  id: string;
  /** Stable across pushes: rule + path + normalised code around the finding, not the line number. */
  fingerprint: string;
  placement: Placement;
}

export function modelRuleId(lens: Lens): string {
  return `${lens}/model`;
}
