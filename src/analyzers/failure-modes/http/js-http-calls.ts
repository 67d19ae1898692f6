import type { SgNode } from '@ast-grep/napi';
import { callOf, type Call } from '../../code/calls.ts';
import type { CallSite } from '../../code/calls.ts';
import { bindingsOf, localNames } from '../../code/imports.ts';
import { objectLiteral } from '../../code/js-objects.ts';
import type { SourceFile } from '../../code/source-file.ts';
import { stringValue } from '../../code/syntax.ts';

export type JsHttpLibrary = 'fetch' | 'axios' | 'got' | 'undici';

/** An outbound HTTP request (or client construction) through a well-known JavaScript library. */
export interface JsHttpCall {
  call: Call;
  library: JsHttpLibrary;
  /** `instance` for `axios.create(...)` / `got.extend(...)`: the options configure later requests. */
  kind: 'request' | 'instance';
  /** Upper-case HTTP method when visible. */
  method?: string;
  /** The options object argument, when the call has one. */
  options?: SgNode;
}

interface Names {
  /** Every local name a call through these libraries starts with. */
  roots: Set<string>;
  axios: string[];
  got: string[];
  undiciRequest: string[];
  undiciNamespace: string[];
  fetch: string[];
}

const FETCH_MODULES = new Set([
  'node-fetch',
  'undici',
  'cross-fetch',
  'isomorphic-fetch',
]);
const AXIOS_METHODS_WITHOUT_BODY = new Set([
  'get',
  'delete',
  'head',
  'options',
]);
const AXIOS_METHODS_WITH_BODY = new Set(['post', 'put', 'patch']);
const GOT_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head']);

const namesCache = new WeakMap<SgNode, Names>();

function namesOf(file: SourceFile): Names {
  const cached = namesCache.get(file.root);
  if (cached) return cached;
  const bindings = bindingsOf(file);
  const fetchBinding = bindings.get('fetch');
  const axios = localNames(bindings, 'axios').filter((name) =>
    ['default', '*'].includes(bindings.get(name)!.member),
  );
  const got = localNames(bindings, 'got').filter((name) =>
    ['default', '*', 'got'].includes(bindings.get(name)!.member),
  );
  const undiciRequest = localNames(bindings, 'undici', 'request');
  const undiciNamespace = localNames(bindings, 'undici', '*');
  // `fetch` is the global unless the file imports something else under that name.
  const fetch =
    !fetchBinding || FETCH_MODULES.has(fetchBinding.module)
      ? [
          'fetch',
          ...localNames(bindings, (m) => FETCH_MODULES.has(m), 'default'),
        ]
      : [];
  const names: Names = {
    roots: new Set([
      ...axios,
      ...got,
      ...undiciRequest,
      ...undiciNamespace,
      ...fetch,
    ]),
    axios,
    got,
    undiciRequest,
    undiciNamespace,
    fetch,
  };
  namesCache.set(file.root, names);
  return names;
}

/** The HTTP calls through a known library among `sites`. */
export function jsHttpCalls(
  file: SourceFile,
  sites: readonly CallSite[],
): JsHttpCall[] {
  const names = namesOf(file);
  const roots = names.roots;
  if (roots.size === 0) return [];
  const found: JsHttpCall[] = [];
  for (const site of sites) {
    const root = site.callee.replace(/^globalThis\./, '').split('.');
    if (
      root.length > 2 ||
      !roots.has(root[0]!) ||
      site.node.kind() !== 'call_expression'
    )
      continue;
    const call = callOf(site.node);
    const classified = call ? classify(call, names) : undefined;
    if (classified) found.push(classified);
  }
  return found;
}

function classify(call: Call, names: Names): JsHttpCall | undefined {
  const callee = call.callee.replace(/^globalThis\./, '');
  const [root, member] = callee.split('.') as [string, string | undefined];
  const arg = (index: number): SgNode | undefined => call.args[index];
  if (names.fetch.includes(root) && member === undefined)
    return withMethod(
      { call, library: 'fetch', kind: 'request', options: arg(1) },
      'GET',
    );
  if (names.axios.includes(root)) {
    if (member === undefined) {
      const options = objectLiteral(arg(0)) ? arg(0) : arg(1);
      return withMethod(
        { call, library: 'axios', kind: 'request', options },
        'GET',
      );
    }
    if (member === 'create')
      return { call, library: 'axios', kind: 'instance', options: arg(0) };
    if (member === 'request')
      return withMethod(
        { call, library: 'axios', kind: 'request', options: arg(0) },
        'GET',
      );
    if (AXIOS_METHODS_WITHOUT_BODY.has(member))
      return {
        call,
        library: 'axios',
        kind: 'request',
        method: member.toUpperCase(),
        options: arg(1),
      };
    if (AXIOS_METHODS_WITH_BODY.has(member))
      return {
        call,
        library: 'axios',
        kind: 'request',
        method: member.toUpperCase(),
        options: arg(2),
      };
    return undefined;
  }
  if (names.got.includes(root)) {
    if (member === undefined) {
      const options = objectLiteral(arg(0)) ? arg(0) : arg(1);
      return withMethod(
        { call, library: 'got', kind: 'request', options },
        'GET',
      );
    }
    if (member === 'extend')
      return { call, library: 'got', kind: 'instance', options: arg(0) };
    if (GOT_METHODS.has(member))
      return {
        call,
        library: 'got',
        kind: 'request',
        method: member.toUpperCase(),
        options: arg(1),
      };
    return undefined;
  }
  if (
    (names.undiciRequest.includes(root) && member === undefined) ||
    (names.undiciNamespace.includes(root) && member === 'request')
  ) {
    return withMethod(
      { call, library: 'undici', kind: 'request', options: arg(1) },
      'GET',
    );
  }
  if (names.undiciNamespace.includes(root) && member === 'fetch')
    return withMethod(
      { call, library: 'fetch', kind: 'request', options: arg(1) },
      'GET',
    );
  return undefined;
}

/** Reads `method:` from the options object; a method we cannot see stays unknown. */
function withMethod(found: JsHttpCall, fallback: string): JsHttpCall {
  const literal = objectLiteral(found.options);
  if (!found.options) return { ...found, method: fallback };
  if (!literal) return found;
  const method = literal.value('method');
  if (method) {
    const value = stringValue(method);
    return value === undefined
      ? found
      : { ...found, method: value.toUpperCase() };
  }
  return literal.spread ? found : { ...found, method: fallback };
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
