import type { SgNode } from '@ast-grep/napi';
import type { CheckContext, CodeCheck } from '../code/code-analyzer.ts';
import { callOf, keywordArgument } from '../code/calls.ts';
import { draftFinding, headLines } from '../code/findings.ts';
import { bindingsOf } from '../code/imports.ts';
import { objectLiteral } from '../code/js-objects.ts';
import { javaAnnotations } from '../code/request-handlers.ts';
import {
  enclosingFunction,
  mentions,
  namedChildren,
  stringValue,
} from '../code/syntax.ts';
import { mutatingRequests } from './mutating-requests.ts';
import { retryLoops } from '../code/loops/retry-loops.ts';
import { defineRule } from '../../core/rules.ts';

export const RETRY_WITHOUT_IDEMPOTENCY_KEY = defineRule({
  id: 'failure-mode/retry-without-idempotency-key',
  severity: 'medium',
  title: 'Non-idempotent request retried without an idempotency key',
  appliesTo: {
    languages: ['javascript', 'typescript', 'python', 'go', 'java'],
  },
});

const IDEMPOTENCY = '(?i)idempot';
const NON_IDEMPOTENT = /^(?:POST|PATCH)$/i;

const BODY =
  'If an attempt times out after the server has already processed it, the retry performs the operation again: a duplicate order, charge or message. Nothing in the request lets the server recognise the repeat.';
const FIX =
  'Send an idempotency key that stays the same across attempts (for example an `Idempotency-Key` header generated once, before the first attempt) and have the server deduplicate on it; otherwise retry only failures that prove the request was not processed (connection refused, 503 from a load balancer).';

/** POST/PATCH requests that a retry loop, retry decorator or retrying client repeats with no idempotency key in sight. */
export const retryWithoutIdempotencyKey: CodeCheck = {
  rules: [RETRY_WITHOUT_IDEMPOTENCY_KEY],
  families: ['js', 'python', 'go', 'java'],
  run(context) {
    const { file, index } = context;
    for (const retry of retryLoops(file.family, index)) {
      if (!context.touches(retry.loop)) continue;
      const request = mutatingRequests(file, index, retry.attempt)[0];
      if (
        !request ||
        mentions(
          enclosingFunction(retry.loop, file.family) ?? retry.loop,
          file.family,
          IDEMPOTENCY,
        )
      )
        continue;
      report(
        context,
        request,
        'A POST/PATCH request is retried by this loop without an idempotency key',
      );
    }
    if (file.family === 'java' && file.text.includes('Retryable'))
      javaRetryable(context);
    if (file.family === 'python' && file.text.includes('Retry('))
      urllib3Retry(context);
    if (file.family === 'js' && file.text.includes('methods'))
      for (const region of context.regions) gotRetry(context, region);
  },
};

function report(context: CheckContext, node: SgNode, title: string): void {
  context.report(
    draftFinding(
      RETRY_WITHOUT_IDEMPOTENCY_KEY,
      context.file.path,
      headLines(node),
      { title, body: BODY, fix: FIX },
    ),
  );
}

/** Spring Retry: `@Retryable` on a method that sends a POST/PATCH. */
function javaRetryable(context: CheckContext): void {
  for (const method of context.index.ofKind('method_declaration')) {
    const retryable = javaAnnotations(method).find(
      (a) => a.name === 'Retryable',
    );
    const body = method.field('body');
    if (!retryable || !body || mentions(method, 'java', IDEMPOTENCY)) continue;
    const request = mutatingRequests(context.file, context.index, body)[0];
    if (!request) continue;
    const changed = [retryable.node, request].some((n) => context.touches(n));
    if (changed)
      report(
        context,
        request,
        '`@Retryable` repeats this POST/PATCH without an idempotency key',
      );
  }
}

/** urllib3's `Retry(allowed_methods=[..., "POST"])` (or `None`, which retries every method). */
function urllib3Retry(context: CheckContext): void {
  const binding = bindingsOf(context.file).get('Retry');
  if (
    !binding ||
    !(
      binding.module.startsWith('urllib3') ||
      binding.module.startsWith('requests')
    )
  )
    return;
  for (const { node, callee } of context.index.calls) {
    if (callee !== 'Retry' || !context.touches(node)) continue;
    const call = callOf(node);
    if (!call) continue;
    const methods =
      keywordArgument(call, 'allowed_methods') ??
      keywordArgument(call, 'method_whitelist');
    if (!methods) continue; // the default set leaves POST and PATCH out
    const retriesAll = methods.kind() === 'none' || methods.kind() === 'false';
    const retriesMutations =
      retriesAll ||
      methods
        .findAll({ rule: { kind: 'string' } })
        .some((s) => NON_IDEMPOTENT.test(stringValue(s) ?? ''));
    if (!retriesMutations || mentions(context.file.root, 'python', IDEMPOTENCY))
      continue;
    report(
      context,
      node,
      retriesAll
        ? '`Retry(allowed_methods=None)` retries POST/PATCH without an idempotency key'
        : '`Retry` is configured to repeat POST/PATCH without an idempotency key',
    );
  }
}

/** got's `retry: { methods: [..., 'POST'] }`. */
function gotRetry(context: CheckContext, region: SgNode): void {
  if (
    !bindingsOf(context.file).size ||
    ![...bindingsOf(context.file).values()].some((b) => b.module === 'got')
  )
    return;
  for (const pair of region.findAll({
    rule: { kind: 'pair', has: { field: 'key', regex: '^retry$' } },
  })) {
    const retry = objectLiteral(pair.field('value') ?? undefined);
    const methods = retry?.value('methods');
    if (!methods || !context.touches(pair)) continue;
    const listed = namedChildren(methods).map((m) => stringValue(m) ?? '');
    if (
      !listed.some((m) => NON_IDEMPOTENT.test(m)) ||
      mentions(context.file.root, 'js', IDEMPOTENCY)
    )
      continue;
    report(
      context,
      pair,
      'got is configured to retry POST/PATCH without an idempotency key',
    );
  }
}
