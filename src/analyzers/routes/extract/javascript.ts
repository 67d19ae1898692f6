import type { SgNode } from '@ast-grep/napi';
import { callOf, callRule, type Call } from '../../code/calls.ts';
import { bindingsOf } from '../../code/imports.ts';
import { objectLiteral } from '../../code/js-objects.ts';
import type { SourceFile } from '../../code/source-file.ts';
import {
  compact,
  isFunction,
  namedChildren,
  namesIn,
  startLine,
  stringValue,
} from '../../code/syntax.ts';
import { firstAuthName, isAuthName } from '../auth-names.ts';
import { joinPath, normalizePath, type Route } from '../route.ts';

const VERBS = [
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'del',
  'all',
  'head',
  'options',
];
const HOOKS = new Set([
  'onRequest',
  'preHandler',
  'preValidation',
  'preParsing',
]);
const APP_FACTORIES =
  /^(?:express|fastify|Fastify|Koa|Hono|polka|restify\.createServer)$/;
const NEST_VERBS: Record<string, string> = {
  Get: 'GET',
  Post: 'POST',
  Put: 'PUT',
  Patch: 'PATCH',
  Delete: 'DELETE',
  All: 'ANY',
  Head: 'HEAD',
  Options: 'OPTIONS',
};
const NEST_PUBLIC = /^(?:Public|SkipAuth|AllowAnonymous|IsPublic|NoAuth)$/;
/** HTTP clients and test agents share the verbs (`axios.post('/users', body)`) but register nothing. */
const CLIENT_MODULES = new Set([
  'axios',
  'got',
  'ky',
  'superagent',
  'supertest',
  'undici',
  'node-fetch',
  'cross-fetch',
]);

/** Middleware applied to everything registered on a router after it (`router.use(auth)`, Fastify hooks). */
interface ScopeGuard {
  line: number;
  prefix?: string;
  what: string;
}

