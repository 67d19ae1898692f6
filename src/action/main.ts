/**
 * The GitHub Action's TypeScript entry, imported by `bootstrap.js` once the dependencies are
 * installed. Cancelling the workflow sends SIGINT (then SIGTERM): the review stops and its check
 * run is completed as cancelled.
 */
import { WorkflowCancelledError } from './cancelled.ts';
import { runAction } from './run-action.ts';

const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => controller.abort(new WorkflowCancelledError()));

process.exitCode = await runAction(
  process.env,
  { stdout: process.stdout, stderr: process.stderr },
  { signal: controller.signal },
);
