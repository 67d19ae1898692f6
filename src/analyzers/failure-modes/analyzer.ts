import type { Analyzer } from '../../core/ports.ts';
import { headCodeAnalyzer } from '../code/code-analyzer.ts';
import { externalCallInTransaction } from './external-call-in-transaction.ts';
import { httpCallWithoutTimeout } from './http-call-without-timeout.ts';
import { retryPolicy } from './retry-policy.ts';
import { retryWithoutIdempotencyKey } from './retry-without-idempotency-key.ts';
import { swallowedErrors } from './swallowed-errors.ts';
import { unawaitedPromises } from './unawaited-promises.ts';
import { unboundedConcurrency } from './unbounded-concurrency.ts';

/** Failure-mode rules over changed JavaScript/TypeScript, Python, Go and Java code. */
export function failureModeAnalyzer(): Analyzer {
  return headCodeAnalyzer('failure-modes', ['failure-mode'], [
    httpCallWithoutTimeout,
    retryPolicy,
    swallowedErrors,
    unawaitedPromises,
    externalCallInTransaction,
    unboundedConcurrency,
    retryWithoutIdempotencyKey,
  ]);
}
