import type { ConfigProblem, ParsedConfig } from '../../config/parse-config.ts';
import type { Config } from '../../config/schema.ts';
import type { ChangeSet } from '../../core/change-set.ts';
import { isAtLeast, LENSES, type Finding, type Lens } from '../../core/finding.ts';
import { completenessOf, evaluateGate } from '../../core/gate.ts';
import type { Logger } from '../../core/logger.ts';
import type { Analyzer, ModelReviewer, SecretRedactor } from '../../core/ports.ts';
import { reviewChangeSet, type ReviewResult } from '../../core/review.ts';
import { scopeMatcher } from '../../core/scope.ts';
import { annotationsFor } from '../../report/annotations.ts';
import { skippedOutput } from '../../report/check-run-output.ts';
import { configProblemsMarkdown } from '../../report/config-problems.ts';
import { coverageCountsLine, coverageMarkdown } from '../../report/coverage-markdown.ts';
import { pullRequestCheckOutput, summaryCommentBody } from '../../report/pull-request-report.ts';
import { sanitizeInline } from '../../report/sanitize.ts';
import { usageText } from '../../report/status-lines.ts';
import { changeMapMarkdown } from '../../report/change-map-markdown.ts';
import { investigationLine } from '../../report/investigation-line.ts';
import { externalId } from '../checks/check-run-plan.ts';
import { CHECK_RUNS, type CheckRunApi } from '../checks/check-run-api.ts';
import type { CheckRunRef, CheckRunResult } from '../checks/check-run.ts';
import { messageOf, type GitHubClient } from '../client/github-client.ts';
import type { AppIdentity } from '../client/identity.ts';
import { compareCommits } from '../repository/compare-commits.ts';
import { examinedBy, stillUnreviewed } from '../history/examined.ts';
import { adoptModelIdentities } from '../history/model-identity.ts';
import { reconcile } from '../history/reconcile.ts';
import { needsComparison, selectReviewScope, type ReviewScope } from '../history/review-scope.ts';
import { modelLineFor, scopeLine } from '../history/scope-lines.ts';
import { syncReviewThreads } from './sync-threads.ts';
import { loadRepoConfig } from '../repository/load-repo-config.ts';
import { publishReview, type PublishOutcome } from './publish-review.ts';
import { pullRequestChangeSet } from '../repository/pull-request-change-set.ts';
import type { PullRequestInfo } from '../repository/pull-request-info.ts';
import { requestedByPerson, shortSha, triggerKey, type ReviewJob } from './review-job.ts';
import { withMarker } from '../history/markers.ts';
import { loadPullRequestRecord, openBefore, postedFingerprints } from '../state/pull-request-record.ts';
import { reportFromState } from '../history/report-from-state.ts';
import { addCost, asFinding, compactState, MAX_UNREVIEWED, type LastRun, type ReviewState } from '../history/review-state.ts';
import { saveSummaryComment } from '../state/summary-comment.ts';
import { modelHold, skipRequest } from './trust.ts';

export interface ReviewerOptions {
  model: string;
  maxOutputTokens: number;
  timeoutMs: number;
  logger: Logger;
  /** The model of the verification pass; absent when verification is off. */
  verifyModel?: string;
}

/** What a review needs besides the pull request; injected so tests can pass fakes. */
export interface GitHubReviewDeps {
  createReviewer(options: ReviewerOptions): ModelReviewer | undefined;
  analyzers: Analyzer[];
  redactor?: SecretRedactor;
  logger: Logger;
  readBudgetBytes?: number;
  /** Where verdicts go; check runs unless the token cannot create them (see CheckRunApi). */
  checks?: CheckRunApi;
}

export interface ReviewRunInput {
  job: ReviewJob;
  pr: PullRequestInfo;
  identity: AppIdentity;
  check: CheckRunRef;
  deps: GitHubReviewDeps;
  signal: AbortSignal;
  started: number;
  /** Filled as soon as the config is read, so an error ending can still report config problems. */
  problems: ConfigProblem[];
}

/** What happened, for the command reply and the logs. */
export interface ReviewSummary {
  reviewed: boolean;
  newFindings: number;
  fixed: number;
  open: number;
  reviewPosted: boolean;
  gateReason?: string;
}

export interface ReviewRun {
  /** How the check run completes. */
  result: CheckRunResult;
  summary: ReviewSummary;
  /** Work done once the check run is complete: posting the review, resolving threads, saving the summary comment and its state. */
  afterCheck?: () => Promise<ReviewSummary>;
  /** The engine's findings, coverage and usage with the gate as posted, for callers that also print a report (CLI, Action). */
  engine?: ReviewResult;
}

