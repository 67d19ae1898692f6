import type { SgNode } from '@ast-grep/napi';
import {
  javaAnnotations,
  type JavaAnnotation,
} from '../../code/request-handlers.ts';
import type { SourceFile } from '../../code/source-file.ts';
import { namedChildren, startLine, stringValue } from '../../code/syntax.ts';
import { isAuthName } from '../auth-names.ts';
import { joinPath, type Route } from '../route.ts';

const MAPPINGS: Record<string, string | undefined> = {
  GetMapping: 'GET',
  PostMapping: 'POST',
  PutMapping: 'PUT',
  PatchMapping: 'PATCH',
  DeleteMapping: 'DELETE',
  RequestMapping: undefined,
};
const SECURITY = new Set([
  'PreAuthorize',
  'Secured',
  'RolesAllowed',
  'PostAuthorize',
]);

/** Spring MVC / WebFlux controllers: class-level `@RequestMapping` prefixes, method mappings, method security. */
export function extractJavaRoutes(file: SourceFile): Route[] {
  const routes: Route[] = [];
  for (const cls of file.root.findAll({
    rule: { kind: 'class_declaration' },
  })) {
    const classAnnotations = javaAnnotations(cls);
    const classMapping = classAnnotations.find(
      (a) => a.name === 'RequestMapping',
    );
    const prefixes = classMapping ? paths(classMapping) : [''];
    const classAuth = classAnnotations.find(isSecurity);
    const classPublic = classAnnotations.some((a) => a.name === 'PermitAll');
    const body = cls.field('body');
    if (!body) continue;
    for (const method of namedChildren(body)) {
      if (method.kind() !== 'method_declaration') continue;
      const annotations = javaAnnotations(method);
      const mapping = annotations.find((a) => a.name in MAPPINGS);
      if (!mapping) continue;
      const verbs = MAPPINGS[mapping.name]
        ? [MAPPINGS[mapping.name]!]
        : requestMethods(mapping);
      const auth =
        annotations.find(isSecurity) ?? principalParameter(method) ?? classAuth;
      const line = startLine(mapping.node);
      for (const prefix of prefixes) {
        for (const path of paths(mapping)) {
          for (const verb of verbs) {
            routes.push({
              method: verb,
              path: joinPath(prefix, path),
              handler: `${cls.field('name')?.text() ?? ''}.${method.field('name')?.text() ?? ''}`,
              line,
              definedAt: classMapping
                ? [line, startLine(classMapping.node)]
                : [line],
              auth: auth
                ? { line: startLine(auth.node), what: `@${auth.name}` }
                : undefined,
              explicitlyPublic:
                classPublic || annotations.some((a) => a.name === 'PermitAll'),
              scope: 'router',
            });
          }
        }
      }
    }
  }
  return routes;
}

function isSecurity(annotation: JavaAnnotation): boolean {
  return (
    SECURITY.has(annotation.name) ||
    (annotation.name !== 'PermitAll' && isAuthName(annotation.name))
  );
}

/** A `@AuthenticationPrincipal` parameter shows the method expects an authenticated caller. */
function principalParameter(method: SgNode): JavaAnnotation | undefined {
  const params = method.field('parameters');
  if (!params) return undefined;
  for (const param of namedChildren(params)) {
    const found = javaAnnotations(param).find(
      (a) => a.name === 'AuthenticationPrincipal',
    );
    if (found) return found;
  }
  return undefined;
}

/** `@X("/a")`, `@X(value = "/a")`, `@X(path = {"/a", "/b"})`, `@X` → the paths. */
function paths(annotation: JavaAnnotation): string[] {
  const args = annotation.args ? namedChildren(annotation.args) : [];
  for (const arg of args) {
    if (arg.kind() === 'element_value_pair') {
      const key = arg.field('key')?.text();
      if (key === 'value' || key === 'path') return strings(arg.field('value'));
    } else {
      return strings(arg);
    }
  }
  return [''];
}

function strings(node: SgNode | null): string[] {
  if (!node) return [''];
  if (node.kind() === 'element_value_array_initializer') {
    const values = namedChildren(node)
      .map((item) => stringValue(item))
      .filter((v): v is string => v !== undefined);
    return values.length > 0 ? values : [''];
  }
  return [stringValue(node) ?? ''];
}

/** `@RequestMapping(method = RequestMethod.POST)` or `{RequestMethod.GET, RequestMethod.POST}`; none → ANY. */
function requestMethods(annotation: JavaAnnotation): string[] {
  const pair = (annotation.args ? namedChildren(annotation.args) : []).find(
    (arg) =>
      arg.kind() === 'element_value_pair' &&
      arg.field('key')?.text() === 'method',
  );
  const value = pair?.field('value');
  if (!value) return ['ANY'];
  const items =
    value.kind() === 'element_value_array_initializer'
      ? namedChildren(value)
      : [value];
  const methods = items.map((item) =>
    item.text().split('.').at(-1)!.toUpperCase(),
  );
  return methods.length > 0 ? methods : ['ANY'];
}
