import type { DraftFinding, LineRange, Lens } from '../../core/finding.ts';
import { draftFinding } from '../code/findings.ts';
import type { FileRoutes } from './route-tables.ts';
import {
  isMutating,
  looksPublic,
  normalizePath,
  routeKey,
  type Route,
} from './route.ts';
import { defineRule, type RuleDescriptor } from '../../core/rules.ts';

export const ROUTE_REMOVED = defineRule({
  id: 'api-contract/route-removed',
  severity: 'high',
  title: 'HTTP route removed',
  appliesTo: { fileKinds: ['route-table'] },
});

export const ROUTE_PATH_CHANGED = defineRule({
  id: 'api-contract/route-path-changed',
  severity: 'high',
  title: 'HTTP route moved to a different path',
  appliesTo: { fileKinds: ['route-table'] },
});

export const ROUTE_METHOD_CHANGED = defineRule({
  id: 'api-contract/route-method-changed',
  severity: 'high',
  title: 'HTTP route answers a different method',
  appliesTo: { fileKinds: ['route-table'] },
});

export const ROUTE_WITHOUT_AUTHORIZATION = defineRule({
  id: 'security/route-without-authorization',
  severity: 'high',
  title: 'Mutating route without visible authentication or authorization',
  appliesTo: { fileKinds: ['route-table'] },
});

/** The rules the route comparison reports. */
export const ROUTE_RULES: readonly RuleDescriptor[] = [
  ROUTE_REMOVED,
  ROUTE_PATH_CHANGED,
  ROUTE_METHOD_CHANGED,
  ROUTE_WITHOUT_AUTHORIZATION,
];

interface Located {
  route: Route;
  file: FileRoutes;
}

/**
 * Compares the route tables of all changed files, before and after. Routes are matched across files,
 * so moving a route from one file to another is not a removal.
 */
export function diffRoutes(
  files: FileRoutes[],
  lenses: ReadonlySet<Lens>,
): DraftFinding[] {
  const before = index(files, 'base');
  const after = index(files, 'head');
  const removed = [...before]
    .filter(([key]) => !after.has(key))
    .flatMap(([, list]) => list);
  const added = [...after]
    .filter(([key]) => !before.has(key))
    .flatMap(([, list]) => list);
  const findings: DraftFinding[] = [];
  const matched = new Set<Located>();

  for (const old of removed) {
    const moved = added.find(
      (n) =>
        !matched.has(n) &&
        sameHandler(old, n) &&
        n.route.method === old.route.method,
    );
    const retyped = moved
      ? undefined
      : added.find(
          (n) =>
            !matched.has(n) &&
            normalizePath(n.route.path) === normalizePath(old.route.path) &&
            (sameHandler(old, n) ||
              (!old.route.handler && !n.route.handler && n.file === old.file)),
        );
    if (moved) {
      matched.add(moved);
      if (lenses.has('api-contract')) findings.push(pathChanged(old, moved));
    } else if (retyped) {
      matched.add(retyped);
      if (lenses.has('api-contract'))
        findings.push(methodChanged(old, retyped));
    } else if (lenses.has('api-contract')) {
      findings.push(removedRoute(old));
    }
  }

  if (lenses.has('security')) {
    for (const fresh of added) {
      if (
        matched.has(fresh) ||
        !isMutating(fresh.route) ||
        fresh.route.auth ||
        fresh.route.explicitlyPublic
      )
        continue;
      findings.push(unprotected(fresh));
    }
    for (const [key, list] of after) {
      for (const now of list) {
        if (now.route.auth || now.route.explicitlyPublic) continue;
        const was = before
          .get(key)
          ?.find((b) => b.file === now.file && b.route.auth);
        if (was) findings.push(lostAuth(was, now));
      }
    }
  }
  return findings;
}

function index(
  files: FileRoutes[],
  side: 'base' | 'head',
): Map<string, Located[]> {
  const map = new Map<string, Located[]>();
  for (const file of files) {
    for (const route of file[side]) {
      const key = routeKey(route);
      const list = map.get(key) ?? [];
      list.push({ route, file });
      map.set(key, list);
    }
  }
  return map;
}

function sameHandler(a: Located, b: Located): boolean {
  return a.route.handler !== undefined && a.route.handler === b.route.handler;
}

function label(route: Route): string {
  return `${route.method === 'ANY' ? '' : `${route.method} `}${route.path}`;
}

/** The head-side line that made the route what it is now: a changed definition line if there is one. */
function headAnchor(located: Located): LineRange {
  const line =
    located.route.definedAt.find((l) => located.file.added.has(l)) ??
    located.route.line;
  return { start: line, end: line, side: 'RIGHT' };
}

