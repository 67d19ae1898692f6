import {
  summaryCommentBody,
  type PullRequestReport,
} from '../../report/pull-request-report.ts';
import type { GitHubClient } from '../client/github-client.ts';
import { withMarker } from '../history/markers.ts';
import type { ReviewState } from '../history/review-state.ts';
import type { PullRequestRecord } from './pull-request-record.ts';
import { saveSummaryComment, type SummaryWrite } from './summary-comment.ts';

/**
 * Writes a pull request's review state: the summary comment shows `report` and carries `state` in
 * its marker. Reviews, waivers and explanations all write the state through this one function.
 */
export async function saveReviewState(
  octokit: GitHubClient,
  target: { owner: string; repo: string; pullNumber: number },
  existing: PullRequestRecord['summary'],
  state: ReviewState,
  report: PullRequestReport,
  signal?: AbortSignal,
): Promise<{ id: number; write: SummaryWrite }> {
  return saveSummaryComment(
    octokit,
    target,
    existing,
    withMarker(summaryCommentBody(report), 'state', state),
    signal,
  );
}
