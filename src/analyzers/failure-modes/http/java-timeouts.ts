import type { SgNode } from '@ast-grep/napi';
import type { CheckContext } from '../../code/code-analyzer.ts';
import { callOf } from '../../code/calls.ts';
import type { FileIndex } from '../../code/file-index.ts';
import { enclosingFunction } from '../../code/syntax.ts';
import type { TimeoutGap } from './timeout-gap.ts';

const CANDIDATES = new Set([
  'newHttpClient',
  'build',
  'openConnection',
  'RestTemplate',
]);

export function javaTimeoutGaps(context: CheckContext): TimeoutGap[] {
  const gaps: TimeoutGap[] = [];
  for (const site of context.index.calls) {
    if (!CANDIDATES.has(site.name) || !context.touches(site.node)) continue;
    const gap = classify(site.node, context.index);
    if (gap) gaps.push(gap);
  }
  return gaps;
}

function classify(node: SgNode, index: FileIndex): TimeoutGap | undefined {
  const call = callOf(node);
  if (!call) return undefined;
  if (call.constructs) {
    if (call.callee !== 'RestTemplate' || call.args.length > 0)
      return undefined;
    return {
      node,
      title: 'RestTemplate created without timeouts',
      cause:
        'The no-argument RestTemplate uses a request factory with infinite connect and read timeouts.',
      fix: 'Build it with `RestTemplateBuilder` and `.connectTimeout(...)`/`.readTimeout(...)` (or pass a request factory with timeouts).',
    };
  }
  if (
    call.callee === 'HttpClient.newHttpClient' ||
    call.callee.endsWith('.HttpClient.newHttpClient')
  ) {
    return {
      node,
      title: 'HttpClient.newHttpClient() has no connect timeout',
      cause:
        'java.net.http.HttpClient from `newHttpClient()` has no connect timeout, and requests without `.timeout(...)` wait for a response forever.',
      fix: 'Use `HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()` and set `.timeout(...)` on every HttpRequest.',
    };
  }
  if (call.name === 'build') {
    const chain = chainNames(node);
    if (
      /(?:^|\.)HttpClient\.newBuilder$/.test(chain.root) &&
      !chain.names.has('connectTimeout')
    ) {
      return {
        node,
        title: 'HttpClient built without a connect timeout',
        cause:
          'Without `connectTimeout`, connecting to an unreachable host waits for the operating system to give up, which takes minutes.',
        fix: 'Add `.connectTimeout(Duration.ofSeconds(5))` to the builder and set `.timeout(...)` on each request.',
      };
    }
    if (
      /(?:^|\.)HttpRequest\.newBuilder$/.test(chain.root) &&
      !chain.names.has('timeout')
    ) {
      return {
        node,
        title: 'HttpRequest built without a timeout',
        cause:
          'A java.net.http request without `.timeout(...)` waits for the response forever.',
        fix: 'Add `.timeout(Duration.ofSeconds(10))` to the request builder.',
      };
    }
    return undefined;
  }
  if (call.name === 'openConnection' && call.args.length === 0) {
    const method = enclosingFunction(node, 'java') ?? node;
    const set = new Set(index.callsIn(method).map((site) => site.name));
    const missing = ['setConnectTimeout', 'setReadTimeout'].filter(
      (name) => !set.has(name),
    );
    if (missing.length === 0) return undefined;
    return {
      node,
      title: `URLConnection opened without ${missing.join(' and ')}`,
      cause:
        'URLConnection defaults to infinite connect and read timeouts, so an unresponsive server blocks the thread forever.',
      fix: 'Call `setConnectTimeout(...)` and `setReadTimeout(...)` on the connection before connecting, or move to an HTTP client configured with timeouts.',
    };
  }
  return undefined;
}

/** The names called along a builder chain, and where the chain starts (`HttpClient.newBuilder`). */
function chainNames(end: SgNode): { root: string; names: Set<string> } {
  const names = new Set<string>();
  let current: SgNode | null = end;
  let root = '';
  while (current?.kind() === 'method_invocation') {
    const name = current.field('name')?.text() ?? '';
    const object: SgNode | null = current.field('object');
    names.add(name);
    if (object?.kind() !== 'method_invocation') {
      root = object ? `${object.text()}.${name}` : name;
      break;
    }
    current = object;
  }
  return { root, names };
}
