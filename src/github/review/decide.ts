import type { ConfigProblem } from '../../config/parse-config.ts';
import type { Config } from '../../config/schema.ts';
import type { ChangeSet } from '../../core/change-set.ts';
import {
  isAtLeast,
  LENSES,
  type Finding,
  type Lens,
} from '../../core/finding.ts';
import {
  completenessOf,
  evaluateGate,
  type GateResult,
} from '../../core/gate.ts';
import type { ReviewResult } from '../../core/review.ts';
import { annotationsFor } from '../../report/annotations.ts';
import { changeMapMarkdown } from '../../report/change-map-markdown.ts';
import { skippedOutput } from '../../report/check-run-output.ts';
import { configProblemsMarkdown } from '../../report/config-problems.ts';
import {
  coverageCountsLine,
  coverageMarkdown,
} from '../../report/coverage-markdown.ts';
import { investigationLine } from '../../report/investigation-line.ts';
import {
  pullRequestCheckOutput,
  type PullRequestReport,
} from '../../report/pull-request-report.ts';
import { sanitizeInline } from '../../report/sanitize.ts';
import { usageText } from '../../report/status-lines.ts';
import type { CheckRunRef, CheckRunResult } from '../checks/check-run.ts';
import { externalId } from '../checks/check-run-plan.ts';
import { examinedBy, stillUnreviewed } from '../history/examined.ts';
import { adoptModelIdentities } from '../history/model-identity.ts';
import { reconcile } from '../history/reconcile.ts';
import { reportFromState } from '../history/report-from-state.ts';
import type { ReviewScope } from '../history/review-scope.ts';
import {
  addCost,
  asFinding,
  compactState,
  MAX_UNREVIEWED,
  type LastRun,
  type ReviewState,
  type TrackedFinding,
} from '../history/review-state.ts';
import { modelLineFor, scopeLine } from '../history/scope-lines.ts';
import type { PullRequestInfo } from '../repository/pull-request-info.ts';
import {
  openBefore,
  type PullRequestRecord,
} from '../state/pull-request-record.ts';
import type { PublishOutcome } from './publish-review.ts';
import { triggerKey, type ReviewJob } from './review-job.ts';
import type { EngineRun } from './run-engine.ts';
import type { ReviewEnding } from './review-settings.ts';

/** What happened, for the command reply and the logs. */
export interface ReviewSummary {
  reviewed: boolean;
  newFindings: number;
  fixed: number;
  open: number;
  reviewPosted: boolean;
  gateReason?: string;
}

export interface DecisionInput {
  job: ReviewJob;
  pr: PullRequestInfo;
  check: CheckRunRef;
  config: Config;
  problems: ConfigProblem[];
  record: PullRequestRecord;
  changeSet: ChangeSet;
  scope: ReviewScope;
  engine: EngineRun;
  /** Time spent so far, for the usage line. */
  durationMs: number;
}

/** A reviewed head: the verdict, the report (rendered once) and what is posted and stored after the verdict. */
export interface Decision {
  kind: 'reviewed';
  /** How the check run completes. */
  result: CheckRunResult;
  /** The report shown by the check run and the summary comment. */
  report: PullRequestReport;
  /** The engine's findings, coverage and usage with the gate as posted, for callers that also print a report (CLI, Action). */
  engine: ReviewResult;
  /** New findings severe enough for the review's comments. */
  toComment: Finding[];
  /** Threads to resolve (fixed findings) and reopen (findings back after a fix), by fingerprint. */
  threads: { resolve: string[]; reopen: string[] };
  /** The next stored state except what depends on posting (settledState fills it in). */
  state: StateBase;
  counts: { fixed: number; open: number };
}

/** A head that is not reviewed (turned off, skipped, a draft, nothing in scope) or whose review ended early. */
export interface Ending {
  kind: 'ended';
  result: CheckRunResult;
  /** Absent when the review failed or stopped: nothing was reviewed and nothing is reported. */
  summary?: ReviewSummary;
}

interface StateBase {
  next: Omit<ReviewState, 'resolving' | 'unreviewed' | 'last' | 'truncated'>;
  last: LastRun;
  /** Paths the model still owes, before the posting outcome adds the files of unposted model findings. */
  owed: string[];
  modelEnabled: boolean;
}

/**
 * Decides a reviewed head against its history: model findings keep their identity across small
 * edits, findings are reconciled with those posted before (new, still open, fixed, reopened), the
 * gate is evaluated over every open finding, and the report is rendered.
 */
