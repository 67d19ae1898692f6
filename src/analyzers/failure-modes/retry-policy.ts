import type { SgNode } from '@ast-grep/napi';
import type { DraftFinding } from '../../core/finding.ts';
import type { CodeCheck } from '../code/code-analyzer.ts';
import { draftFinding } from '../code/findings.ts';
import { startLine } from '../code/syntax.ts';
import type { DelayKind } from '../code/loops/delays.ts';
import { retryLoops } from '../code/loops/retry-loops.ts';
import { tenacityRetries } from './retry/tenacity.ts';
import { defineRule } from '../../core/rules.ts';

export const RETRY_WITHOUT_BACKOFF = defineRule({
  id: 'failure-mode/retry-without-backoff',
  severity: 'medium',
  title: 'Retry loop without backoff or jitter',
  appliesTo: {
    languages: ['javascript', 'typescript', 'python', 'go', 'java'],
  },
});

export const UNBOUNDED_RETRY = defineRule({
  id: 'failure-mode/unbounded-retry',
  severity: 'high',
  title: 'Retry loop with no attempt limit',
  appliesTo: {
    languages: ['javascript', 'typescript', 'python', 'go', 'java'],
  },
});

const CAP =
  'Cap the attempts (three to five is typical) and rethrow the last error once they are used up';
const BACKOFF =
  'wait between attempts with exponential backoff plus random jitter (e.g. `base * 2 ** attempt * (0.5 + Math.random())`, capped)';

/**
 * Retry loops and retry decorators: no attempt limit → unbounded-retry; immediate or lock-step
 * retries → retry-without-backoff. A loop that has both problems is reported once, as unbounded.
 */
export const retryPolicy: CodeCheck = {
  rules: [RETRY_WITHOUT_BACKOFF, UNBOUNDED_RETRY],
  families: ['js', 'python', 'go', 'java'],
  run(context) {
    const { file, index } = context;
    for (const retry of retryLoops(file.family, index)) {
      if (!context.touches(retry.loop)) continue;
      const finding = judge(
        file.path,
        retry.loop,
        retry.unbounded,
        retry.delay,
        'loop',
      );
      if (finding) context.report(finding);
    }
    if (file.family === 'python' && file.text.includes('tenacity')) {
      for (const retry of tenacityRetries(file, index)) {
        if (!context.touches(retry.decorator)) continue;
        const finding = judge(
          file.path,
          retry.decorator,
          retry.unbounded,
          retry.delay,
          'decorator',
        );
        if (finding) context.report(finding);
      }
    }
  },
};

function judge(
  path: string,
  node: SgNode,
  unbounded: boolean,
  delay: DelayKind,
  shape: 'loop' | 'decorator',
): DraftFinding | undefined {
  const line = startLine(node);
  const lines = { start: line, end: line, side: 'RIGHT' as const };
  const what =
    shape === 'loop' ? 'This retry loop' : 'This `@retry` (no `stop=`)';
  if (unbounded) {
    return delay === 'none'
      ? draftFinding(UNBOUNDED_RETRY, path, lines, {
          title: 'Retry loop never gives up and never waits',
          body: `${what} retries immediately and only success ends it. When the failure is permanent (dependency down, bad credentials, a bug) it spins forever: it burns a CPU core, hammers the failing dependency and floods the logs, and the caller never gets an error.`,
          fix: `${CAP}, and ${BACKOFF}.`,
        })
      : draftFinding(
          UNBOUNDED_RETRY,
          path,
          lines,
          {
            title: 'Retry loop never gives up',
            body: `${what} has no attempt or time limit: when the failure is permanent, the caller waits forever and the error is never reported or alerted on.`,
            fix: `${CAP}, or bound the total time (a deadline), and surface the error.`,
          },
          { severity: 'medium' },
        );
  }
  if (delay === 'none') {
    return draftFinding(RETRY_WITHOUT_BACKOFF, path, lines, {
      title: 'Retries fire back-to-back with no delay',
      body: `${shape === 'loop' ? 'This retry loop' : 'This `@retry` (no `wait=`)'} retries immediately. A dependency that fails because it is overloaded gets several times the load at its worst moment, and the attempts all land within milliseconds, before a transient fault can clear.`,
      fix: `Keep the attempt limit and ${BACKOFF}.`,
    });
  }
  if (delay === 'fixed') {
    return draftFinding(
      RETRY_WITHOUT_BACKOFF,
      path,
      lines,
      {
        title: 'Retries wait a fixed time without jitter',
        body: 'Every attempt waits the same constant delay. When many clients fail at once they all retry in lock-step, hitting the recovering dependency in synchronised waves.',
        fix: `Grow the delay with each attempt and add random jitter: ${BACKOFF}.`,
      },
      { severity: 'low' },
    );
  }
  return undefined;
}