/** Express, Koa (koa-router), Fastify and Hono call-style routes, plus NestJS controllers. */
export function extractJsRoutes(file: SourceFile): Route[] {
  const { apps, clients } = boundObjects(file);
  const guards = scopeGuards(file);
  const routes: Route[] = [];
  for (const node of file.root.findAll({
    rule: callRule('js', `\\.(?:${VERBS.join('|')}|route)$`),
  })) {
    const call = callOf(node);
    if (
      !call?.receiver ||
      clients.has(compact(call.receiver).split(/[.(]/)[0]!)
    )
      continue;
    const found = call.name === 'route' ? fastifyRoute(call) : verbRoute(call);
    if (!found) continue;
    const base = compact(found.base);
    const guard =
      found.auth ??
      guards
        .get(base)
        ?.find(
          (g) =>
            g.line < found.line &&
            (!g.prefix || underPrefix(found.path, g.prefix)),
        );
    for (const method of found.methods) {
      routes.push({
        method,
        path: found.path,
        handler: found.handler,
        line: found.line,
        definedAt: found.definedAt,
        auth: guard ? { line: guard.line, what: guard.what } : undefined,
        explicitlyPublic: false,
        scope: apps.has(base.split('.')[0]!) ? 'app' : 'router',
      });
    }
  }
  routes.push(...nestRoutes(file));
  return routes;
}

/** `/admin/users` is under `/admin`; `/administrators` is not. */
function underPrefix(path: string, prefix: string): boolean {
  const p = normalizePath(path);
  const base = normalizePath(prefix);
  return base === '/' || p === base || p.startsWith(`${base}/`);
}

interface Found {
  methods: string[];
  path: string;
  handler?: string;
  line: number;
  definedAt: number[];
  base: SgNode;
  auth?: ScopeGuard;
}

/** `app.post('/x', auth, handler)`, `router.route('/x').get(h).post(h2)`, koa `router.get('name', '/x', h)`. */
function verbRoute(call: Call): Found | undefined {
  if (!VERBS.includes(call.name)) return undefined;
  const line = startLine(
    call.node.field('function')?.field('property') ?? call.node,
  );
  const chained = routeChain(call.receiver!);
  let path: string | undefined;
  let handlers: SgNode[];
  let base: SgNode;
  const definedAt = [line];
  if (chained) {
    ({ path, base } = chained);
    handlers = call.args;
    definedAt.push(chained.line);
  } else {
    base = call.receiver!;
    const first = stringValue(call.args[0]);
    const second = stringValue(call.args[1]);
    if (
      first !== undefined &&
      !first.startsWith('/') &&
      second?.startsWith('/')
    ) {
      path = second;
      handlers = call.args.slice(2);
    } else {
      path = first;
      handlers = call.args.slice(1);
    }
  }
  if (
    path === undefined ||
    !(path.startsWith('/') || path === '*') ||
    handlers.length === 0
  )
    return undefined;
  const handler = handlers.at(-1)!;
  return {
    methods: [
      call.name === 'all'
        ? 'ANY'
        : call.name === 'del'
          ? 'DELETE'
          : call.name.toUpperCase(),
    ],
    path,
    handler: handlerName(handler),
    line,
    definedAt,
    base,
    auth: authIn(handlers.slice(0, -1), handler),
  };
}

/** The `.route('/x')` an Express verb chain hangs off, if any. */
function routeChain(
  receiver: SgNode,
): { path: string; base: SgNode; line: number } | undefined {
  let current: SgNode | undefined = receiver;
  while (current?.kind() === 'call_expression') {
    const inner = callOf(current);
    if (!inner?.receiver) return undefined;
    if (inner.name === 'route') {
      const path = stringValue(inner.args[0]);
      return path === undefined
        ? undefined
        : { path, base: inner.receiver, line: startLine(current) };
    }
    if (!VERBS.includes(inner.name)) return undefined;
    current = inner.receiver;
  }
  return undefined;
}

/** Fastify's `fastify.route({ method, url, handler, preHandler })`. */
function fastifyRoute(call: Call): Found | undefined {
  const options = objectLiteral(call.args[0]);
  if (!options) return undefined;
  const path = stringValue(options.value('url') ?? options.value('path'));
  const method = options.value('method');
  if (path === undefined || !method) return undefined;
  const methods = (method.kind() === 'array' ? namedChildren(method) : [method])
    .map((m) => stringValue(m)?.toUpperCase())
    .filter((m): m is string => m !== undefined);
  if (methods.length === 0) return undefined;
  const handler = options.value('handler');
  const hooks = [...HOOKS]
    .map((hook) => options.value(hook))
    .filter((v): v is SgNode => v !== undefined);
  const line = startLine(call.node);
  return {
    methods,
    path,
    handler: handler ? handlerName(handler) : undefined,
    line,
    definedAt: [line],
    base: call.receiver!,
    auth: authIn(hooks, handler),
  };
}

function handlerName(handler: SgNode): string | undefined {
  if (handler.kind() === 'identifier' || handler.kind() === 'member_expression')
    return compact(handler);
  // asyncHandler(createUser), catchAsync(controller.create)
  if (handler.kind() === 'call_expression') {
    const args = callOf(handler)?.args ?? [];
    if (
      args.length === 1 &&
      (args[0]!.kind() === 'identifier' ||
        args[0]!.kind() === 'member_expression')
    )
      return compact(args[0]!);
  }
  return undefined;
}

/** Auth in route middleware, or an inline handler that checks the caller itself. */
function authIn(
  middleware: SgNode[],
  handler: SgNode | undefined,
): ScopeGuard | undefined {
  for (const arg of middleware) {
    const what = firstAuthName(namesIn(arg, 'js'));
    if (what) return { line: startLine(arg), what };
  }
  if (handler && isFunction(handler, 'js')) {
    const body = handler.field('body');
    const check = body?.find({
      rule: {
        any: [
          {
            kind: 'member_expression',
            regex: '^(?:req|request)\\.user$|^ctx\\.state\\.user$',
          },
          {
            kind: 'call_expression',
            has: {
              field: 'function',
              regex:
                '(?i)(?:auth(?:enticat|oriz)|verify(?:token|jwt|session)|jwtverify|requireuser|ensureuser|checkpermission)[\\w$]*$',
            },
          },
        ],
      },
    });
    if (check)
      return { line: startLine(check), what: compact(check).slice(0, 60) };
  }
  return undefined;
}

/** `router.use(auth)`, `app.use('/admin', requireAdmin)`, `fastify.addHook('onRequest', fastify.authenticate)`. */
function scopeGuards(file: SourceFile): Map<string, ScopeGuard[]> {
  const guards = new Map<string, ScopeGuard[]>();
  for (const node of file.root.findAll({
    rule: callRule('js', '\\.(?:use|addHook)$'),
  })) {
    const call = callOf(node);
    if (!call?.receiver) continue;
    let args = call.args;
    let prefix: string | undefined;
    if (call.name === 'addHook') {
      if (!HOOKS.has(stringValue(args[0]) ?? '')) continue;
      args = args.slice(1);
    } else if (stringValue(args[0]) !== undefined) {
      prefix = stringValue(args[0])!.replace(/\*$/, '');
      args = args.slice(1);
    }
    const what = firstAuthName(args.flatMap((arg) => namesIn(arg, 'js')));
    if (!what) continue;
    const key = compact(call.receiver);
    const list = guards.get(key) ?? [];
    list.push({ line: startLine(node), prefix, what });
    guards.set(key, list);
  }
  return guards;
}

/**
 * Names bound to an application created in this file (`const app = express()`), and names of HTTP
 * clients: imported client libraries and instances made from them (`const api = axios.create()`).
 */
function boundObjects(file: SourceFile): {
  apps: Set<string>;
  clients: Set<string>;
} {
  const apps = new Set<string>();
  const clients = new Set<string>();
  for (const [local, binding] of bindingsOf(file))
    if (CLIENT_MODULES.has(binding.module)) clients.add(local);
  for (const declarator of file.root.findAll({
    rule: {
      kind: 'variable_declarator',
      has: {
        field: 'value',
        any: [{ kind: 'call_expression' }, { kind: 'new_expression' }],
      },
    },
  })) {
    const value = declarator.field('value')!;
    const callee = value.field('function') ?? value.field('constructor');
    const name = declarator.field('name');
    if (!callee || name?.kind() !== 'identifier') continue;
    const text = compact(callee);
    if (APP_FACTORIES.test(text)) apps.add(name.text());
    else if (clients.has(text.split('.')[0]!) || clients.has(text))
      clients.add(name.text());
  }
  return { apps, clients };
}

/** NestJS: `@Controller('users')` classes with `@Post(':id')` methods, guards on either. */
function nestRoutes(file: SourceFile): Route[] {
  if (!file.text.includes('Controller')) return [];
  const routes: Route[] = [];
  for (const cls of file.root.findAll({
    rule: { kind: 'class_declaration' },
  })) {
    const classDecorators = decoratorsOf(cls);
    const controller = classDecorators.find((d) => d.name === 'Controller');
    if (!controller) continue;
    const prefixes = nestPaths(controller.args[0]);
    const classAuth = classDecorators.find(
      (d) => d.name === 'UseGuards' || isAuthName(d.name),
    );
    const classPublic = classDecorators.some((d) => NEST_PUBLIC.test(d.name));
    const body = cls.field('body');
    if (!body) continue;
    let pending: Decorator[] = [];
    for (const member of namedChildren(body)) {
      if (member.kind() === 'decorator') {
        pending.push(decorator(member));
        continue;
      }
      const decorators = pending;
      pending = [];
      if (member.kind() !== 'method_definition') continue;
      const auth =
        decorators.find((d) => d.name === 'UseGuards' || isAuthName(d.name)) ??
        classAuth;
      const isPublic =
        classPublic || decorators.some((d) => NEST_PUBLIC.test(d.name));
      const name = member.field('name')?.text() ?? '';
      for (const d of decorators) {
        const method = NEST_VERBS[d.name];
        if (!method) continue;
        for (const prefix of prefixes) {
          for (const sub of nestPaths(d.args[0])) {
            routes.push({
              method,
              path: joinPath(prefix, sub),
              handler: `${cls.field('name')?.text() ?? ''}.${name}`,
              line: d.line,
              definedAt: [d.line, controller.line],
              auth: auth
                ? { line: auth.line, what: `@${auth.name}` }
                : undefined,
              explicitlyPublic: isPublic,
              scope: 'router',
            });
          }
        }
      }
    }
  }
  return routes;
}

interface Decorator {
  name: string;
  args: SgNode[];
  line: number;
}

function decorator(node: SgNode): Decorator {
  const expression = namedChildren(node)[0];
  const call =
    expression?.kind() === 'call_expression' ? callOf(expression) : undefined;
  return {
    name: call ? call.callee : (expression?.text() ?? ''),
    args: call?.args ?? [],
    line: startLine(node),
  };
}

/** A class's decorators: its own, or the export statement's for `@Controller() export class`. */
function decoratorsOf(cls: SgNode): Decorator[] {
  const own = namedChildren(cls).filter(
    (child) => child.kind() === 'decorator',
  );
  const parent = cls.parent();
  const exported =
    parent?.kind() === 'export_statement'
      ? namedChildren(parent).filter((child) => child.kind() === 'decorator')
      : [];
  return [...exported, ...own].map(decorator);
}

/** `'users'`, `['a', 'b']`, `{ path: 'users' }` or nothing → the path strings. */
function nestPaths(arg: SgNode | undefined): string[] {
  if (!arg) return [''];
  if (arg.kind() === 'array') {
    const values = namedChildren(arg)
      .map((item) => stringValue(item))
      .filter((v): v is string => v !== undefined);
    return values.length > 0 ? values : [''];
  }
  const literal = objectLiteral(arg);
  if (literal) return nestPaths(literal.value('path'));
  const value = stringValue(arg);
  return [value ?? ''];
}
