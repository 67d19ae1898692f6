import type { CodeCheck } from '../code/code-analyzer.ts';
import { externalCallInTransaction } from './external-call-in-transaction.ts';
import { httpCallWithoutTimeout } from './http-call-without-timeout.ts';
import { retryPolicy } from './retry-policy.ts';
import { retryWithoutIdempotencyKey } from './retry-without-idempotency-key.ts';
import { swallowedErrors } from './swallowed-errors.ts';
import { unawaitedPromises } from './unawaited-promises.ts';
import { unboundedConcurrency } from './unbounded-concurrency.ts';

/** The failure-mode lens: one check per file, each declaring the rules it reports. */
export const CHECKS: readonly CodeCheck[] = [
  httpCallWithoutTimeout,
  retryPolicy,
  swallowedErrors,
  unawaitedPromises,
  externalCallInTransaction,
  unboundedConcurrency,
  retryWithoutIdempotencyKey,
];
