import { z } from 'zod';
import type { Conclusion } from '../../core/gate.ts';
import {
  ANNOTATIONS_PER_REQUEST,
  batches,
  type CheckAnnotation,
} from '../../report/annotations.ts';
import type { ExistingRun } from './check-run-plan.ts';
import { requestSignal, type GitHubClient } from '../client/github-client.ts';

export const CHECK_RUN_NAME = 'Backend Architect';
export const MAX_TITLE = 255;
export const MAX_OUTPUT_TEXT = 65_535;

/** The button on completed check runs; GitHub allows 20 characters for label and identifier. */
export const REREVIEW_ACTION = {
  label: 'Re-review',
  description: 'Review the whole pull request again',
  identifier: 'rereview',
} as const;

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
  /** Replaces the run's `external_id`, which records what the run last answered. */
  externalId?: string;
  /** Offer the Re-review button. */
  rereview?: boolean;
}

interface Repo {
  owner: string;
  repo: string;
}

const CheckRunsSchema = z.object({
  check_runs: z.array(
    z.object({
      id: z.int().positive(),
      name: z.string(),
      status: z.string(),
      conclusion: z.string().nullish(),
      external_id: z.string().nullish(),
      started_at: z.string().nullish(),
      html_url: z.string().nullish(),
      app: z.object({ id: z.int() }).nullish(),
    }),
  ),
});

/** This app's "Backend Architect" runs on a commit, newest first; runs of other apps with the same name are ignored. */
export async function findCheckRuns(
  octokit: GitHubClient,
  target: Repo & { headSha: string; appId: number },
  signal?: AbortSignal,
): Promise<ExistingRun[]> {
  const { data } = await octokit.request(
    'GET /repos/{owner}/{repo}/commits/{ref}/check-runs',
    {
      owner: target.owner,
      repo: target.repo,
      ref: target.headSha,
      check_name: CHECK_RUN_NAME,
      filter: 'all',
      per_page: 100,
      request: { signal: requestSignal(signal) },
    },
  );
  const parsed = CheckRunsSchema.safeParse(data);
  if (!parsed.success)
    throw new Error(
      `unexpected response listing check runs: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  return parsed.data.check_runs
    .filter(
      (run) => run.name === CHECK_RUN_NAME && run.app?.id === target.appId,
    )
    .sort((a, b) => b.id - a.id)
    .map((run) => ({
      id: run.id,
      status: run.status,
      ...(run.conclusion ? { conclusion: run.conclusion } : {}),
      ...(run.external_id ? { externalId: run.external_id } : {}),
      ...(run.started_at ? { startedAt: run.started_at } : {}),
      ...(run.html_url ? { htmlUrl: run.html_url } : {}),
    }));
}

/** Opens the check run as `in_progress` on the head commit, so the pull request shows the review is under way. */
export async function createCheckRun(
  octokit: GitHubClient,
  target: Repo & { headSha: string; externalId: string },
  signal?: AbortSignal,
): Promise<CheckRunRef> {
  const { data } = await octokit.request(
    'POST /repos/{owner}/{repo}/check-runs',
    {
      owner: target.owner,
      repo: target.repo,
      name: CHECK_RUN_NAME,
      head_sha: target.headSha,
      external_id: target.externalId,
      status: 'in_progress',
      started_at: new Date().toISOString(),
      output: {
        title: 'Review in progress',
        summary: 'Backend Architect is reviewing this pull request.',
      },
      request: { signal: requestSignal(signal) },
    },
  );
  return { id: Number(data.id), htmlUrl: data.html_url ?? undefined };
}

/**
 * Completes the check run with its conclusion and every annotation. Takes no job signal on purpose:
 * a cancelled review must still be able to say so.
 */
export async function completeCheckRun(
  octokit: GitHubClient,
  target: Repo & { checkRunId: number },
  result: CheckRunResult,
): Promise<void> {
  await completeCheckRunVerdict(octokit, target, result);
  await appendCheckRunAnnotations(octokit, target, result);
}

/**
 * Completes the check run with its verdict and the first 50 annotations. The verdict is what a
 * required check waits for; GitHub paces writes a second apart, so the remaining annotations
 * (appendCheckRunAnnotations) can follow the review instead of delaying it.
 */
export async function completeCheckRunVerdict(
  octokit: GitHubClient,
  target: Repo & { checkRunId: number },
  result: CheckRunResult,
): Promise<void> {
  const { title, summary, text, groups } = outputOf(result);
  await octokit.request(
    'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}',
    {
      owner: target.owner,
      repo: target.repo,
      check_run_id: target.checkRunId,
      status: 'completed',
      conclusion: result.conclusion,
      completed_at: new Date().toISOString(),
      ...(result.externalId === undefined
        ? {}
        : { external_id: result.externalId }),
      ...(result.rereview ? { actions: [{ ...REREVIEW_ACTION }] } : {}),
      output: {
        title,
        summary,
        ...(text === undefined ? {} : { text }),
        ...(groups[0] ? { annotations: groups[0] } : {}),
      },
      request: { signal: requestSignal(undefined) },
    },
  );
}

/** Appends the annotations after the first 50 to a check run completed with `result`, 50 per update. */
export async function appendCheckRunAnnotations(
  octokit: GitHubClient,
  target: Repo & { checkRunId: number },
  result: CheckRunResult,
): Promise<void> {
  const { title, summary, groups } = outputOf(result);
  for (const batch of groups.slice(1)) {
    await octokit.request(
      'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}',
      {
        owner: target.owner,
        repo: target.repo,
        check_run_id: target.checkRunId,
        // title and summary are required with output; repeating them keeps the page as it is.
        output: { title, summary, annotations: batch },
        request: { signal: requestSignal(undefined) },
      },
    );
  }
}

/** The output as GitHub takes it: texts within its limits, annotations in groups of 50 (later updates append to earlier ones). */
function outputOf(result: CheckRunResult) {
  return {
    title: truncate(result.title, MAX_TITLE),
    summary: truncate(result.summary, MAX_OUTPUT_TEXT),
    text:
      result.text === undefined
        ? undefined
        : truncate(result.text, MAX_OUTPUT_TEXT),
    groups: batches(result.annotations ?? [], ANNOTATIONS_PER_REQUEST),
  };
}

/** Replaces a completed check run's title and summary (its conclusion and annotations stay). */
export async function updateCheckRunOutput(
  octokit: GitHubClient,
  target: Repo & { checkRunId: number },
  output: { title: string; summary: string },
): Promise<void> {
  await octokit.request(
    'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}',
    {
      owner: target.owner,
      repo: target.repo,
      check_run_id: target.checkRunId,
      output: {
        title: truncate(output.title, MAX_TITLE),
        summary: truncate(output.summary, MAX_OUTPUT_TEXT),
      },
      request: { signal: requestSignal(undefined) },
    },
  );
}

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = '\n\n… (truncated)';
  return max > marker.length * 2
    ? text.slice(0, max - marker.length) + marker
    : text.slice(0, max);
}
