import type { SgNode } from '@ast-grep/napi';
import {
  callOf,
  keywordArgument,
  positional,
  type Call,
} from '../../code/calls.ts';
import type { SourceFile } from '../../code/source-file.ts';
import {
  compact,
  namedChildren,
  namesIn,
  startLine,
  stringValue,
} from '../../code/syntax.ts';
import { firstAuthName } from '../auth-names.ts';
import { joinPath, type Route } from '../route.ts';

const VERBS: Record<string, string> = {
  get: 'GET',
  post: 'POST',
  put: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  head: 'HEAD',
  options: 'OPTIONS',
};
const ROUTERS =
  /^(?:(?:fastapi\.)?(?:APIRouter|FastAPI)|(?:flask\.)?(?:Blueprint|Flask))$/;
const APPS = /^(?:(?:fastapi\.)?FastAPI|(?:flask\.)?Flask)$/;

/** Prefix, auth and kind of a router object created in this file. */
interface RouterInfo {
  prefix: string;
  prefixLine?: number;
  auth?: { line: number; what: string };
  app: boolean;
}

/** FastAPI and Flask decorators, and Django `urlpatterns`. */
export function extractPythonRoutes(file: SourceFile): Route[] {
  const routers = routerObjects(file);
  const routes: Route[] = [];
  for (const definition of file.root.findAll({
    rule: {
      kind: 'decorated_definition',
      has: { field: 'definition', kind: 'function_definition' },
    },
  })) {
    const fn = definition.field('definition')!;
    const decorators = namedChildren(definition).filter(
      (child) => child.kind() === 'decorator',
    );
    const functionAuth = decoratorAuth(decorators) ?? parameterAuth(fn);
    for (const d of decorators) {
      const expression = namedChildren(d)[0];
      const call =
        expression?.kind() === 'call' ? callOf(expression) : undefined;
      if (!call?.receiver) continue;
      const methods = methodsOf(call);
      const path = stringValue(
        positional(call)[0] ??
          keywordArgument(call, 'path') ??
          keywordArgument(call, 'rule'),
      );
      if (!methods || path === undefined || !path.startsWith('/')) continue;
      const owner = routers.get(compact(call.receiver));
      const line = startLine(d);
      const dependencyAuth = dependencies(
        keywordArgument(call, 'dependencies'),
      );
      const auth = dependencyAuth ?? functionAuth ?? owner?.auth;
      for (const method of methods) {
        routes.push({
          method,
          path: joinPath(owner?.prefix ?? '', path),
          handler: fn.field('name')?.text(),
          line,
          definedAt: owner?.prefixLine ? [line, owner.prefixLine] : [line],
          auth,
          explicitlyPublic: false,
          scope: owner?.app ? 'app' : 'router',
        });
      }
    }
  }
  if (file.text.includes('urlpatterns')) routes.push(...djangoRoutes(file));
  return routes;
}

function methodsOf(call: Call): string[] | undefined {
  const verb = VERBS[call.name];
  if (verb) return [verb];
  if (call.name !== 'route' && call.name !== 'api_route') return undefined;
  const listed = keywordArgument(call, 'methods');
  if (!listed) return ['GET'];
  const methods = namedChildren(listed)
    .map((item) => stringValue(item)?.toUpperCase())
    .filter((m): m is string => m !== undefined);
  return methods.length > 0 ? methods : undefined;
}

/** `@login_required`, `@jwt_required()`, `@auth.login_required`, `@permission_required('x')`. */
function decoratorAuth(decorators: SgNode[]): Route['auth'] {
  for (const d of decorators) {
    const expression = namedChildren(d)[0];
    const callee =
      expression?.kind() === 'call' ? expression.field('function') : expression;
    // A route decorator's own arguments are checked separately (`dependencies=`).
    if (
      !callee ||
      (expression?.kind() === 'call' &&
        callee.kind() === 'attribute' &&
        (VERBS[callee.field('attribute')?.text() ?? ''] ||
          /route$/.test(callee.text())))
    )
      continue;
    const what = firstAuthName([callee.text()]);
    if (what) return { line: startLine(d), what: `@${what}` };
  }
  return undefined;
}

