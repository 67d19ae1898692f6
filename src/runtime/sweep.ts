import { z } from 'zod';
import type { Logger } from '../core/logger.ts';
import { completeCheckRun } from '../github/checks/check-run.ts';
import {
  requestSignal,
  statusOf,
  type GitHubClient,
} from '../github/client/github-client.ts';
import { interruptedResult } from './interrupted.ts';
import type { OpenCheckRun, OpenRunStore } from './stores.ts';

const RunStatusSchema = z.object({ status: z.string() });

export interface SweepOptions {
  store: OpenRunStore;
  /** An Octokit for the installation (Probot's `app.auth(id)`). */
  octokitFor(installationId: number): Promise<GitHubClient>;
  logger: Logger;
  /** Runs opened longer ago than this are orphans; 0 at start of a single-process runtime. */
  olderThanMs: number;
  why: 'crashed' | 'stalled';
  /** Whether the review of this run will run again (its delivery is still journaled or queued). */
  resumes(run: OpenCheckRun): boolean;
  /** Runs this process is still working on are never swept. */
  skip?(run: OpenCheckRun): boolean;
}

/**
 * Completes check runs this app left `in_progress`: a run recorded as opened, older than the job
 * deadline, and still open on GitHub is completed with the reason. Returns how many it completed.
 */
export async function sweepOpenCheckRuns(
  options: SweepOptions,
): Promise<number> {
  const now = Date.now();
  let completed = 0;
  for (const run of await options.store.list()) {
    if (now - run.openedAt < options.olderThanMs || options.skip?.(run))
      continue;
    const log = {
      checkRunId: run.id,
      repository: `${run.owner}/${run.repo}`,
      head: run.headSha.slice(0, 7),
      delivery: run.deliveryId,
    };
    try {
      const octokit = await options.octokitFor(run.installationId);
      const { data } = await octokit.request(
        'GET /repos/{owner}/{repo}/check-runs/{check_run_id}',
        {
          owner: run.owner,
          repo: run.repo,
          check_run_id: run.id,
          request: { signal: requestSignal(undefined) },
        },
      );
      if (RunStatusSchema.parse(data).status !== 'completed') {
        await completeCheckRun(
          octokit,
          { owner: run.owner, repo: run.repo, checkRunId: run.id },
          interruptedResult(run, options.why, options.resumes(run)),
        );
        completed++;
        options.logger.warn(log, 'completed a check run left in progress');
      }
      await options.store.closed(run.id);
    } catch (error) {
      // Gone (repository deleted, app uninstalled): nothing is left to complete.
      if (statusOf(error) === 404 || statusOf(error) === 410)
        await options.store.closed(run.id);
      else
        options.logger.error(
          { ...log, err: error },
          'could not sweep a check run; trying again at the next sweep',
        );
    }
  }
  return completed;
}
