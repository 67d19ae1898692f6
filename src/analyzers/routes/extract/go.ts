import type { SgNode } from '@ast-grep/napi';
import { callOf, callRule, type Call } from '../../code/calls.ts';
import { bindingsOf } from '../../code/imports.ts';
import type { SourceFile } from '../../code/source-file.ts';
import {
  compact,
  contains,
  namedChildren,
  namesIn,
  startLine,
  stringValue,
} from '../../code/syntax.ts';
import { firstAuthName } from '../auth-names.ts';
import { joinPath, type Route } from '../route.ts';

const METHODS = new Set([
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
  'CONNECT',
  'TRACE',
]);
const REGISTRATIONS =
  '\\.(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|Any|All|Handle|HandleFunc|Get|Post|Put|Patch|Delete|Head|Options|Method|MethodFunc)$';
const APP_CONSTRUCTORS =
  /^(?:gin\.(?:Default|New)|echo\.New|chi\.(?:NewRouter|NewMux)|http\.NewServeMux|mux\.NewRouter|fiber\.New)$/;

/** What a router variable inherits: path prefix, middleware, and whether it is the application root. */
interface Scope {
  prefix: string;
  prefixLines: number[];
  auth?: { line: number; what: string };
  app: boolean;
}

interface Assignment {
  line: number;
  value: SgNode;
}

interface Context {
  echo: boolean;
  assignments: Map<string, Assignment[]>;
  uses: Map<string, Array<{ line: number; node: SgNode; what?: string }>>;
}

/** Gin, Echo, chi, Fiber, gorilla/mux and net/http (including Go 1.22 `"POST /path"` patterns). */
export function extractGoRoutes(file: SourceFile): Route[] {
  const modules = [...bindingsOf(file).values()].map((b) => b.module);
  const context: Context = {
    echo: modules.some((m) => m.includes('labstack/echo')),
    assignments: assignments(file),
    uses: uses(file),
  };
  const routes: Route[] = [];
  for (const node of file.root.findAll({
    rule: callRule('go', REGISTRATIONS),
  })) {
    const call = callOf(node);
    if (!call?.receiver) continue;
    const registration = registrationOf(call, context.echo);
    if (!registration) continue;
    const line = startLine(node);
    const scope = resolve(call.receiver, node, context, 0);
    const auth = registration.auth ?? scope.auth;
    for (const method of registration.methods) {
      routes.push({
        method,
        path: joinPath(scope.prefix, registration.path),
        handler: registration.handler,
        line,
        definedAt: [line, ...scope.prefixLines],
        auth,
        explicitlyPublic: false,
        scope: scope.app ? 'app' : 'router',
      });
    }
  }
  return routes;
}

interface Registration {
  methods: string[];
  path: string;
  handler?: string;
  auth?: { line: number; what: string };
}

function registrationOf(call: Call, echo: boolean): Registration | undefined {
  const args = call.args;
  let methods: string[];
  let path: string | undefined;
  let rest: SgNode[];
  const name = call.name;
  if (name === 'Handle' || name === 'HandleFunc') {
    const first = stringValue(args[0]);
    const second = stringValue(args[1]);
    if (first !== undefined && METHODS.has(first) && second !== undefined) {
      methods = [first]; // gin: r.Handle("POST", "/x", h)
      path = second;
      rest = args.slice(2);
    } else {
      const pattern = first?.trim().match(/^(?:([A-Z]+)\s+)?(\/.*)$/);
      if (!pattern) return undefined;
      methods = pattern[1] ? [pattern[1]] : (gorillaMethods(call) ?? ['ANY']);
      path = pattern[2];
      rest = args.slice(1);
    }
  } else if (name === 'Method' || name === 'MethodFunc') {
    methods = [stringValue(args[0])?.toUpperCase() ?? ''];
    path = stringValue(args[1]);
    rest = args.slice(2);
  } else {
    methods = [name === 'Any' || name === 'All' ? 'ANY' : name.toUpperCase()];
    path = stringValue(args[0]);
    rest = args.slice(1);
  }
  if (
    path === undefined ||
    !path.startsWith('/') ||
    rest.length === 0 ||
    methods.some((m) => m === '')
  )
    return undefined;
  // Echo takes the handler first and middleware after it; the others take middleware first.
  const handlerArg = echo && /^[A-Z]+$/.test(name) ? rest[0]! : rest.at(-1)!;
  const middleware = rest.filter((arg) => arg.id() !== handlerArg.id());
  const wrapped =
    handlerArg.kind() === 'call_expression' ? wrappers(handlerArg) : [];
  const what = firstAuthName([
    ...middleware.flatMap((arg) => namesIn(arg, 'go')),
    ...wrapped,
  ]);
  return {
    methods,
    path,
    handler: innermostHandler(handlerArg),
    auth: what ? { line: startLine(call.node), what } : undefined,
  };
}

/** gorilla/mux: `r.HandleFunc("/x", h).Methods("POST", "PUT")`. */
function gorillaMethods(call: Call): string[] | undefined {
  const selector = call.node.parent();
  const outer =
    selector?.kind() === 'selector_expression' &&
    selector.field('field')?.text() === 'Methods'
      ? selector.parent()
      : undefined;
  if (outer?.kind() !== 'call_expression') return undefined;
  const methods = (callOf(outer)?.args ?? [])
    .map((arg) => stringValue(arg)?.toUpperCase())
    .filter((m): m is string => m !== undefined);
  return methods.length > 0 ? methods : undefined;
}

