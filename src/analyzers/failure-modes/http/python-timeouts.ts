import type { CheckContext } from '../../code/code-analyzer.ts';
import {
  forwardsKeywords,
  keywordArgument,
  positional,
} from '../../code/calls.ts';
import { pythonHttpCalls } from './python-http-calls.ts';
import type { TimeoutGap } from './timeout-gap.ts';

export function pythonTimeoutGaps(context: CheckContext): TimeoutGap[] {
  const gaps: TimeoutGap[] = [];
  for (const found of pythonHttpCalls(context.file, context.index.calls)) {
    const node = found.call.node;
    if (!context.touches(node)) continue;
    const timeout = keywordArgument(found.call, 'timeout');
    if (found.library === 'httpx') {
      // httpx times out after 5 s by default; only an explicit `None` turns that off.
      const args = positional(found.call);
      const disabled =
        timeout?.kind() === 'none' ||
        (found.member === 'Timeout' &&
          found.call.args.length === 1 &&
          args[0]?.kind() === 'none');
      if (!disabled) continue;
      gaps.push({
        node,
        title: `httpx.${found.member}() with its timeout turned off`,
        cause:
          "Passing `None` removes httpx's default 5-second timeout, so the call waits for the server forever.",
        fix: 'Keep a finite timeout, e.g. `timeout=httpx.Timeout(10.0, connect=3.0)`.',
      });
      continue;
    }
    if (forwardsKeywords(found.call) && timeout === undefined) continue; // `**kwargs` may carry a timeout
    if (timeout !== undefined && timeout.kind() !== 'none') continue;
    const label =
      found.library === 'requests-session'
        ? `session.${found.member}()`
        : `requests.${found.member}()`;
    gaps.push({
      node,
      title:
        timeout === undefined
          ? `${label} without a timeout`
          : `${label} with timeout=None`,
      cause:
        'requests never times out unless `timeout=` is given: a server that accepts the connection and stops answering blocks the call forever.',
      fix: 'Pass `timeout=(connect_seconds, read_seconds)`, e.g. `timeout=(3.05, 10)`, and handle `requests.Timeout`.',
    });
  }
  return gaps;
}
