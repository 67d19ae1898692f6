import type { Conclusion } from '../core/gate.ts';
import { ANNOTATIONS_PER_REQUEST, batches, type CheckAnnotation } from '../report/annotations.ts';
import { requestSignal, type GitHubClient } from './github-client.ts';

export const CHECK_RUN_NAME = 'Backend Architect';
export const MAX_TITLE = 255;
export const MAX_OUTPUT_TEXT = 65_535;

export interface CheckRunRef {
  id: number;
  htmlUrl?: string;
}

export interface CheckRunResult {
  conclusion: Conclusion;
  title: string;
  summary: string;
  text?: string;
  annotations?: CheckAnnotation[];
}

interface Repo {
  owner: string;
  repo: string;
}

/** Opens the check run as `in_progress` on the head commit, so the pull request shows the review is under way. */
export async function createCheckRun(octokit: GitHubClient, target: Repo & { headSha: string }, signal?: AbortSignal): Promise<CheckRunRef> {
  const { data } = await octokit.request('POST /repos/{owner}/{repo}/check-runs', {
    owner: target.owner,
    repo: target.repo,
    name: CHECK_RUN_NAME,
    head_sha: target.headSha,
    external_id: target.headSha,
    status: 'in_progress',
    started_at: new Date().toISOString(),
    output: { title: 'Review in progress', summary: 'Backend Architect is reviewing this pull request.' },
    request: { signal: requestSignal(signal) },
  });
  return { id: Number(data.id), htmlUrl: data.html_url ?? undefined };
}

/**
 * Completes the check run with its conclusion and the first 50 annotations, then appends the rest in
 * further updates of 50. Takes no job signal on purpose: a cancelled review must still be able to say so.
 */
export async function completeCheckRun(octokit: GitHubClient, target: Repo & { checkRunId: number }, result: CheckRunResult): Promise<void> {
  const title = truncate(result.title, MAX_TITLE);
  const summary = truncate(result.summary, MAX_OUTPUT_TEXT);
  const text = result.text === undefined ? undefined : truncate(result.text, MAX_OUTPUT_TEXT);
  // GitHub takes 50 annotations per request; later updates append to the earlier ones.
  const groups = batches(result.annotations ?? [], ANNOTATIONS_PER_REQUEST);
  await octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
    owner: target.owner,
    repo: target.repo,
    check_run_id: target.checkRunId,
    status: 'completed',
    conclusion: result.conclusion,
    completed_at: new Date().toISOString(),
    output: { title, summary, ...(text === undefined ? {} : { text }), ...(groups[0] ? { annotations: groups[0] } : {}) },
    request: { signal: requestSignal(undefined) },
  });
  for (const batch of groups.slice(1)) {
    await octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      owner: target.owner,
      repo: target.repo,
      check_run_id: target.checkRunId,
      // title and summary are required with output; repeating them keeps the page as it is.
      output: { title, summary, annotations: batch },
      request: { signal: requestSignal(undefined) },
    });
  }
}

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = '\n\n… (truncated)';
  return max > marker.length * 2 ? text.slice(0, max - marker.length) + marker : text.slice(0, max);
}
