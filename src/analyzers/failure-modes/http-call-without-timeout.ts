import type { CheckContext, CodeCheck } from '../code/code-analyzer.ts';
import { draftFinding, headLines } from '../code/findings.ts';
import { goTimeoutGaps } from './http/go-timeouts.ts';
import { javaTimeoutGaps } from './http/java-timeouts.ts';
import { jsTimeoutGaps } from './http/js-timeouts.ts';
import { pythonTimeoutGaps } from './http/python-timeouts.ts';
import type { TimeoutGap } from './http/timeout-gap.ts';
import { defineRule } from '../../core/rules.ts';

export const HTTP_CALL_WITHOUT_TIMEOUT = defineRule({
  id: 'failure-mode/http-call-without-timeout',
  severity: 'medium',
  title: 'Outbound HTTP call without a timeout',
  appliesTo: {
    languages: ['javascript', 'typescript', 'python', 'go', 'java'],
  },
});

const GAPS: Record<
  CheckContext['file']['family'],
  (context: CheckContext) => TimeoutGap[]
> = {
  js: jsTimeoutGaps,
  python: pythonTimeoutGaps,
  go: goTimeoutGaps,
  java: javaTimeoutGaps,
};

/**
 * Outbound HTTP without a timeout. Inside a request handler the wait is passed on to our own callers
 * and piles up under load, so it is high; elsewhere (jobs, scripts, client setup) medium.
 */
export const httpCallWithoutTimeout: CodeCheck = {
  rules: [HTTP_CALL_WITHOUT_TIMEOUT],
  families: ['js', 'python', 'go', 'java'],
  run(context) {
    for (const gap of GAPS[context.file.family](context)) {
      const inHandler = context.inRequestHandler(gap.node);
      const impact = inHandler
        ? 'This runs while serving a request, so a slow or hung upstream keeps our caller waiting too; under load the stuck requests pile up until workers, sockets or memory run out.'
        : 'When the upstream hangs, whatever waits on this call (a job, a worker, a startup path) hangs with it.';
      context.report(
        draftFinding(
          HTTP_CALL_WITHOUT_TIMEOUT,
          context.file.path,
          headLines(gap.node),
          { title: gap.title, body: `${gap.cause} ${impact}`, fix: gap.fix },
          { severity: inHandler ? 'high' : 'medium' },
        ),
      );
    }
  },
};
