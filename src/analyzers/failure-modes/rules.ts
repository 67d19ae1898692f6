import type { RuleDescriptor } from '../../core/rules.ts';

export const HTTP_CALL_WITHOUT_TIMEOUT: RuleDescriptor = {
  id: 'failure-mode/http-call-without-timeout',
  lens: 'failure-mode',
  severity: 'medium',
  title: 'Outbound HTTP call without a timeout',
};

export const RETRY_WITHOUT_BACKOFF: RuleDescriptor = {
  id: 'failure-mode/retry-without-backoff',
  lens: 'failure-mode',
  severity: 'medium',
  title: 'Retry loop without backoff or jitter',
};

export const UNBOUNDED_RETRY: RuleDescriptor = {
  id: 'failure-mode/unbounded-retry',
  lens: 'failure-mode',
  severity: 'high',
  title: 'Retry loop with no attempt limit',
};

export const SWALLOWED_ERROR: RuleDescriptor = {
  id: 'failure-mode/swallowed-error',
  lens: 'failure-mode',
  severity: 'medium',
  title: 'Error caught and silently discarded',
};

export const UNAWAITED_PROMISE: RuleDescriptor = {
  id: 'failure-mode/unawaited-promise',
  lens: 'failure-mode',
  severity: 'high',
  title: 'Promise not awaited in a request handler',
};

export const EXTERNAL_CALL_IN_TRANSACTION: RuleDescriptor = {
  id: 'failure-mode/external-call-in-transaction',
  lens: 'failure-mode',
  severity: 'medium',
  title: 'External call inside a database transaction',
};

export const UNBOUNDED_CONCURRENCY: RuleDescriptor = {
  id: 'failure-mode/unbounded-concurrency',
  lens: 'failure-mode',
  severity: 'medium',
  title: 'Unbounded parallel fan-out over input of unknown size',
};

export const RETRY_WITHOUT_IDEMPOTENCY_KEY: RuleDescriptor = {
  id: 'failure-mode/retry-without-idempotency-key',
  lens: 'failure-mode',
  severity: 'medium',
  title: 'Non-idempotent request retried without an idempotency key',
};

export const rules: RuleDescriptor[] = [
  HTTP_CALL_WITHOUT_TIMEOUT,
  RETRY_WITHOUT_BACKOFF,
  UNBOUNDED_RETRY,
  SWALLOWED_ERROR,
  UNAWAITED_PROMISE,
  EXTERNAL_CALL_IN_TRANSACTION,
  UNBOUNDED_CONCURRENCY,
  RETRY_WITHOUT_IDEMPOTENCY_KEY,
];
