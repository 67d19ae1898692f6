import type { SgNode } from '@ast-grep/napi';
import type { CheckContext } from '../../code/code-analyzer.ts';
import { bindingsOf, localNames } from '../../code/imports.ts';
import type { SourceFile } from '../../code/source-file.ts';
import { compact, namedChildren } from '../../code/syntax.ts';
import type { TimeoutGap } from './timeout-gap.ts';

/** Local names of net/http (usually just `http`). */
export function goHttpNames(file: SourceFile): string[] {
  return localNames(bindingsOf(file), 'net/http');
}

const DEFAULT_CLIENT_HELPERS = new Set(['Get', 'Post', 'Head', 'PostForm']);

/** `http.Get(...)`, `http.DefaultClient.Do(...)`: requests through the client that has no timeout. */
export function isDefaultClientCall(
  callee: string,
  http: readonly string[],
): boolean {
  const parts = callee.split('.');
  if (!http.includes(parts[0]!)) return false;
  if (parts.length === 2) return DEFAULT_CLIENT_HELPERS.has(parts[1]!);
  return (
    parts.length === 3 &&
    parts[1] === 'DefaultClient' &&
    (parts[2] === 'Do' || DEFAULT_CLIENT_HELPERS.has(parts[2]!))
  );
}

export function goTimeoutGaps(context: CheckContext): TimeoutGap[] {
  const http = goHttpNames(context.file);
  if (http.length === 0) return [];
  const gaps: TimeoutGap[] = [];
  for (const site of context.index.calls) {
    if (!isDefaultClientCall(site.callee, http) || !touches(context, site.node))
      continue;
    gaps.push({
      node: site.node,
      title: `${site.callee}() uses the default client, which has no timeout`,
      cause:
        'http.DefaultClient has no Timeout, and these helpers take no context, so nothing bounds how long the call waits for the server.',
      fix: 'Use a shared `&http.Client{Timeout: 10 * time.Second}`, or build the request with `http.NewRequestWithContext` and a context deadline.',
    });
  }
  let deadlines: boolean | undefined;
  for (const node of context.index.ofKind('composite_literal')) {
    const type = node.field('type');
    if (
      !type ||
      !http.some((name) => compact(type) === `${name}.Client`) ||
      !touches(context, node)
    )
      continue;
    const keys = literalKeys(node);
    // A custom transport or per-request deadlines are other ways to bound the wait; do not second-guess them.
    if (keys.has('Timeout') || keys.has('Transport')) continue;
    deadlines ??= usesContextDeadlines(context);
    if (deadlines) continue;
    gaps.push({
      node,
      title: 'http.Client without a Timeout',
      cause:
        'An http.Client with a zero Timeout waits for the server forever, and every request sent through it inherits that.',
      fix: 'Set `Timeout` on the client (e.g. `&http.Client{Timeout: 10 * time.Second}`) or give every request a context with a deadline.',
    });
  }
  return gaps;
}

function touches(context: CheckContext, node: SgNode): boolean {
  return context.touches(node);
}

function literalKeys(literal: SgNode): Set<string> {
  const body = literal.field('body');
  const keys = new Set<string>();
  if (!body) return keys;
  for (const element of namedChildren(body)) {
    if (element.kind() === 'keyed_element')
      keys.add(element.field('key')?.text() ?? '');
  }
  return keys;
}

function usesContextDeadlines(context: CheckContext): boolean {
  const { file } = context;
  if (!file.text.includes('WithTimeout') && !file.text.includes('WithDeadline'))
    return false;
  return context.index.calls.some((site) =>
    /^context\.With(?:Timeout|Deadline)/.test(site.callee),
  );
}
