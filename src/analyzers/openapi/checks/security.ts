import {
  asArray,
  asObject,
  asString,
  entries,
  isObject,
  show,
  type JsonObject,
} from '../model/json.ts';
import { operationRef, type CheckContext } from './context.ts';

interface Requirement {
  key: string;
  node: JsonObject;
  scopes: Map<string, string[]>;
}

/** A security requirement is identified by the set of schemes it combines. */
function requirements(list: unknown[] | undefined): Map<string, Requirement> {
  const result = new Map<string, Requirement>();
  for (const item of list ?? []) {
    if (!isObject(item)) continue;
    const scopes = new Map<string, string[]>();
    for (const [scheme, value] of entries(item))
      scopes.set(scheme, asArray(value).map(String));
    const key = [...scopes.keys()].sort().join(' + ');
    if (!result.has(key)) result.set(key, { key, node: item, scopes });
  }
  return result;
}

interface SecurityIds {
  removed: string;
  added: string;
  scopeRemoved: string;
  scopeAdded: string;
}

function diffRequirements(
  ctx: CheckContext,
  before: unknown[] | undefined,
  after: unknown[] | undefined,
  ids: SecurityIds,
  where: {
    operation?: { method: string; path: string };
    baseNode: unknown;
    headNode: unknown;
  },
): void {
  const left = requirements(before);
  const right = requirements(after);
  for (const [key, requirement] of left) {
    const twin = right.get(key);
    if (!twin) {
      ctx.emit(ids.removed, {
        operation: where.operation,
        side: 'base',
        nodes: [requirement.node, where.baseNode],
        facts: { value: key || 'anonymous access' },
      });
      continue;
    }
    for (const [scheme, scopes] of requirement.scopes) {
      const now = twin.scopes.get(scheme) ?? [];
      for (const scope of scopes.filter((s) => !now.includes(s))) {
        ctx.emit(ids.scopeRemoved, {
          operation: where.operation,
          side: 'base',
          nodes: [requirement.node, where.baseNode],
          facts: { value: scope, detail: scheme },
        });
      }
      for (const scope of now.filter((s) => !scopes.includes(s))) {
        ctx.emit(ids.scopeAdded, {
          operation: where.operation,
          side: 'head',
          nodes: [twin.node, where.headNode],
          facts: { value: scope, detail: scheme },
        });
      }
    }
  }
  for (const [key, requirement] of right) {
    if (!left.has(key))
      ctx.emit(ids.added, {
        operation: where.operation,
        side: 'head',
        nodes: [requirement.node, where.headNode],
        facts: { value: key || 'anonymous access' },
      });
  }
}

/** Security requirements of the whole API and of each operation. */
export function checkSecurityRequirements(ctx: CheckContext): void {
  diffRequirements(
    ctx,
    ctx.base.security,
    ctx.head.security,
    {
      removed: 'api-global-security-removed',
      added: 'api-global-security-added',
      scopeRemoved: 'api-global-security-scope-removed',
      scopeAdded: 'api-global-security-scope-added',
    },
    { baseNode: ctx.base.source.document, headNode: ctx.head.source.document },
  );
  for (const operation of ctx.operations) {
    diffRequirements(
      ctx,
      operation.base.security,
      operation.head.security,
      {
        removed: 'api-security-removed',
        added: 'api-security-added',
        scopeRemoved: 'api-security-scope-removed',
        scopeAdded: 'api-security-scope-added',
      },
      {
        operation: operationRef(operation),
        baseNode: operation.base.node,
        headNode: operation.head.node,
      },
    );
  }
}

/** Security schemes defined under components (securityDefinitions in Swagger 2.0). */
export function checkSecuritySchemes(ctx: CheckContext): void {
  for (const [name, scheme] of ctx.base.securitySchemes) {
    const twin = ctx.head.securitySchemes.get(name);
    if (!twin) {
      ctx.emit('api-security-component-removed', {
        side: 'base',
        nodes: [scheme],
        facts: { value: name },
      });
      continue;
    }
    if (scheme.type !== twin.type) {
      ctx.emit('api-security-component-type-changed', {
        side: 'head',
        nodes: [twin],
        key: 'type',
        facts: { value: name, from: show(scheme.type), to: show(twin.type) },
      });
    }
    const flowsBefore = asObject(scheme.flows) ?? {};
    const flowsAfter = asObject(twin.flows) ?? {};
    for (const [flowName, flow] of entries(flowsBefore)) {
      const before = asObject(flow);
      const after = asObject(flowsAfter[flowName]);
      if (!before || !after) continue;
      if (
        asString(before.authorizationUrl) !== asString(after.authorizationUrl)
      ) {
        ctx.emit('api-security-component-oauth-url-changed', {
          side: 'head',
          nodes: [after],
          key: 'authorizationUrl',
          facts: {
            value: name,
            from: show(before.authorizationUrl),
            to: show(after.authorizationUrl),
          },
        });
      }
      if (asString(before.tokenUrl) !== asString(after.tokenUrl)) {
        ctx.emit('api-security-component-oauth-token-url-changed', {
          side: 'head',
          nodes: [after],
          key: 'tokenUrl',
          facts: {
            value: name,
            from: show(before.tokenUrl),
            to: show(after.tokenUrl),
          },
        });
      }
      const scopesBefore = asObject(before.scopes) ?? {};
      const scopesAfter = asObject(after.scopes) ?? {};
      for (const scope of Object.keys(scopesBefore)) {
        if (!Object.hasOwn(scopesAfter, scope))
          ctx.emit('api-security-component-oauth-scope-removed', {
            side: 'base',
            nodes: [before],
            key: 'scopes',
            facts: { value: scope, detail: name },
          });
        else if (scopesBefore[scope] !== scopesAfter[scope])
          ctx.emit('api-security-component-oauth-scope-changed', {
            side: 'head',
            nodes: [after],
            key: 'scopes',
            facts: { value: scope, detail: name },
          });
      }
      for (const scope of Object.keys(scopesAfter)) {
        if (!Object.hasOwn(scopesBefore, scope))
          ctx.emit('api-security-component-oauth-scope-added', {
            side: 'head',
            nodes: [after],
            key: 'scopes',
            facts: { value: scope, detail: name },
          });
      }
    }
  }
  for (const [name, scheme] of ctx.head.securitySchemes) {
    if (!ctx.base.securitySchemes.has(name))
      ctx.emit('api-security-component-added', {
        side: 'head',
        nodes: [scheme],
        facts: { value: name },
      });
  }
}
