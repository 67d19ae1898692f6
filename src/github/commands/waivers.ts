import type { Config } from '../../config/schema.ts';
import type { Logger } from '../../core/logger.ts';
import { pullRequestCheckOutput } from '../../report/pull-request-report.ts';
import { inlineCode, sanitizeInline } from '../../report/sanitize.ts';
import {
  CHECK_RUNS,
  completeWith,
  type CheckRunApi,
} from '../checks/check-run-api.ts';
import type { GitHubClient } from '../client/github-client.ts';
import type { AppIdentity } from '../client/identity.ts';
import type { PullRequestInfo } from '../repository/pull-request-info.ts';
import { shortSha } from '../review/review-job.ts';
import { loadPullRequestRecord } from '../state/pull-request-record.ts';
import { reportFromState } from '../history/report-from-state.ts';
import {
  compactState,
  type ReviewState,
  type TrackedFinding,
} from '../history/review-state.ts';
import { saveReviewState } from '../state/save-review-state.ts';
import type { CommandSource } from './command-source.ts';

export type WaiverChange =
  | { kind: 'ignore'; id: string; reason: string }
  | { kind: 'unignore'; id: string };

export interface WaiverResult {
  ok: boolean;
  reply: string;
}

/**
 * Records or withdraws a waiver in the pull request's state, then re-decides the gate from the
 * last review: the summary comment and the head's check run show the new verdict at once.
 */
export async function changeWaiver(
  octokit: GitHubClient,
  source: CommandSource,
  change: WaiverChange,
  context: {
    identity: AppIdentity;
    pr: PullRequestInfo;
    config: Config;
    logger: Logger;
    signal?: AbortSignal;
    checks?: CheckRunApi;
  },
): Promise<WaiverResult> {
  const { identity, pr, config, logger } = context;
  const target = {
    owner: source.owner,
    repo: source.repo,
    pullNumber: source.pullNumber,
  };
  const record = await loadPullRequestRecord(
    octokit,
    { ...target, botLogin: identity.login },
    context.signal,
  );
  const state = record.state;
  const finding = findById(state.open, change.id);
  if (!finding) {
    const fixed = state.fixed.find((f) => f.id.toLowerCase() === change.id);
    if (fixed)
      return {
        ok: false,
        reply: `finding ${inlineCode(change.id)} was already fixed in ${inlineCode(shortSha(fixed.in))}; there is nothing to waive.`,
      };
    const ids = state.open
      .slice(0, 10)
      .map((f) => inlineCode(f.id))
      .join(', ');
    return {
      ok: false,
      reply: `no open finding has the id ${inlineCode(change.id)}.${ids ? ` Open findings: ${ids}${state.open.length > 10 ? ', …' : ''}.` : ' This pull request has no open findings.'}`,
    };
  }

  const others = state.waivers.filter((w) => w.fp !== finding.fp);
  const existing = state.waivers.find((w) => w.fp === finding.fp);
  let next: ReviewState;
  if (change.kind === 'ignore') {
    next = {
      ...state,
      waivers: [
        ...others,
        {
          fp: finding.fp,
          id: finding.id,
          title: finding.title,
          by: source.author,
          reason: change.reason,
          at: pr.headSha,
        },
      ],
    };
  } else {
    if (!existing)
      return {
        ok: false,
        reply: `finding ${inlineCode(finding.id)} is not waived.`,
      };
    next = { ...state, waivers: others };
  }
  next = compactState(next);

  const last = state.last;
  let verdict = '';
  if (last) {
    const report = reportFromState(next, last, config);
    await saveReviewState(
      octokit,
      target,
      record.summary,
      next,
      report,
      context.signal,
    );
    // Only the current head's check run gates the merge; an older one is left as it was.
    if (last.head === pr.headSha && last.checkRunId !== undefined) {
      const output = pullRequestCheckOutput(report);
      await completeWith(
        context.checks ?? CHECK_RUNS,
        octokit,
        {
          owner: source.owner,
          repo: source.repo,
          checkRunId: last.checkRunId,
          headSha: pr.headSha,
        },
        { conclusion: report.gate.conclusion, ...output, rereview: true },
      );
    } else {
      logger.info(
        { head: shortSha(pr.headSha), reviewed: shortSha(last.head) },
        'waiver recorded; the next review of the new head applies it',
      );
    }
    verdict = ` The gate is now **${report.gate.conclusion}**: ${sanitizeInline(report.gate.reason, 500)}`;
  }
  const title = sanitizeInline(finding.title, 200);
  const reply =
    change.kind === 'ignore'
      ? `waived ${inlineCode(finding.id)} (${title}): it stays listed but no longer counts toward the gate. Reason recorded: ${sanitizeInline(change.reason, 500)}.${verdict}`
      : `withdrew the waiver of ${inlineCode(finding.id)} (${title}): it counts toward the gate again.${verdict}`;
  return { ok: true, reply };
}

function findById(
  open: readonly TrackedFinding[],
  id: string,
): TrackedFinding | undefined {
  const wanted = id.toLowerCase();
  return (
    open.find((f) => f.id.toLowerCase() === wanted) ??
    (wanted.length >= 8 && !wanted.includes('-')
      ? open.find((f) => f.fp.startsWith(wanted))
      : undefined)
  );
}
