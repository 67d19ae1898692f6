import type { SgNode } from '@ast-grep/napi';
import { callOf, keywordArgument, type Call } from '../../code/calls.ts';
import type { FileIndex } from '../../code/file-index.ts';
import { bindingsOf, localNames } from '../../code/imports.ts';
import type { SourceFile } from '../../code/source-file.ts';
import { namedChildren, namesIn } from '../../code/syntax.ts';
import type { DelayKind } from '../../code/loops/delays.ts';

/** A function retried by tenacity's `@retry` decorator. */
export interface RetryDecorator {
  decorator: SgNode;
  unbounded: boolean;
  delay: DelayKind;
}

/** tenacity's `@retry` with no `stop=` retries forever, and with no `wait=` retries immediately. */
export function tenacityRetries(
  file: SourceFile,
  index: FileIndex,
): RetryDecorator[] {
  const bindings = bindingsOf(file);
  const names = new Set([
    ...localNames(bindings, 'tenacity', 'retry'),
    ...localNames(bindings, 'tenacity', '*').map((m) => `${m}.retry`),
  ]);
  if (names.size === 0) return [];
  const found: RetryDecorator[] = [];
  const decorators = index
    .ofKind('decorated_definition')
    .flatMap((definition) =>
      namedChildren(definition).filter((child) => child.kind() === 'decorator'),
    );
  for (const decorator of decorators) {
    const expression = namedChildren(decorator)[0];
    if (!expression) continue;
    if (names.has(expression.text())) {
      found.push({ decorator, unbounded: true, delay: 'none' });
      continue;
    }
    const call = expression.kind() === 'call' ? callOf(expression) : undefined;
    if (!call || !names.has(call.callee)) continue;
    found.push({
      decorator,
      unbounded: keywordArgument(call, 'stop') === undefined && !forwards(call),
      delay: waitKind(call),
    });
  }
  return found;
}

function waitKind(call: Call): DelayKind {
  const wait = keywordArgument(call, 'wait');
  if (!wait) return forwards(call) ? 'growing' : 'none';
  // wait_fixed / wait_none alone are constant; anything combined with random or exponential waits grows.
  const strategies = namesIn(wait, 'python').filter((name) =>
    name.startsWith('wait_'),
  );
  return strategies.length > 0 &&
    strategies.every((name) => name === 'wait_fixed' || name === 'wait_none')
    ? 'fixed'
    : 'growing';
}

function forwards(call: Call): boolean {
  return call.args.some((arg) => arg.kind() === 'dictionary_splat');
}
