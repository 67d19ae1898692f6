import { z } from 'zod';
import type { Conclusion } from '../../core/gate.ts';
import { readExternalId, type ExistingRun } from './check-run-plan.ts';
import type { CheckRunResult } from './check-run.ts';
import { requestSignal, type GitHubClient } from '../client/github-client.ts';

/** How often a worker that lost a race looks at the winner's check run. */
export const RIVAL_POLL_MS = 1000;

/**
 * Two workers that start the same work at the same moment both see no check run and both create
 * one. The older run wins: the worker holding the newer one does no review of its own.
 */
export function rivalOf(
  runs: readonly ExistingRun[],
  own: number,
  head: string,
  trigger: string,
  oncePerHead: boolean,
): ExistingRun | undefined {
  return runs
    .filter((run) => run.id < own)
    .sort((a, b) => a.id - b.id)
    .find((run) => {
      const mark = readExternalId(run.externalId);
      return (
        mark !== undefined &&
        mark.head === head.toLowerCase() &&
        mark.outcome === 'working' &&
        (oncePerHead || mark.trigger === trigger)
      );
    });
}

const RunSchema = z.object({
  status: z.string(),
  conclusion: z.string().nullish(),
  external_id: z.string().nullish(),
  output: z
    .object({
      title: z.string().nullish(),
      summary: z.string().nullish(),
      text: z.string().nullish(),
    })
    .nullish(),
});

/**
 * Waits for the winner's run to complete and returns its verdict, so the loser's run (which
 * GitHub cannot delete) says the same and neither can pass the gate on its own.
 */
export async function verdictOf(
  octokit: GitHubClient,
  target: { owner: string; repo: string; checkRunId: number },
  signal: AbortSignal,
  pollMs = RIVAL_POLL_MS,
): Promise<CheckRunResult> {
  for (;;) {
    const { data } = await octokit.request(
      'GET /repos/{owner}/{repo}/check-runs/{check_run_id}',
      {
        owner: target.owner,
        repo: target.repo,
        check_run_id: target.checkRunId,
        request: { signal: requestSignal(signal) },
      },
    );
    const run = RunSchema.parse(data);
    if (run.status === 'completed' && run.conclusion) {
      return {
        conclusion: run.conclusion as Conclusion,
        title: run.output?.title ?? 'Reviewed',
        summary: `${run.output?.summary ?? ''}\n\n_This run mirrors check run ${target.checkRunId}, which reviewed the same commit at the same time._`,
        ...(run.output?.text ? { text: run.output.text } : {}),
        ...(run.external_id ? { externalId: run.external_id } : {}),
        rereview: true,
      };
    }
    signal.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, pollMs);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
