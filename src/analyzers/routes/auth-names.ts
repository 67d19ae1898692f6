/**
 * Names of middleware, dependencies, decorators and annotations that authenticate or authorize a
 * request: `requireAuth`, `passport.authenticate`, `get_current_user`, `@UseGuards`, `@PreAuthorize`.
 */
const AUTH =
  /auth(?!or)|jwt|login_?required|logged_?in|token|guard|protect|permission|privilege|roles?(?:[A-Z_]|$)|admin|acl|passport|signature|secur|current_?\w*user|api_?key|(?:require|ensure)_?(?:user|session|login)|verify_?(?:user|session|request|jwt|token|signature|webhook)|session_?required/i;
/** Protections that are not about who the caller is. */
const NOT_AUTH = /csrf|xsrf|rate_?limit|limiter|throttl/i;

export function isAuthName(name: string): boolean {
  return AUTH.test(name) && !NOT_AUTH.test(name);
}

/** The first name in a list that reads as authentication/authorization. */
export function firstAuthName(names: Iterable<string>): string | undefined {
  for (const name of names) if (isAuthName(name)) return name;
  return undefined;
}
