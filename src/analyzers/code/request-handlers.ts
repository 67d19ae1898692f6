import type { SgNode } from '@ast-grep/napi';
import { callOf } from './calls.ts';
import type { LanguageFamily } from './source-file.ts';
import { isFunction, namedChildren, stringValue } from './syntax.ts';

/** Methods that register a route on Express, Fastify, Koa routers, Hono and similar. */
export const JS_ROUTE_METHODS = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'del',
  'all',
  'head',
  'options',
]);
const HTTP_VERBS = new Set([
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
]);
const NEST_ROUTE_DECORATORS = new Set([
  'Get',
  'Post',
  'Put',
  'Patch',
  'Delete',
  'All',
  'Head',
  'Options',
]);
const PYTHON_ROUTE_DECORATORS = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'head',
  'options',
  'route',
  'api_route',
]);
const SPRING_MAPPINGS = new Set([
  'GetMapping',
  'PostMapping',
  'PutMapping',
  'PatchMapping',
  'DeleteMapping',
  'RequestMapping',
]);
const GO_HANDLER_PARAMS = new Set([
  'http.ResponseWriter',
  '*gin.Context',
  'echo.Context',
  '*fiber.Ctx',
]);

/**
 * The nearest function around `node` that serves an HTTP request, if any. `verdicts` remembers
 * functions already judged (by node id), since many calls share the same enclosing functions.
 */
export function enclosingRequestHandler(
  node: SgNode,
  family: LanguageFamily,
  verdicts?: Map<number, boolean>,
): SgNode | undefined {
  for (let current = node.parent(); current; current = current.parent()) {
    if (!isFunction(current, family)) continue;
    const id = current.id();
    let verdict = verdicts?.get(id);
    if (verdict === undefined) {
      verdict = isRequestHandler(current, family);
      verdicts?.set(id, verdict);
    }
    if (verdict) return current;
  }
  return undefined;
}

/**
 * True when a function visibly handles HTTP requests: it is registered as a route, decorated as one,
 * or has a framework's request/response parameters.
 */
export function isRequestHandler(fn: SgNode, family: LanguageFamily): boolean {
  switch (family) {
    case 'js':
      return isJsHandler(fn);
    case 'python':
      return isPythonHandler(fn);
    case 'go':
      return isGoHandler(fn);
    case 'java':
      return isJavaHandler(fn);
  }
}

function isJsHandler(fn: SgNode): boolean {
  const parent = fn.parent();
  // app.post('/x', auth, async (req, res) => ...)
  if (parent?.kind() === 'arguments') {
    const call = parent.parent();
    const info = call ? callOf(call) : undefined;
    if (
      info?.receiver &&
      JS_ROUTE_METHODS.has(info.name) &&
      stringValue(info.args[0])?.startsWith('/')
    )
      return true;
  }
  // fastify.route({ method, url, handler: async (request, reply) => ... })
  if (parent?.kind() === 'pair' && parent.field('key')?.text() === 'handler')
    return true;
  // Next.js route handlers: export async function POST(request) { ... }
  if (
    fn.kind() === 'function_declaration' &&
    parent?.kind() === 'export_statement' &&
    HTTP_VERBS.has(fn.field('name')?.text() ?? '')
  )
    return true;
  // NestJS: @Post() create(...) — decorators are the method's preceding siblings.
  if (fn.kind() === 'method_definition') {
    for (
      let sibling = fn.prev();
      sibling?.kind() === 'decorator';
      sibling = sibling.prev()
    ) {
      if (NEST_ROUTE_DECORATORS.has(decoratorName(sibling))) return true;
    }
  }
  const params = parameterNames(fn);
  const [first, second] = params;
  if (
    (first === 'req' || first === 'request') &&
    (second === 'res' || second === 'response' || second === 'reply')
  )
    return true;
  return first === 'ctx' && second === 'next' && params.length === 2;
}

function decoratorName(decorator: SgNode): string {
  const expression = namedChildren(decorator)[0];
  if (!expression) return '';
  const callee =
    expression.kind() === 'call_expression'
      ? expression.field('function')
      : expression;
  return callee?.text() ?? '';
}

function parameterNames(fn: SgNode): string[] {
  const params = fn.field('parameters') ?? fn.field('parameter');
  if (!params) return [];
  if (params.kind() === 'identifier') return [params.text()];
  return namedChildren(params).map((param) => {
    const pattern = param.field('pattern') ?? param;
    return pattern.kind() === 'identifier' ? pattern.text() : '';
  });
}

function isPythonHandler(fn: SgNode): boolean {
  if (fn.kind() !== 'function_definition') return false;
  const decorated = fn.parent();
  if (decorated?.kind() === 'decorated_definition') {
    for (const decorator of namedChildren(decorated)) {
      if (decorator.kind() !== 'decorator') continue;
      const expression = namedChildren(decorator)[0];
      const callee =
        expression?.kind() === 'call'
          ? expression.field('function')
          : undefined;
      if (
        callee?.kind() === 'attribute' &&
        PYTHON_ROUTE_DECORATORS.has(callee.field('attribute')?.text() ?? '')
      )
        return true;
    }
  }
  // Django views and Django REST framework methods take the request first (after self).
  const names = pythonParameterNames(fn);
  const first = names[0] === 'self' ? names[1] : names[0];
  return first === 'request';
}

/** Parameter names of a Python function, in order (`*args` and `**kwargs` included by name). */
export function pythonParameterNames(fn: SgNode): string[] {
  const params = fn.field('parameters');
  if (!params) return [];
  return namedChildren(params).map((param) => {
    if (param.kind() === 'identifier') return param.text();
    const name =
      param.field('name') ??
      namedChildren(param).find((child) => child.kind() === 'identifier');
    return name?.text() ?? '';
  });
}

function isGoHandler(fn: SgNode): boolean {
  const params = fn.field('parameters');
  if (!params) return false;
  return namedChildren(params).some((param) => {
    const type = param.field('type');
    return (
      type !== null && GO_HANDLER_PARAMS.has(type.text().replace(/\s+/g, ''))
    );
  });
}

function isJavaHandler(fn: SgNode): boolean {
  if (fn.kind() !== 'method_declaration') return false;
  return javaAnnotations(fn).some((annotation) =>
    SPRING_MAPPINGS.has(annotation.name),
  );
}

export interface JavaAnnotation {
  node: SgNode;
  name: string;
  args?: SgNode;
}

/** The annotations on a Java declaration (method, class, parameter). */
export function javaAnnotations(declaration: SgNode): JavaAnnotation[] {
  // Modifiers, annotations included, come first in every Java declaration.
  const modifiers = declaration.child(0);
  if (modifiers?.kind() !== 'modifiers') return [];
  const annotations: JavaAnnotation[] = [];
  for (const child of namedChildren(modifiers)) {
    if (child.kind() !== 'annotation' && child.kind() !== 'marker_annotation')
      continue;
    const name = child.field('name')?.text() ?? '';
    annotations.push({
      node: child,
      name: name.slice(name.lastIndexOf('.') + 1),
      args: child.field('arguments') ?? undefined,
    });
  }
  return annotations;
}
