import type { Logger } from '../../core/logger.ts';
import {
  pullRequestCheckOutput,
  type PullRequestReport,
} from '../../report/pull-request-report.ts';
import { sanitizeInline } from '../../report/sanitize.ts';
import type { CheckRunApi } from '../checks/check-run-api.ts';
import { messageOf, type GitHubClient } from '../client/github-client.ts';
import type { PullRequestInfo } from '../repository/pull-request-info.ts';
import {
  postedFingerprints,
  type PullRequestRecord,
  type RecordTarget,
} from '../state/pull-request-record.ts';
import type { Decision } from './decide.ts';
import { publishReview, type PublishOutcome } from './publish-review.ts';
import { syncReviewThreads } from './sync-threads.ts';

/** How a write after the verdict went; `note` says what failed, for the check run's summary. */
export interface PostingStep {
  note?: string;
}

/** Posts the review with the new findings; a failure becomes a note, since the verdict is already out. */
export async function postReview(
  octokit: GitHubClient,
  target: RecordTarget,
  pr: PullRequestInfo,
  decision: Pick<Decision, 'engine' | 'toComment'>,
  options: { checkRunUrl?: string; logger: Logger },
): Promise<PostingStep & { published?: PublishOutcome }> {
  try {
    const published = await publishReview(
      octokit,
      {
        owner: target.owner,
        repo: target.repo,
        pullNumber: pr.number,
        headSha: pr.headSha,
      },
      { ...decision.engine, findings: decision.toComment },
      {
        checkRunUrl: options.checkRunUrl,
        logger: options.logger,
        alreadyPosted: () => postedFingerprints(octokit, target),
      },
    );
    return { published };
  } catch (error) {
    options.logger.error({ err: error }, 'could not post the review');
    return {
      note: `The review comments could not be posted (${sanitizeInline(messageOf(error), 1000)}); the findings are in this check run's annotations.`,
    };
  }
}

/** Resolves the threads of fixed findings and reopens those of findings that came back. */
export async function syncThreads(
  octokit: GitHubClient,
  target: { owner: string; repo: string; pullNumber: number },
  record: Pick<PullRequestRecord, 'findingComments'>,
  decision: Pick<Decision, 'threads'>,
  headSha: string,
  logger: Logger,
): Promise<PostingStep & { synced: boolean }> {
  try {
    await syncReviewThreads(
      octokit,
      target,
      record,
      decision.threads,
      headSha,
      logger,
    );
    return { synced: true };
  } catch (error) {
    logger.error({ err: error }, 'could not update the review threads');
    return {
      synced: false,
      note: `The threads of fixed findings could not be resolved (${sanitizeInline(messageOf(error), 500)}); the next review tries again.`,
    };
  }
}

/** Puts what failed after the verdict at the top of the check run's summary; nothing to do when all went well. */
export async function notePostingProblems(
  checks: CheckRunApi,
  octokit: GitHubClient,
  target: { owner: string; repo: string; checkRunId: number },
  report: PullRequestReport,
  steps: readonly PostingStep[],
  logger: Logger,
): Promise<void> {
  const notes = steps.flatMap((step) => (step.note ? [step.note] : []));
  if (notes.length === 0) return;
  const output = pullRequestCheckOutput(report);
  const warnings = notes.map((n) => `> [!WARNING]\n> ${n}\n\n`).join('');
  await checks
    .updateOutput(octokit, target, {
      title: output.title,
      summary: warnings + output.summary,
    })
    .catch((error: unknown) =>
      logger.error(
        { err: error },
        'could not add the posting problem to the check run',
      ),
    );
}
