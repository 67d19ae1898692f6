import type { SgNode } from '@ast-grep/napi';
import { callOf, positional } from '../calls.ts';
import type { FileIndex } from '../file-index.ts';
import type { LanguageFamily } from '../source-file.ts';
import { mentions, namesIn } from '../syntax.ts';

/** How a retry loop waits between attempts. */
export type DelayKind = 'none' | 'fixed' | 'growing';

const DELAY_NAME =
  /(?:sleep|delay|wait|backoff|settimeout|pause|after)[\w$]*$/i;
// Names that are constants whatever the attempt: SCREAMING_CASE and duration units.
const CONSTANT_NAME =
  /^(?:[A-Z][A-Z0-9_]*|time|Second|Millisecond|Microsecond|Nanosecond|Minute|Hour|Duration|TimeUnit|Thread|Math|asyncio|timers|promises)$/;

/**
 * Classifies the waits inside a loop: none at all, only constant delays without jitter, or delays
 * that depend on something (attempt number, computed backoff, random jitter).
 */
export function delayKind(
  loop: SgNode,
  family: LanguageFamily,
  index: FileIndex,
): DelayKind {
  const waits = index
    .callsIn(loop)
    .filter((site) => DELAY_NAME.test(site.name));
  if (waits.length === 0) return 'none';
  if (mentions(loop, family, '(?i)random|rand|jitter')) return 'growing';
  for (const site of waits) {
    const call = callOf(site.node);
    if (!call) return 'growing';
    const args = positional(call);
    const amount = call.name.toLowerCase() === 'settimeout' ? args[1] : args[0];
    if (!amount || !isConstant(amount, family)) return 'growing';
  }
  return 'fixed';
}

function isConstant(expression: SgNode, family: LanguageFamily): boolean {
  return namesIn(expression, family).every((name) => CONSTANT_NAME.test(name));
}
