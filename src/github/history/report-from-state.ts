import type { ConfigProblem } from '../../config/parse-config.ts';
import type { Config } from '../../config/schema.ts';
import type { Finding } from '../../core/finding.ts';
import { decideGate, type GateResult } from '../../core/gate.ts';
import type {
  PullRequestReport,
  ReviewCompleteness,
} from '../../report/pull-request-report.ts';
import { asFinding, type LastRun, type ReviewState } from './review-state.ts';

/** The completeness word of a stored run, for titles. */
export function completenessWord(
  last: Pick<LastRun, 'pending' | 'modelNotConfigured' | 'incomplete'>,
): ReviewCompleteness {
  if (last.pending !== undefined) return 'pending';
  if (last.modelNotConfigured) return 'not-configured';
  if (last.incomplete !== undefined) return 'incomplete';
  return 'complete';
}

/** The gate over the state's open findings and waivers, as the last review left them. */
export function gateFromState(
  state: ReviewState,
  last: LastRun,
  config: Config,
  open: Finding[],
): GateResult<Finding> {
  return decideGate(
    open,
    {
      modelNotConfigured: last.modelNotConfigured,
      incomplete: last.incomplete,
      pending: last.pending,
    },
    config,
    new Set(state.waivers.map((w) => w.fp)),
  );
}

export interface ReportExtras {
  open?: Finding[];
  gate?: GateResult<Finding>;
  fixedNow?: ReviewState['fixed'];
  coverageMarkdown?: string;
  usageLine?: string;
  scopeLine?: string;
  configProblems?: ConfigProblem[];
  summaries?: string[];
  changeMapMarkdown?: string;
}

/**
 * The report of a pull request from its stored state; a review passes what it knows in full
 * (findings with bodies, coverage), a waiver only changes the state and re-renders from it.
 */
export function reportFromState(
  state: ReviewState,
  last: LastRun,
  config: Config,
  extras: ReportExtras = {},
): PullRequestReport {
  const open = extras.open ?? state.open.map(asFinding);
  return {
    headSha: last.head,
    gate: extras.gate ?? gateFromState(state, last, config, open),
    gateSeverity: config.gate.severity,
    completeness: completenessWord(last),
    open,
    waivers: state.waivers.map((w) => ({
      id: w.id,
      fingerprint: w.fp,
      title: w.title,
      by: w.by,
      reason: w.reason,
    })),
    fixedNow: (extras.fixedNow ?? []).map((f) => ({
      id: f.id,
      title: f.title,
      severity: f.sev,
      sha: f.in,
    })),
    fixedRecently: state.fixed.map((f) => ({
      id: f.id,
      title: f.title,
      severity: f.sev,
      sha: f.in,
    })),
    coverageMarkdown:
      extras.coverageMarkdown ?? `### Coverage\n\n${last.coverageLine}`,
    coverageLine: last.coverageLine,
    modelLine: last.modelLine,
    ...(extras.usageLine ? { usageLine: extras.usageLine } : {}),
    ...(extras.scopeLine ? { scopeLine: extras.scopeLine } : {}),
    configProblems: extras.configProblems ?? [],
    summaries: extras.summaries ?? [],
    ...(extras.changeMapMarkdown
      ? { changeMapMarkdown: extras.changeMapMarkdown }
      : {}),
    cost: state.cost,
    reviews: state.reviews,
    ...(last.checkRunUrl ? { checkRunUrl: last.checkRunUrl } : {}),
  };
}