/** FastAPI parameters: `user: User = Depends(get_current_user)`, `Security(...)`, `Annotated[..., Depends(...)]`. */
function parameterAuth(fn: SgNode): Route['auth'] {
  const params = fn.field('parameters');
  if (!params) return undefined;
  for (const call of params.findAll({
    rule: {
      kind: 'call',
      has: { field: 'function', regex: '^(?:Depends|Security)$' },
    },
  })) {
    const what =
      call.field('function')!.text() === 'Security'
        ? 'Security(...)'
        : firstAuthName(namesIn(call, 'python'));
    if (what) return { line: startLine(call), what };
  }
  return undefined;
}

/** `dependencies=[Depends(verify_token)]`. */
function dependencies(list: SgNode | undefined): Route['auth'] {
  if (!list) return undefined;
  const what = firstAuthName(namesIn(list, 'python'));
  return what ? { line: startLine(list), what } : undefined;
}

/** `router = APIRouter(prefix=..., dependencies=[...])`, `bp = Blueprint(..., url_prefix=...)`, `app = FastAPI()`, plus `@bp.before_request` guards. */
function routerObjects(file: SourceFile): Map<string, RouterInfo> {
  const routers = new Map<string, RouterInfo>();
  for (const assignment of file.root.findAll({
    rule: { kind: 'assignment', has: { field: 'right', kind: 'call' } },
  })) {
    const value = assignment.field('right')!;
    const call = callOf(value);
    const target = assignment.field('left');
    if (!call || !target || !ROUTERS.test(call.callee)) continue;
    const prefixNode =
      keywordArgument(call, 'prefix') ?? keywordArgument(call, 'url_prefix');
    routers.set(compact(target), {
      prefix: stringValue(prefixNode) ?? '',
      prefixLine: prefixNode ? startLine(prefixNode) : undefined,
      auth: dependencies(keywordArgument(call, 'dependencies')),
      app: APPS.test(call.callee),
    });
  }
  // Flask: @bp.before_request def require_login(): ...  /  bp.before_request(check_auth)
  for (const node of file.root.findAll({
    rule: {
      kind: 'attribute',
      has: { field: 'attribute', regex: '^before_(?:app_)?request$' },
    },
  })) {
    const owner = routers.get(compact(node.field('object')!));
    if (!owner || owner.auth) continue;
    const parent = node.parent();
    let names: string[] = [];
    if (parent?.kind() === 'decorator') {
      const fn = parent.parent()?.field('definition');
      if (fn)
        names = [
          fn.field('name')?.text() ?? '',
          ...namesIn(fn.field('body') ?? fn, 'python'),
        ];
    } else if (parent?.kind() === 'call') {
      names = namesIn(parent.field('arguments') ?? parent, 'python');
    }
    const what = firstAuthName(names);
    if (what) owner.auth = { line: startLine(node), what };
  }
  return routers;
}

/** Django `path('users/<int:pk>/', views.detail)` and `re_path(...)`: the method is not part of the route. */
function djangoRoutes(file: SourceFile): Route[] {
  const routes: Route[] = [];
  for (const node of file.root.findAll({
    rule: {
      kind: 'call',
      has: { field: 'function', regex: '^(?:path|re_path|url)$' },
    },
  })) {
    const call = callOf(node);
    const args = call ? positional(call) : [];
    const pattern = stringValue(args[0]);
    const view = args[1];
    if (pattern === undefined || !view) continue;
    const route = pattern.replace(/^\^/, '').replace(/\$$/, '');
    const wrapped =
      view.kind() === 'call'
        ? firstAuthName(namesIn(view.field('function')!, 'python'))
        : undefined;
    routes.push({
      method: 'ANY',
      path: joinPath(route),
      handler: compact(view),
      line: startLine(node),
      definedAt: [startLine(node)],
      auth: wrapped ? { line: startLine(view), what: wrapped } : undefined,
      explicitlyPublic: false,
      scope: 'router',
    });
  }
  return routes;
}