/**
 * One review of a pull request's current head, across its history: analyzers on the whole pull
 * request, the model on what changed since the last reviewed head (or everything when asked),
 * new findings posted once, fixed ones resolved, and the check run and summary comment showing
 * every open finding of the pull request.
 */
export async function reviewPullRequest(input: ReviewRunInput): Promise<ReviewRun> {
  const { job, pr, identity, check, deps, signal } = input;
  const logger = deps.logger;
  const { octokit, owner, repo } = job;
  const ended = (title: string, reason: string, problems: ConfigProblem[]) => ({
    result: { conclusion: 'skipped' as const, title, summary: skippedOutput(reason).summary + problemsNote(problems), externalId: mark(input, 'ended') },
    summary: { reviewed: false, newFindings: 0, fixed: 0, open: 0, reviewPosted: false, gateReason: reason },
  });

  const parsed: ParsedConfig = await loadRepoConfig(octokit, job, signal);
  const config = narrowLenses(parsed.config, job.trigger.kind === 'command' ? job.trigger.lens : undefined);
  input.problems.push(...parsed.problems);
  if (parsed.problems.length > 0) logger.warn({ problems: parsed.problems }, 'invalid configuration; defaults used');

  if (!config.enabled) return ended('Review turned off', 'Backend Architect is turned off for this repository (`enabled: false`).', parsed.problems);
  const skip = skipRequest(pr);
  if (skip) return ended('Review skipped', `${skip} Remove it to have the pull request reviewed.`, parsed.problems);
  // Drafts get a check run that says why nothing happened; `ready_for_review` starts the real review.
  if (pr.draft && !config.review_drafts && !requestedByPerson(job.trigger)) {
    return ended('Draft pull request', 'Draft pull request: the review runs when it is marked ready for review (or set `review_drafts: true` to review drafts).', parsed.problems);
  }

  const recordTarget = { owner, repo, pullNumber: pr.number, botLogin: identity.login };
  const [record, changeSet] = await Promise.all([
    loadPullRequestRecord(octokit, recordTarget, signal),
    pullRequestChangeSet({ octokit, owner, repo, pr }, { maxFileBytes: config.limits.max_file_bytes, readBudgetBytes: deps.readBudgetBytes, logger, signal }),
  ]);
  if (changeSet.listingComplete && !hasFileInScope(changeSet, config)) {
    const count = changeSet.files.length;
    return ended('No backend changes', `No backend files changed: none of the ${count} changed file${count === 1 ? ' is' : 's are'} under the configured paths.`, parsed.problems);
  }

  const state = record.state;
  const scope = await chooseScope(octokit, job, pr, state, changeSet, signal);
  const reviewer = deps.createReviewer({ model: config.model.name, maxOutputTokens: config.model.max_output_tokens, timeoutMs: config.model.timeout_seconds * 1000, logger, ...(config.model.verify ? { verifyModel: config.model.verify_model } : {}) });
  // Only a model that would run can be held back; without one the review says it is not configured.
  const hold = reviewer && config.model.enabled ? modelHold(pr, config, requestedByPerson(job.trigger)) : undefined;
  const owed = new Set(state.unreviewed);
  const selection = scope.kind === 'incremental' ? new Set([...scope.paths, ...[...owed].filter((p) => changeSet.files.some((f) => f.path === p))]) : undefined;
  const modelPaths = hold ? new Set<string>() : selection;

  const result = await reviewChangeSet(changeSet, config, { analyzers: deps.analyzers, reviewer, redactor: deps.redactor, logger, signal, ...(modelPaths ? { modelPaths } : {}) }).finally(() =>
    changeSet.repository?.close(),
  );
  logger.info({ findings: result.findings.length, model: result.coverage.model.status, scope: scope.kind, usage: result.usage }, 'review computed');
  // A newer push may have arrived while the engine ran; its review replaces this one. From here on
  // the writes run to the end, so the state on GitHub stays consistent.
  signal.throwIfAborted();

  const lenses = new Set<Lens>(LENSES.filter((lens) => config.lenses[lens]));
  const previous = openBefore(record);
  const examined = examinedBy(result, changeSet, lenses, modelPaths, previous.map((f) => f.path));
  const fixedBefore = new Set(state.fixed.map((f) => f.fp));
  // What the app's comments carry, not what the state says: a review that failed to post is posted next time.
  // A model finding repeated after a small edit keeps the identity (and the thread) it had.
  const findings = adoptModelIdentities(previous, result.findings, state.fixed);
  const lifecycle = reconcile({ previous, current: findings, posted: record.posted, fixedBefore, examined });

  const openFps = new Set(lifecycle.open.map((f) => f.fp));
  const waivers = state.waivers.filter((w) => openFps.has(w.fp));
  const open: Finding[] = [...findings, ...lifecycle.carried.map(asFinding)];
  const pending = hold ? `The AI review awaits a maintainer: ${hold}. Someone with write access can comment \`/architect review\` to run it.` : undefined;
  const gate = evaluateGate(open, result.coverage, config, { waived: new Set(waivers.map((w) => w.fp)), ...(pending ? { pending } : {}) });

  const reopenedFps = new Set(lifecycle.reopened.map((f) => f.fingerprint));
  const resolve = [...new Set([...lifecycle.fixed.map((f) => f.fp), ...state.resolving.filter((fp) => !reopenedFps.has(fp) && !openFps.has(fp))])];
  const fixedNow = lifecycle.fixed.map((f) => ({
    fp: f.fp,
    id: f.id,
    title: f.title,
    sev: f.sev,
    in: pr.headSha,
    // Model findings keep their place, so a return after a small edit reopens their thread.
    ...(f.src === 'model' ? { src: f.src, lens: f.lens, path: f.path, ...(f.start ? { start: f.start } : {}), ...(f.end ? { end: f.end } : {}), ...(f.side ? { side: f.side } : {}) } : {}),
  }));
  const modelLine = modelLineFor(result.coverage, scope, hold);
  const last: LastRun = {
    head: pr.headSha,
    ...completenessOf(result.coverage, pending),
    coverageLine: coverageCountsLine(result.coverage).slice(0, 1000),
    modelLine: modelLine.slice(0, 1500),
    checkRunId: check.id,
    ...(check.htmlUrl ? { checkRunUrl: check.htmlUrl.slice(0, 500) } : {}),
  };
  const meantForModel = result.coverage.files.filter((f) => f.status !== 'out-of-scope' && (selection === undefined || selection.has(f.path))).map((f) => f.path);
  const waivedFps = new Set(waivers.map((w) => w.fp));

  /** The state and report once the review is posted and threads are resolved, or not. */
  const settle = (published: PublishOutcome | undefined, threadsSynced: boolean) => {
    // Model findings that could not be posted come back only if the model looks at their files again.
    const owedNext = published === undefined ? toComment.filter((f) => f.source === 'model').map((f) => f.path) : [];
    const unreviewed = config.model.enabled ? [...new Set([...stillUnreviewed(state.unreviewed, meantForModel, examined, changeSet), ...owedNext])].sort() : [];
    const next: ReviewState = compactState({
      v: 1,
      head: pr.headSha,
      open: lifecycle.open,
      waivers,
      fixed: [...fixedNow, ...state.fixed.filter((f) => !reopenedFps.has(f.fp) && !openFps.has(f.fp))].slice(0, 500),
      cost: addCost(state.cost, result.usage),
      reviews: state.reviews + 1,
      resolving: threadsSynced ? [] : resolve.slice(0, 500),
      unreviewed: unreviewed.slice(0, MAX_UNREVIEWED),
      last,
      ...(unreviewed.length > MAX_UNREVIEWED ? { truncated: true } : {}),
    });
    const report = reportFromState(next, last, config, {
      open,
      gate,
      fixedNow,
      coverageMarkdown: coverageMarkdown(result.coverage),
      usageLine: [usageText(result.usage, (t) => sanitizeInline(t, 100), { model: reviewer?.model, durationMs: Math.round(performance.now() - input.started) }), investigationLine(result)]
        .filter((part) => part !== undefined)
        .map((part) => sanitizeInline(part, 600))
        .join(' · '),
      changeMapMarkdown: changeMapMarkdown(result.changeMap),
      scopeLine: scopeLine(scope, modelPaths, hold),
      configProblems: parsed.problems,
      summaries: result.summaries,
    });
    return { next, report };
  };
  const summaryOf = (published: PublishOutcome | undefined): ReviewSummary => ({
    reviewed: true,
    newFindings: published?.fingerprints.length ?? 0,
    fixed: lifecycle.fixed.length,
    open: open.length - waivers.length,
    reviewPosted: published?.posted ?? false,
    gateReason: gate.reason,
  });

  // The verdict goes out first, as if posting will succeed: a required check waits for it, and
  // GitHub spaces writes a second or more apart. If posting then fails, the check run says so.
  // Quiet by default: minor findings stay in the check run and the summary, not in the review.
  const toComment = lifecycle.toPost.filter((f) => isAtLeast(f.severity, config.comments.min_severity));
  const expected = pullRequestCheckOutput(settle({ posted: toComment.length > 0, folded: false, inlineComments: 0, fingerprints: toComment.map((f) => f.fingerprint) }, true).report);
  const afterCheck = async (): Promise<ReviewSummary> => {
    const notes: string[] = [];
    const published = await publishReview(
      octokit,
      { owner, repo, pullNumber: pr.number, headSha: pr.headSha },
      { ...result, findings: toComment, gate },
      { checkRunUrl: check.htmlUrl, logger, alreadyPosted: () => postedFingerprints(octokit, recordTarget) },
    ).catch((error: unknown) => {
      logger.error({ err: error }, 'could not post the review');
      notes.push(`The review comments could not be posted (${sanitizeInline(messageOf(error), 1000)}); the findings are in this check run's annotations.`);
      return undefined;
    });
    const threadsSynced = await syncReviewThreads(octokit, { owner, repo, pullNumber: pr.number }, record, { resolve, reopen: [...reopenedFps] }, pr.headSha, logger).then(
      () => true,
      (error: unknown) => {
        logger.error({ err: error }, 'could not update the review threads');
        notes.push(`The threads of fixed findings could not be resolved (${sanitizeInline(messageOf(error), 500)}); the next review tries again.`);
        return false;
      },
    );
    const { next, report } = settle(published, threadsSynced);
    if (notes.length > 0) {
      const output = pullRequestCheckOutput(report);
      const warnings = notes.map((n) => `> [!WARNING]\n> ${n}\n\n`).join('');
      await (deps.checks ?? CHECK_RUNS).updateOutput(octokit, { owner, repo, checkRunId: check.id }, { title: output.title, summary: warnings + output.summary }).catch((error: unknown) =>
        logger.error({ err: error }, 'could not add the posting problem to the check run'),
      );
    }
    await saveSummaryComment(octokit, { owner, repo, pullNumber: pr.number }, record.summary, withMarker(summaryCommentBody(report), 'state', next)).catch((error: unknown) =>
      logger.error({ err: error }, 'could not save the summary comment; the next review writes it'),
    );
    return summaryOf(published);
  };

  return {
    result: {
      conclusion: gate.conclusion,
      title: expected.title,
      summary: expected.summary,
      ...(expected.text ? { text: expected.text } : {}),
      annotations: annotationsFor(open.filter((f) => !waivedFps.has(f.fingerprint))),
      externalId: mark(input, 'reviewed'),
      rereview: true,
    },
    summary: summaryOf(undefined),
    afterCheck,
    engine: { ...result, gate },
  };
}