export function decide(input: DecisionInput): Decision {
  const { job, pr, check, config, record, changeSet, scope, engine } = input;
  const { result, hold, spent, selection, modelPaths } = engine;
  const state = record.state;
  const lenses = new Set<Lens>(LENSES.filter((lens) => config.lenses[lens]));
  const previous = openBefore(record);
  const examined = examinedBy(
    result,
    changeSet,
    lenses,
    modelPaths,
    previous.map((f) => f.path),
  );
  const fixedBefore = new Set(state.fixed.map((f) => f.fp));
  // What the app's comments carry, not what the state says: a review that failed to post is posted next time.
  // A model finding repeated after a small edit keeps the identity (and the thread) it had.
  const findings = adoptModelIdentities(previous, result.findings, state.fixed);
  const lifecycle = reconcile({
    previous,
    current: findings,
    posted: record.posted,
    fixedBefore,
    examined,
  });

  const openFps = new Set(lifecycle.open.map((f) => f.fp));
  const waivers = state.waivers.filter((w) => openFps.has(w.fp));
  const waivedFps = new Set(waivers.map((w) => w.fp));
  const open: Finding[] = [...findings, ...lifecycle.carried.map(asFinding)];
  const pending = hold
    ? `The AI review awaits a maintainer: ${hold}. Someone with write access can comment \`/architect review\` to run it.`
    : spent
      ? `The AI review did not run: ${spent}. The deterministic analyzers ran.`
      : undefined;
  const gate = evaluateGate(open, result.coverage, config, {
    waived: waivedFps,
    ...(pending ? { pending } : {}),
  });

  const reopenedFps = new Set(lifecycle.reopened.map((f) => f.fingerprint));
  const resolve = [
    ...new Set([
      ...lifecycle.fixed.map((f) => f.fp),
      ...state.resolving.filter(
        (fp) => !reopenedFps.has(fp) && !openFps.has(fp),
      ),
    ]),
  ];
  const fixedNow = lifecycle.fixed.map((f) => fixedEntry(f, pr.headSha));
  const modelLine = spent
    ? `ℹ️ AI review not run: ${spent}; the deterministic analyzers ran.`
    : modelLineFor(result.coverage, scope, hold);
  const last: LastRun = {
    head: pr.headSha,
    ...completenessOf(result.coverage, pending),
    coverageLine: coverageCountsLine(result.coverage).slice(0, 1000),
    modelLine: modelLine.slice(0, 1500),
    checkRunId: check.id,
    ...(check.htmlUrl ? { checkRunUrl: check.htmlUrl.slice(0, 500) } : {}),
  };
  const meantForModel = result.coverage.files
    .filter(
      (f) =>
        f.status !== 'out-of-scope' &&
        (selection === undefined || selection.has(f.path)),
    )
    .map((f) => f.path);
  const base: StateBase = {
    next: {
      v: 1,
      head: pr.headSha,
      open: lifecycle.open,
      waivers,
      fixed: [
        ...fixedNow,
        ...state.fixed.filter(
          (f) => !reopenedFps.has(f.fp) && !openFps.has(f.fp),
        ),
      ].slice(0, 500),
      cost: addCost(state.cost, result.usage),
      reviews: state.reviews + 1,
    },
    last,
    owed: config.model.enabled
      ? stillUnreviewed(state.unreviewed, meantForModel, examined, changeSet)
      : [],
    modelEnabled: config.model.enabled,
  };
  // Quiet by default: minor findings stay in the check run and the summary, not in the review.
  const toComment = lifecycle.toPost.filter((f) =>
    isAtLeast(f.severity, config.comments.min_severity),
  );
  const threads = { resolve, reopen: [...reopenedFps] };
  // The report does not depend on how posting goes (only the stored state does), so it is rendered
  // once, before posting, as if posting will succeed.
  const expected: PublishOutcome = {
    posted: toComment.length > 0,
    folded: false,
    inlineComments: 0,
    fingerprints: toComment.map((f) => f.fingerprint),
  };
  const report = reportFromState(
    settledState({ state: base, toComment, threads }, expected, true),
    last,
    config,
    {
      open,
      gate,
      fixedNow,
      coverageMarkdown: coverageMarkdown(result.coverage),
      usageLine: [
        usageText(result.usage, (t) => sanitizeInline(t, 100), {
          model: engine.model,
          durationMs: input.durationMs,
        }),
        investigationLine(result),
      ]
        .filter((part) => part !== undefined)
        .map((part) => sanitizeInline(part, 600))
        .join(' · '),
      changeMapMarkdown: changeMapMarkdown(result.changeMap),
      scopeLine: scopeLine(scope, modelPaths, hold),
      configProblems: input.problems,
      summaries: result.summaries,
    },
  );
  const output = pullRequestCheckOutput(report);
  return {
    kind: 'reviewed',
    result: {
      conclusion: gate.conclusion,
      title: output.title,
      summary: output.summary,
      ...(output.text ? { text: output.text } : {}),
      annotations: annotationsFor(
        open.filter((f) => !waivedFps.has(f.fingerprint)),
      ),
      externalId: mark(job, pr, 'reviewed'),
      rereview: true,
    },
    report,
    engine: { ...result, gate: gate as GateResult<Finding> },
    toComment,
    threads,
    state: base,
    counts: {
      fixed: lifecycle.fixed.length,
      open: open.length - waivers.length,
    },
  };
}

