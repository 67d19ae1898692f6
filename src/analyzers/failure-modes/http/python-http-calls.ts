import type { SgNode } from '@ast-grep/napi';
import { callOf, positional, type Call } from '../../code/calls.ts';
import type { CallSite } from '../../code/calls.ts';
import { bindingsOf, localNames } from '../../code/imports.ts';
import type { SourceFile } from '../../code/source-file.ts';
import { compact, stringValue } from '../../code/syntax.ts';
import { escapeRegex } from './js-http-calls.ts';

export type PythonHttpLibrary = 'requests' | 'requests-session' | 'httpx';

/** An outbound HTTP request or client construction through requests or httpx. */
export interface PythonHttpCall {
  call: Call;
  library: PythonHttpLibrary;
  /** The function or method called: `get`, `post`, `request`, `Client`, `Timeout`... */
  member: string;
  /** Upper-case HTTP method when visible. */
  method?: string;
}

const VERBS = ['get', 'options', 'head', 'post', 'put', 'patch', 'delete'];
const REQUEST_MEMBERS = [...VERBS, 'request'];
const HTTPX_MEMBERS = [
  ...REQUEST_MEMBERS,
  'stream',
  'Client',
  'AsyncClient',
  'Timeout',
];

interface Names {
  requestsModule: string[];
  requestsFunctions: Map<string, string>;
  httpxModule: string[];
  httpxFunctions: Map<string, string>;
  sessions: string[];
}

const namesCache = new WeakMap<SgNode, Names>();

function namesOf(file: SourceFile): Names {
  let names = namesCache.get(file.root);
  if (names) return names;
  const bindings = bindingsOf(file);
  const functions = (
    module: string,
    members: string[],
  ): Map<string, string> => {
    const map = new Map<string, string>();
    for (const [local, binding] of bindings)
      if (binding.module === module && members.includes(binding.member))
        map.set(local, binding.member);
    return map;
  };
  const requestsModule = localNames(bindings, 'requests', '*');
  const sessionFactories = [
    ...requestsModule.flatMap((m) => [`${m}.Session`, `${m}.session`]),
    ...localNames(bindings, 'requests', 'Session'),
  ];
  names = {
    requestsModule,
    requestsFunctions: functions('requests', REQUEST_MEMBERS),
    httpxModule: localNames(bindings, 'httpx', '*'),
    httpxFunctions: functions('httpx', HTTPX_MEMBERS),
    sessions:
      sessionFactories.length > 0 && file.text.includes('ession')
        ? sessionNames(file, sessionFactories)
        : [],
  };
  namesCache.set(file.root, names);
  return names;
}

/** Names a `requests.Session()` is stored under: `s = requests.Session()`, `with requests.Session() as s`. */
function sessionNames(file: SourceFile, factories: string[]): string[] {
  const factory = `^(?:${factories.map(escapeRegex).join('|')})$`;
  const names = new Set<string>();
  for (const node of file.root.findAll({
    rule: { kind: 'call', has: { field: 'function', regex: factory } },
  })) {
    const parent = node.parent();
    if (
      parent?.kind() === 'assignment' &&
      parent.field('right')?.id() === node.id()
    )
      names.add(compact(parent.field('left')!));
    if (parent?.kind() === 'as_pattern') {
      const target = parent.field('alias');
      if (target) names.add(compact(target));
    }
  }
  return [...names];
}

/** The requests/httpx calls among `sites`. */
export function pythonHttpCalls(
  file: SourceFile,
  sites: readonly CallSite[],
): PythonHttpCall[] {
  const names = namesOf(file);
  const receivers = new Set([
    ...names.requestsModule,
    ...names.sessions,
    ...names.httpxModule,
  ]);
  if (
    receivers.size === 0 &&
    names.requestsFunctions.size === 0 &&
    names.httpxFunctions.size === 0
  )
    return [];
  const found: PythonHttpCall[] = [];
  for (const site of sites) {
    const receiver = site.callee.slice(
      0,
      Math.max(0, site.callee.length - site.name.length - 1),
    );
    const candidate =
      receiver === ''
        ? names.requestsFunctions.has(site.callee) ||
          names.httpxFunctions.has(site.callee)
        : receivers.has(receiver) && HTTPX_MEMBERS.includes(site.name);
    if (!candidate) continue;
    const call = callOf(site.node);
    const classified = call ? classify(call, names) : undefined;
    if (classified)
      found.push({
        ...classified,
        method: methodOf(classified.call, classified.member),
      });
  }
  return found;
}

function classify(
  call: Call,
  names: Names,
): Omit<PythonHttpCall, 'method'> | undefined {
  const receiver = call.receiver ? compact(call.receiver) : undefined;
  if (receiver === undefined) {
    const requestsMember = names.requestsFunctions.get(call.callee);
    if (requestsMember)
      return { call, library: 'requests', member: requestsMember };
    const httpxMember = names.httpxFunctions.get(call.callee);
    return httpxMember
      ? { call, library: 'httpx', member: httpxMember }
      : undefined;
  }
  if (
    names.requestsModule.includes(receiver) &&
    REQUEST_MEMBERS.includes(call.name)
  )
    return { call, library: 'requests', member: call.name };
  if (names.sessions.includes(receiver) && REQUEST_MEMBERS.includes(call.name))
    return { call, library: 'requests-session', member: call.name };
  if (names.httpxModule.includes(receiver) && HTTPX_MEMBERS.includes(call.name))
    return { call, library: 'httpx', member: call.name };
  return undefined;
}

function methodOf(call: Call, member: string): string | undefined {
  if (VERBS.includes(member)) return member.toUpperCase();
  if (member === 'request' || member === 'stream')
    return stringValue(positional(call)[0])?.toUpperCase();
  return undefined;
}
