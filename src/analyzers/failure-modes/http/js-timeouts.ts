import type { SgNode } from '@ast-grep/napi';
import type { CheckContext } from '../../code/code-analyzer.ts';
import { visiblyLacks } from '../../code/js-objects.ts';
import type { SourceFile } from '../../code/source-file.ts';
import { jsHttpCalls, type JsHttpCall } from './js-http-calls.ts';
import type { TimeoutGap } from './timeout-gap.ts';

const TIMEOUT_KEYS: Record<JsHttpCall['library'], string[]> = {
  fetch: ['signal', 'timeout'], // `timeout` is node-fetch 2's own option
  axios: ['timeout', 'signal'],
  got: ['timeout', 'signal'],
  undici: ['headersTimeout', 'bodyTimeout', 'signal'],
};

export function jsTimeoutGaps(context: CheckContext): TimeoutGap[] {
  const gaps: TimeoutGap[] = [];
  let axiosDefaults: boolean | undefined;
  for (const found of jsHttpCalls(context.file, context.index.calls)) {
    const node = found.call.node;
    if (!context.touches(node)) continue;
    if (!visiblyLacks(found.options, TIMEOUT_KEYS[found.library])) continue;
    if (
      found.library === 'fetch' &&
      found.call.args[0]?.kind() === 'new_expression'
    )
      continue; // a Request object may carry its own signal
    if (found.library === 'axios') {
      axiosDefaults ??= setsAxiosDefaultTimeout(context.file);
      if (axiosDefaults) continue;
    }
    gaps.push(describe(found, node));
  }
  return gaps;
}

function describe(found: JsHttpCall, node: SgNode): TimeoutGap {
  switch (found.library) {
    case 'fetch':
      return {
        node,
        title: 'fetch() without a timeout',
        cause:
          'fetch has no overall timeout: without an AbortSignal it waits up to 300 seconds for headers and can wait forever on a body that stalls mid-stream.',
        fix: "Pass `signal: AbortSignal.timeout(ms)` (combine it with a caller's signal through `AbortSignal.any`) and handle the `TimeoutError`.",
      };
    case 'axios':
      return found.kind === 'instance'
        ? {
            node,
            title: 'axios instance created without a timeout',
            cause:
              'axios defaults to `timeout: 0`, which means no timeout, and every request made through this instance inherits it.',
            fix: 'Create the instance with a timeout, e.g. `axios.create({ timeout: 5000, ... })`.',
          }
        : {
            node,
            title: 'axios request without a timeout',
            cause:
              'axios defaults to `timeout: 0`, which means it waits for the server forever.',
            fix: 'Pass `timeout` (or `signal: AbortSignal.timeout(ms)`) in the request config, or send requests through an instance created with a timeout.',
          };
    case 'got':
      return {
        node,
        title:
          found.kind === 'instance'
            ? 'got instance extended without a timeout'
            : 'got request without a timeout',
        cause:
          'got sets no timeout by default, so a server that accepts the connection and never answers holds the call open indefinitely.',
        fix: 'Set `timeout: { request: ms }` (and `connect`/`response` as needed) in the options.',
      };
    case 'undici':
      return {
        node,
        title: 'undici request without timeouts',
        cause:
          'undici waits up to 300 seconds for response headers and another 300 seconds between body chunks unless told otherwise.',
        fix: 'Set `headersTimeout` and `bodyTimeout` (or pass `signal: AbortSignal.timeout(ms)`) in the request options.',
      };
  }
}

/** `axios.defaults.timeout = ...` in this file gives every default-instance call a timeout. */
function setsAxiosDefaultTimeout(file: SourceFile): boolean {
  if (!file.text.includes('defaults')) return false;
  return (
    file.root.find({
      rule: {
        kind: 'assignment_expression',
        has: { field: 'left', regex: '\\.defaults\\.timeout$' },
      },
    }) !== null
  );
}
