import type { Route } from '../../../../src/analyzers/routes/index.ts';

/** `METHOD path handler auth scope@line`, for compact comparisons of extracted tables. */
export function table(routes: Route[]): string[] {
  return routes.map(
    (r) =>
      `${r.method} ${r.path} ${r.handler ?? '-'} ${r.auth ? `auth:${r.auth.what}` : 'open'} ${r.scope}@${r.line}`,
  );
}
