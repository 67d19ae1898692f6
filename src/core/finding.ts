import {
  LENSES,
  LensSchema,
  SEVERITIES,
  SeveritySchema,
  isAtLeast,
  severityRank,
  type Lens,
  type Severity,
} from '../config/vocabulary.ts';

// The lens and severity vocabulary is defined with the configuration; re-exported for the engine's users.
export {
  LENSES,
  LensSchema,
  SEVERITIES,
  SeveritySchema,
  isAtLeast,
  severityRank,
  type Lens,
  type Severity,
};

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
  | {
      kind: 'inline';
      line: number;
      startLine?: number;
      side: Side;
      movedFrom?: number;
    }
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
  /** Model findings: the places the model inspected that support the claim, checked against what it was shown. */
  evidence?: Evidence[];
  /** Model findings whose claim depends on code outside the diff that the model did not show it inspected. */
  unsupported?: boolean;
  /** Set by the verification pass when it lowered the severity, with its reason. */
  verification?: {
    verdict: 'keep' | 'downgrade';
    reason: string;
    from?: Severity;
  };
  /** Set on findings the verification pass dropped; they are listed as suppressed, never posted. */
  suppressed?: { by: 'verification'; reason: string };
}

/** A location the model looked at, shown under its finding as "Looked at: path:line". */
export interface Evidence {
  path: string;
  line: number;
  endLine?: number;
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