function removedRoute(old: Located): DraftFinding {
  const line = old.route.line;
  return draftFinding(
    ROUTE_REMOVED,
    old.file.path,
    { start: line, end: line, side: 'LEFT' },
    {
      title: `Route \`${label(old.route)}\` was removed`,
      body: `Existing clients calling \`${label(old.route)}\` start getting 404s as soon as this is deployed; no route with this method and path remains in the changed files.`,
      fix: 'If the removal is intended, deprecate first: announce it, send `Deprecation`/`Sunset` headers, watch the traffic drop to zero, and remove it in a later (versioned) release. Otherwise restore the route.',
    },
  );
}

function pathChanged(old: Located, moved: Located): DraftFinding {
  return draftFinding(
    ROUTE_PATH_CHANGED,
    moved.file.path,
    headAnchor(moved),
    {
      title: `\`${label(old.route)}\` moved to \`${moved.route.path}\``,
      body: `The handler \`${moved.route.handler}\` now answers at \`${moved.route.path}\`. Clients still calling \`${old.route.path}\` get 404s once this is deployed.`,
      fix: `Keep \`${old.route.path}\` working during a deprecation period (register both paths, or redirect with 308, which keeps the method), or publish the new path as a new API version.`,
    },
    {
      related: [
        {
          path: old.file.path,
          line: old.route.line,
          note: `previously registered here (base line ${old.route.line})`,
        },
      ],
    },
  );
}

function methodChanged(old: Located, now: Located): DraftFinding {
  return draftFinding(ROUTE_METHOD_CHANGED, now.file.path, headAnchor(now), {
    title: `\`${old.route.path}\` now answers ${now.route.method} instead of ${old.route.method}`,
    body: `Clients sending ${old.route.method} \`${old.route.path}\` get 404 or 405 once this is deployed.`,
    fix: `Accept both ${old.route.method} and ${now.route.method} for a deprecation period, then remove the old method in a versioned release.`,
  });
}

function unprotected(fresh: Located): DraftFinding {
  const { route, file } = fresh;
  const siblingAuth = file.head.find(
    (other) => other !== route && other.auth,
  )?.auth;
  let severity: DraftFinding['severity'];
  let context: string;
  if (looksPublic(route.path)) {
    severity = 'medium';
    context =
      'The path looks public by design (login, sign-up, webhook, health); make sure it is meant to be called without credentials, and that a webhook verifies its signature.';
  } else if (siblingAuth) {
    severity = 'high';
    context = `Other routes in this file are protected (\`${siblingAuth.what}\`) but this one is not, so anyone who can reach the service can call it and change data.`;
  } else if (route.scope === 'app') {
    severity = 'high';
    context =
      'It is registered directly on the application, and nothing in this file authenticates requests to it, so anyone who can reach the service can call it and change data.';
  } else {
    severity = 'medium';
    context =
      'Nothing in this file authenticates it. It may be protected where this router is mounted or by a global guard; if not, anyone who can reach the service can change data through it.';
  }
  return draftFinding(
    ROUTE_WITHOUT_AUTHORIZATION,
    file.path,
    headAnchor(fresh),
    {
      title: `New route \`${label(route)}\` has no visible authentication or authorization`,
      body: context,
      fix: 'Add the authentication used elsewhere (middleware such as `requireAuth`, `@UseGuards(...)`, `Depends(get_current_user)`, `@PreAuthorize(...)`) and check that the caller may change this resource. If the route is public on purpose, mark it so explicitly (`@Public()`, `@PermitAll`) so the decision is visible.',
    },
    { severity },
  );
}

function lostAuth(was: Located, now: Located): DraftFinding {
  const authLine = was.route.auth!.line;
  const routeChanged = now.file.added.has(now.route.line);
  const lines: LineRange =
    !routeChanged && now.file.removed.has(authLine)
      ? { start: authLine, end: authLine, side: 'LEFT' }
      : { start: now.route.line, end: now.route.line, side: 'RIGHT' };
  return draftFinding(ROUTE_WITHOUT_AUTHORIZATION, now.file.path, lines, {
    title: `\`${label(now.route)}\` lost its authentication (\`${was.route.auth!.what}\`)`,
    body: `Before this change the route was protected by \`${was.route.auth!.what}\`; now nothing in this file authenticates it, so callers without credentials can reach it.`,
    fix: `Restore \`${was.route.auth!.what}\` (or an equivalent check) on this route. If it is meant to become public, mark it explicitly so the decision is visible.`,
  });
}
