import type { SgNode } from '@ast-grep/napi';
import { callOf } from '../code/calls.ts';
import type { CallSite } from '../code/calls.ts';
import type { FileIndex } from '../code/file-index.ts';
import type { SourceFile } from '../code/source-file.ts';
import { enclosingFunction, stringValue } from '../code/syntax.ts';
import { goHttpNames } from './http/go-timeouts.ts';
import { jsHttpCalls } from './http/js-http-calls.ts';
import { pythonHttpCalls } from './http/python-http-calls.ts';

/** POST and PATCH are not idempotent by HTTP's definition; PUT and DELETE are. */
const NON_IDEMPOTENT = new Set(['POST', 'PATCH']);
const JAVA_MUTATIONS = new Set([
  'POST',
  'postForObject',
  'postForEntity',
  'postForLocation',
  'patchForObject',
  'exchange',
  'post',
  'patch',
  'method',
]);

/** Outbound POST/PATCH requests inside `scope`. */
export function mutatingRequests(
  file: SourceFile,
  index: FileIndex,
  scope: SgNode,
): SgNode[] {
  const sites = index.callsIn(scope);
  switch (file.family) {
    case 'js':
      return jsHttpCalls(file, sites)
        .filter(
          (c) =>
            c.kind === 'request' &&
            c.method !== undefined &&
            NON_IDEMPOTENT.has(c.method),
        )
        .map((c) => c.call.node);
    case 'python':
      return pythonHttpCalls(file, sites)
        .filter((c) => c.method !== undefined && NON_IDEMPOTENT.has(c.method))
        .map((c) => c.call.node);
    case 'go':
      return goMutatingRequests(file, index, scope, sites);
    case 'java':
      return javaMutatingRequests(sites);
  }
}

function goMutatingRequests(
  file: SourceFile,
  index: FileIndex,
  scope: SgNode,
  sites: CallSite[],
): SgNode[] {
  const http = goHttpNames(file);
  if (http.length === 0) return [];
  const isHttp = (site: CallSite, names: string[]) =>
    http.some((pkg) =>
      names.some(
        (name) =>
          site.callee === `${pkg}.${name}` ||
          site.callee === `${pkg}.DefaultClient.${name}`,
      ),
    );
  const direct = sites
    .filter((site) => isHttp(site, ['Post', 'PostForm']))
    .map((site) => site.node);
  // A request built with POST/PATCH (in the loop or before it) and sent with `.Do` inside the loop.
  const sends = sites
    .filter((site) => site.name === 'Do' && site.callee.includes('.'))
    .map((site) => site.node);
  if (sends.length === 0) return direct;
  const where = enclosingFunction(scope, 'go') ?? scope;
  const builtMutating = index.callsIn(where).some((site) => {
    if (!isHttp(site, ['NewRequest', 'NewRequestWithContext'])) return false;
    const call = callOf(site.node);
    const method =
      call?.name === 'NewRequestWithContext' ? call.args[1] : call?.args[0];
    if (!method) return false;
    const value =
      stringValue(method) ?? method.text().replace(/^.*\.Method/, '');
    return NON_IDEMPOTENT.has(value.toUpperCase());
  });
  return builtMutating ? [...direct, ...sends] : direct;
}

function javaMutatingRequests(sites: CallSite[]): SgNode[] {
  return sites
    .filter((site) => JAVA_MUTATIONS.has(site.name))
    .filter((site) => {
      const call = callOf(site.node);
      if (!call) return false;
      if (call.name === 'exchange' || call.name === 'method')
        return call.args.some((arg) =>
          /HttpMethod\.(?:POST|PATCH)$/.test(arg.text()),
        );
      // WebClient's `.post()` / `.patch()` take no arguments; a `post(...)` with arguments is something else.
      if (call.name === 'post' || call.name === 'patch')
        return (
          call.args.length === 0 &&
          call.receiver !== undefined &&
          /(?:^|\.)\w*client$/i.test(call.receiver.text())
        );
      return true;
    })
    .map((site) => site.node);
}
