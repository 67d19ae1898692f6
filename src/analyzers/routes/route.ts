/** One route a file registers, as far as the code shows. */
export interface Route {
  /** Upper-case HTTP method, or `ANY` when the registration does not restrict it. */
  method: string;
  /** The path as registered, with prefixes from the same file applied. */
  path: string;
  /** The named handler (`UsersController.create`, `handlers.CreateUser`); absent for inline functions. */
  handler?: string;
  /** The line of the registration (decorator, annotation or call). */
  line: number;
  /** Every line whose change changes this route: its own line and the prefixes it inherits. */
  definedAt: number[];
  /** Visible authentication or authorization, with where it is. */
  auth?: { line: number; what: string };
  /** Marked public on purpose (`@Public()`, `@PermitAll`). */
  explicitlyPublic: boolean;
  /**
   * `app` when the route hangs off an application object created in this file, so nothing outside the
   * file adds middleware to it; `router` when it may be mounted (or guarded) elsewhere.
   */
  scope: 'app' | 'router';
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isMutating(route: Route): boolean {
  return MUTATING.has(route.method);
}

/** Joins path segments the way routers do: one slash between parts, none doubled. */
export function joinPath(...parts: string[]): string {
  const joined = parts
    .filter((part) => part !== '')
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter((part) => part !== '')
    .join('/');
  return `/${joined}`;
}

/**
 * A comparable form of a path: parameters of every framework (`:id`, `{id}`, `<int:id>`, regex groups)
 * become `{}`, and slashes are normalised, so renaming a parameter is not a path change.
 */
export function normalizePath(path: string): string {
  let p = path.trim().replace(/^\^/, '').replace(/\$$/, '');
  p = p
    .replace(/\(\?P<\w+>[^)]*\)/g, '{}') // Django re_path named groups
    .replace(/<(?:\w+:)?\w+>/g, '{}') // Flask/Django converters
    .replace(/\{[^}]*\}/g, '{}') // FastAPI, Spring, chi, Go 1.22, Nest wildcards
    .replace(/:\w+\??(?:\([^)]*\))?/g, '{}'); // Express/Koa/Fastify/Gin/Echo
  p = `/${p}`.replace(/\/{2,}/g, '/');
  return p.length > 1 ? p.replace(/\/$/, '') : p;
}

export function routeKey(route: Pick<Route, 'method' | 'path'>): string {
  return `${route.method} ${normalizePath(route.path)}`;
}

/** Paths that are public by nature; a missing auth check there is worth a look, not a block. */
export function looksPublic(path: string): boolean {
  return /login|log-in|signin|sign-in|signup|sign-up|register|logout|webhook|health|healthz|ready|readiness|liveness|callback|oauth|forgot|reset-password|verify-email/i.test(
    path,
  );
}