/** The function names a handler is wrapped in: `requireAuth(logging(h))` → requireAuth, logging. */
function wrappers(node: SgNode): string[] {
  return node
    .findAll({ rule: { kind: 'call_expression' } })
    .map((call) => call.field('function')?.text() ?? '');
}

function innermostHandler(node: SgNode): string | undefined {
  let current: SgNode | undefined = node;
  while (current?.kind() === 'call_expression')
    current = callOf(current)?.args.at(-1);
  return current &&
    (current.kind() === 'identifier' ||
      current.kind() === 'selector_expression')
    ? compact(current)
    : undefined;
}

/** Prefix and middleware a receiver carries at the point of registration. */
function resolve(
  receiver: SgNode,
  at: SgNode,
  context: Context,
  depth: number,
): Scope {
  const none: Scope = { prefix: '', prefixLines: [], app: false };
  if (depth > 8) return none;
  if (receiver.kind() === 'call_expression') {
    if (APP_CONSTRUCTORS.test(compact(receiver.field('function')!)))
      return { ...none, app: true };
    const call = callOf(receiver);
    if (!call?.receiver) return none;
    const parent = resolve(call.receiver, at, context, depth + 1);
    return extend(parent, call, startLine(receiver));
  }
  const name = compact(receiver);
  if (name === 'http') return { ...none, app: true }; // http.HandleFunc registers on the default mux
  const line = startLine(at);
  // chi: r.Route("/api", func(r chi.Router) { ... }) and r.Group(func(r chi.Router) { ... })
  const closure = enclosingRouterClosure(name, at);
  let scope: Scope;
  if (closure) {
    const call = closure.call;
    const parent = resolve(
      call.receiver!,
      closure.call.node,
      context,
      depth + 1,
    );
    scope =
      call.name === 'Route'
        ? {
            ...parent,
            prefix: joinPath(parent.prefix, stringValue(call.args[0]) ?? ''),
            prefixLines: [...parent.prefixLines, startLine(call.node)],
          }
        : parent;
  } else {
    const declared = (context.assignments.get(name) ?? [])
      .filter((a) => a.line <= line)
      .at(-1);
    scope = declared
      ? resolve(declared.value, declared.value, context, depth + 1)
      : none;
  }
  const guard = (context.uses.get(name) ?? []).find(
    (use) =>
      use.line < line &&
      use.what &&
      (!closure || contains(closure.fn, use.node)),
  );
  return guard && !scope.auth
    ? { ...scope, auth: { line: guard.line, what: guard.what! } }
    : scope;
}

/** A receiver derived by a call: `.Group("/p", mw)`, `.With(mw)`, `.PathPrefix("/p").Subrouter()`. */
function extend(parent: Scope, call: Call, line: number): Scope {
  const what = firstAuthName(
    call.args.flatMap((arg) =>
      arg.kind() === 'func_literal' ? [] : namesIn(arg, 'go'),
    ),
  );
  const auth = parent.auth ?? (what ? { line, what } : undefined);
  if (call.name === 'Group' || call.name === 'PathPrefix') {
    const prefix = stringValue(call.args[0]);
    if (prefix !== undefined)
      return {
        ...parent,
        prefix: joinPath(parent.prefix, prefix),
        prefixLines: [...parent.prefixLines, line],
        auth,
      };
  }
  return { ...parent, auth };
}

function enclosingRouterClosure(
  name: string,
  at: SgNode,
): { call: Call; fn: SgNode } | undefined {
  for (let current = at.parent(); current; current = current.parent()) {
    if (current.kind() !== 'func_literal') continue;
    const parameter = namedChildren(current.field('parameters') ?? current)[0]
      ?.field('name')
      ?.text();
    const list = current.parent();
    const owner = list?.kind() === 'argument_list' ? list.parent() : undefined;
    const call = owner ? callOf(owner) : undefined;
    if (
      parameter === name &&
      call?.receiver &&
      (call.name === 'Route' || call.name === 'Group')
    )
      return { call, fn: current };
  }
  return undefined;
}

/** `name := call(...)` and `name = call(...)`, by name. */
function assignments(file: SourceFile): Map<string, Assignment[]> {
  const found = new Map<string, Assignment[]>();
  for (const node of file.root.findAll({
    rule: {
      any: [
        { kind: 'short_var_declaration' },
        { kind: 'assignment_statement' },
        { kind: 'var_spec' },
      ],
    },
  })) {
    const left = node.field('left') ?? node.field('name');
    const right = node.field('right') ?? node.field('value');
    if (!left || !right) continue;
    const names =
      left.kind() === 'expression_list' ? namedChildren(left) : [left];
    const values =
      right.kind() === 'expression_list' ? namedChildren(right) : [right];
    if (
      names.length === 0 ||
      values.length !== 1 ||
      values[0]!.kind() !== 'call_expression'
    )
      continue;
    const name = compact(names[0]!);
    const list = found.get(name) ?? [];
    list.push({ line: startLine(node), value: values[0]! });
    found.set(name, list);
  }
  return found;
}

/** `r.Use(mw...)` calls by receiver, with the auth middleware they add. */
function uses(
  file: SourceFile,
): Map<string, Array<{ line: number; node: SgNode; what?: string }>> {
  const found = new Map<
    string,
    Array<{ line: number; node: SgNode; what?: string }>
  >();
  for (const node of file.root.findAll({ rule: callRule('go', '\\.Use$') })) {
    const call = callOf(node);
    if (!call?.receiver) continue;
    const name = compact(call.receiver);
    const list = found.get(name) ?? [];
    list.push({
      line: startLine(node),
      node,
      what: firstAuthName(call.args.flatMap((arg) => namesIn(arg, 'go'))),
    });
    found.set(name, list);
  }
  return found;
}