/**
 * The state stored after posting: files of model findings that could not be posted are owed to the
 * model again, and threads that could not be synced are resolved by the next review.
 */
export function settledState(
  decision: Pick<Decision, 'state' | 'toComment' | 'threads'>,
  published: PublishOutcome | undefined,
  threadsSynced: boolean,
): ReviewState {
  const { next, last, owed, modelEnabled } = decision.state;
  // Model findings that could not be posted come back only if the model looks at their files again.
  const owedNext =
    published === undefined
      ? decision.toComment
          .filter((f) => f.source === 'model')
          .map((f) => f.path)
      : [];
  const unreviewed = modelEnabled
    ? [...new Set([...owed, ...owedNext])].sort()
    : [];
  return compactState({
    ...next,
    resolving: threadsSynced ? [] : decision.threads.resolve.slice(0, 500),
    unreviewed: unreviewed.slice(0, MAX_UNREVIEWED),
    last,
    ...(unreviewed.length > MAX_UNREVIEWED ? { truncated: true } : {}),
  });
}

export function summaryOf(
  decision: Pick<Decision, 'counts' | 'result' | 'engine'>,
  published: PublishOutcome | undefined,
): ReviewSummary {
  return {
    reviewed: true,
    newFindings: published?.fingerprints.length ?? 0,
    fixed: decision.counts.fixed,
    open: decision.counts.open,
    reviewPosted: published?.posted ?? false,
    gateReason: decision.engine.gate.reason,
  };
}

/** A head not reviewed, for a reason the check run states. */
export function ended(
  job: ReviewJob,
  pr: PullRequestInfo,
  ending: ReviewEnding,
  problems: ConfigProblem[],
): Ending {
  return {
    kind: 'ended',
    result: {
      conclusion: 'skipped',
      title: ending.title,
      summary: skippedOutput(ending.reason).summary + problemsNote(problems),
      externalId: mark(job, pr, 'ended'),
    },
    summary: {
      reviewed: false,
      newFindings: 0,
      fixed: 0,
      open: 0,
      reviewPosted: false,
      gateReason: ending.reason,
    },
  };
}

/** A review that failed or was stopped (superseded, cancelled, timed out), with its ending. */
export function stopped(
  job: ReviewJob,
  pr: PullRequestInfo,
  ending: Omit<CheckRunResult, 'externalId' | 'rereview'>,
  problems: ConfigProblem[],
): Ending {
  return {
    kind: 'ended',
    result: {
      ...ending,
      summary: ending.summary + problemsNote(problems),
      externalId: mark(job, pr, 'ended'),
      rereview: true,
    },
  };
}

function mark(
  job: ReviewJob,
  pr: PullRequestInfo,
  outcome: 'reviewed' | 'ended',
): string {
  return externalId({
    head: pr.headSha,
    trigger: triggerKey(job.trigger),
    outcome,
  });
}

/** Model findings keep their place, so a return after a small edit reopens their thread. */
function fixedEntry(
  f: TrackedFinding,
  headSha: string,
): ReviewState['fixed'][number] {
  return {
    fp: f.fp,
    id: f.id,
    title: f.title,
    sev: f.sev,
    in: headSha,
    ...(f.src === 'model'
      ? {
          src: f.src,
          lens: f.lens,
          path: f.path,
          ...(f.start ? { start: f.start } : {}),
          ...(f.end ? { end: f.end } : {}),
          ...(f.side ? { side: f.side } : {}),
        }
      : {}),
  };
}

/** Config problems on paths that end before the full report is rendered. */
function problemsNote(problems: ConfigProblem[]): string {
  const markdown = configProblemsMarkdown(problems);
  return markdown === '' ? '' : `\n\n${markdown}`;
}
