import { externalId, readExternalId } from '../github/checks/check-run-plan.ts';
import type { CheckRunResult } from '../github/checks/check-run.ts';
import type { OpenCheckRun } from './stores.ts';

/**
 * How a check run ends when the process running its review stopped first. It is marked `ended`,
 * so the review that resumes (after a restart, or on another worker) takes the run over.
 */
export function interruptedResult(
  run: OpenCheckRun,
  why: 'shutdown' | 'crashed' | 'stalled',
  resumes: boolean | 'restart' | 'worker',
): CheckRunResult {
  const mark = readExternalId(run.externalId);
  const cause = {
    shutdown: 'The server shut down before this review finished.',
    crashed: 'The process running this review stopped before it finished.',
    stalled: `The review did not finish within its deadline; the process running it stopped.`,
  }[why];
  const next =
    resumes === 'restart'
      ? ' It runs again when the server is back; push again or use Re-run if it does not.'
      : resumes
        ? ' The review resumes automatically; its verdict replaces this one.'
        : ' Push again or use Re-run to review this commit.';
  return {
    conclusion: why === 'stalled' ? 'neutral' : 'cancelled',
    title: why === 'stalled' ? 'Review interrupted' : 'Review cancelled',
    summary: cause + next,
    ...(mark ? { externalId: externalId({ ...mark, outcome: 'ended' }) } : {}),
    rereview: true,
  };
}
