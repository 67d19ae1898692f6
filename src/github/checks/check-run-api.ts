import type { ExistingRun } from './check-run-plan.ts';
import { verdictOf } from './check-run-race.ts';
import {
  appendCheckRunAnnotations,
  completeCheckRunVerdict,
  createCheckRun,
  findCheckRuns,
  updateCheckRunOutput,
  type CheckRunRef,
  type CheckRunResult,
} from './check-run.ts';
import type { GitHubClient } from '../client/github-client.ts';

interface Repo {
  owner: string;
  repo: string;
}

/**
 * Where a review's verdict goes. The app always uses check runs; a run with a token that cannot
 * create them (a person's token, or an Actions job without `checks: write`) puts the same verdict
 * in a commit status instead. The review job only talks to this interface.
 */
export interface CheckRunApi {
  find(
    octokit: GitHubClient,
    target: Repo & { headSha: string; appId: number },
    signal?: AbortSignal,
  ): Promise<ExistingRun[]>;
  create(
    octokit: GitHubClient,
    target: Repo & { headSha: string; externalId: string },
    signal?: AbortSignal,
  ): Promise<CheckRunRef>;
  /**
   * Completes with the verdict and the first annotations. `headSha` names the commit when the run
   * was not found or created by this same object (a waiver updating the verdict).
   */
  complete(
    octokit: GitHubClient,
    target: Repo & { checkRunId: number; headSha?: string },
    result: CheckRunResult,
  ): Promise<void>;
  /** Appends the annotations `complete` left out. */
  appendAnnotations(
    octokit: GitHubClient,
    target: Repo & { checkRunId: number },
    result: CheckRunResult,
  ): Promise<void>;
  updateOutput(
    octokit: GitHubClient,
    target: Repo & { checkRunId: number },
    output: { title: string; summary: string },
  ): Promise<void>;
  verdictOf(
    octokit: GitHubClient,
    target: Repo & { checkRunId: number },
    signal: AbortSignal,
  ): Promise<CheckRunResult>;
}

export const CHECK_RUNS: CheckRunApi = {
  find: findCheckRuns,
  create: createCheckRun,
  complete: completeCheckRunVerdict,
  appendAnnotations: appendCheckRunAnnotations,
  updateOutput: updateCheckRunOutput,
  verdictOf: (octokit, target, signal) => verdictOf(octokit, target, signal),
};

/** Completes with the verdict and every annotation. */
export async function completeWith(
  api: CheckRunApi,
  octokit: GitHubClient,
  target: Repo & { checkRunId: number; headSha?: string },
  result: CheckRunResult,
): Promise<void> {
  await api.complete(octokit, target, result);
  await api.appendAnnotations(octokit, target, result);
}