export function mark(input: Pick<ReviewRunInput, 'job' | 'pr'>, outcome: 'reviewed' | 'ended'): string {
  return externalId({ head: input.pr.headSha, trigger: triggerKey(input.job.trigger), outcome });
}

async function chooseScope(octokit: GitHubClient, job: ReviewJob, pr: PullRequestInfo, state: ReviewState, changeSet: ChangeSet, signal: AbortSignal): Promise<ReviewScope> {
  const base = { forceFull: requestedByPerson(job.trigger), lastHead: state.head, head: pr.headSha, stateTruncated: state.truncated === true };
  const pullRequestPaths = new Set(changeSet.files.map((f) => f.path));
  if (!needsComparison(base)) return selectReviewScope({ ...base, pullRequestPaths });
  const comparison = await compareCommits(octokit, { owner: job.owner, repo: job.repo, base: state.head!, head: pr.headSha }, signal);
  return selectReviewScope({ ...base, pullRequestPaths, comparison });
}

/** `/architect review <lens>` reviews through that lens only. */
function narrowLenses(config: Config, lens: Lens | undefined): Config {
  if (!lens) return config;
  return { ...config, lenses: Object.fromEntries(LENSES.map((l) => [l, l === lens && config.lenses[l]])) as Config['lenses'] };
}

function hasFileInScope(changeSet: ChangeSet, config: Config): boolean {
  const inScope = scopeMatcher(config.paths);
  return changeSet.files.some((file) => inScope(file.path) || (file.previousPath !== undefined && inScope(file.previousPath)));
}

/** Config problems on paths that end before the full report is rendered. */
export function problemsNote(problems: ConfigProblem[]): string {
  const markdown = configProblemsMarkdown(problems);
  return markdown === '' ? '' : `\n\n${markdown}`;
}
