import picomatch from 'picomatch';
import {
  isAtLeast,
  type FindingSource,
  type Severity,
} from '../../src/core/finding.ts';
import type { BenchCommit, Label, Risk } from './labels.ts';

/** Findings at this severity and above are comments on a pull request, so they are what is scored. */
export const SCORED_SEVERITY: Severity = 'medium';

/** What the benchmark keeps of a finding. */
export interface ObservedFinding {
  /** `analyzer` or `model`; absent in recorded runs, which are analyzer findings. */
  source?: FindingSource;
  ruleId: string;
  severity: Severity;
  path: string;
  /** First head line, when the finding has lines. */
  line?: number;
  title: string;
}

export interface CommitRun {
  repo: string;
  commit: BenchCommit;
  findings: ObservedFinding[];
  durationMs: number;
}

export type Verdict = Label['verdict'] | 'unlabelled';

export interface JudgedFinding extends ObservedFinding {
  verdict: Verdict;
  reason?: string;
  risk?: string;
}

export interface Tally {
  findings: number;
  true: number;
  false: number;
  debatable: number;
  unlabelled: number;
}

export interface CommitScore {
  run: CommitRun;
  /** Findings at medium and above, each with its label. */
  judged: JudgedFinding[];
  /** Findings below medium: not comments, not scored. */
  minor: number;
  caught: Risk[];
  missed: Risk[];
}

export interface BenchScore {
  commits: CommitScore[];
  byRule: Map<string, Tally>;
  overall: Tally;
  /** true / (true + false + debatable): unlabelled findings are left out and listed instead. */
  precision: number | undefined;
  cleanCommits: number;
  /** Findings at medium and above on clean commits that are not labelled true. */
  cleanFalseComments: number;
  risks: number;
  caught: number;
  recall: number | undefined;
}

export function normaliseTitle(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const globs = new Map<string, (path: string) => boolean>();

/** A label's path is a file, or a glob (with `*`) for a family of files such as one change's migrations. */
export function pathMatches(pattern: string, path: string): boolean {
  if (!pattern.includes('*')) return pattern === path;
  let test = globs.get(pattern);
  if (!test) globs.set(pattern, (test = picomatch(pattern, { dot: true })));
  return test(path);
}

export function labelMatches(label: Label, finding: ObservedFinding): boolean {
  if (label.rule !== finding.ruleId || !pathMatches(label.path, finding.path))
    return false;
  if (label.lines) {
    if (
      finding.line === undefined ||
      finding.line < label.lines[0] ||
      finding.line > label.lines[1]
    )
      return false;
  }
  if (
    label.title &&
    !normaliseTitle(finding.title).includes(normaliseTitle(label.title))
  )
    return false;
  return true;
}

/** The first label of the commit that matches, or undefined. */
export function labelFor(
  labels: readonly Label[],
  finding: ObservedFinding,
): Label | undefined {
  return labels.find((label) => labelMatches(label, finding));
}

export function emptyTally(): Tally {
  return { findings: 0, true: 0, false: 0, debatable: 0, unlabelled: 0 };
}

function count(tally: Tally, verdict: Verdict): void {
  tally.findings += 1;
  tally[
    verdict === 'true' ? 'true' : verdict === 'false' ? 'false' : verdict
  ] += 1;
}

export function strictPrecision(tally: Tally): number | undefined {
  const labelled = tally.true + tally.false + tally.debatable;
  return labelled === 0 ? undefined : tally.true / labelled;
}

export function scoreCommit(run: CommitRun): CommitScore {
  const scored = run.findings.filter((f) =>
    isAtLeast(f.severity, SCORED_SEVERITY),
  );
  const judged = scored.map((finding): JudgedFinding => {
    const label = labelFor(run.commit.labels, finding);
    return label
      ? {
          ...finding,
          verdict: label.verdict,
          reason: label.reason,
          risk: label.risk,
        }
      : { ...finding, verdict: 'unlabelled' };
  });
  const caughtIds = new Set(
    judged.filter((j) => j.verdict === 'true' && j.risk).map((j) => j.risk!),
  );
  return {
    run,
    judged,
    minor: run.findings.length - scored.length,
    caught: run.commit.risks.filter((r) => caughtIds.has(r.id)),
    missed: run.commit.risks.filter((r) => !caughtIds.has(r.id)),
  };
}

export function scoreBench(runs: readonly CommitRun[]): BenchScore {
  const commits = runs.map(scoreCommit);
  const byRule = new Map<string, Tally>();
  const overall = emptyTally();
  let cleanCommits = 0;
  let cleanFalseComments = 0;
  for (const commit of commits) {
    const clean = commit.run.commit.kind === 'clean';
    if (clean) cleanCommits += 1;
    for (const finding of commit.judged) {
      let tally = byRule.get(finding.ruleId);
      if (!tally) byRule.set(finding.ruleId, (tally = emptyTally()));
      count(tally, finding.verdict);
      count(overall, finding.verdict);
      if (clean && finding.verdict !== 'true') cleanFalseComments += 1;
    }
  }
  const risks = commits.reduce((n, c) => n + c.run.commit.risks.length, 0);
  const caught = commits.reduce((n, c) => n + c.caught.length, 0);
  return {
    commits,
    byRule,
    overall,
    precision: strictPrecision(overall),
    cleanCommits,
    cleanFalseComments,
    risks,
    caught,
    recall: risks === 0 ? undefined : caught / risks,
  };
}
