import type { Operation, PathEntry } from '../model/spec.ts';
import { isTrue } from '../model/json.ts';
import { operationRef, type CheckContext } from './context.ts';
import {
  civilDateOf,
  compareDates,
  formatDate,
  readStability,
  readSunset,
} from './lifecycle.ts';

/** Removed paths and operations, judged by their deprecation and sunset date at base. */
export function checkRemovedEndpoints(ctx: CheckContext): void {
  for (const entry of ctx.removedPaths) {
    if (!pathStillPromised(ctx, entry)) continue;
    for (const operation of entry.operations.values()) {
      const stability = readStability(operation.node);
      if (
        !stability.ok ||
        stability.level === 'draft' ||
        stability.level === 'alpha'
      )
        continue;
      judgeRemoval(ctx, operation, true);
    }
  }
  for (const pair of ctx.pathPairs) {
    for (const [method, operation] of pair.base.operations) {
      if (pair.head.operations.has(method)) continue;
      const stability = readStability(operation.node);
      if (!stability.ok) {
        ctx.emit('api-invalid-stability-level', {
          operation: { method, path: pair.path },
          side: 'base',
          nodes: [operation.node],
          key: 'x-stability-level',
          facts: { detail: stability.error },
        });
        continue;
      }
      if (stability.level === 'draft' || stability.level === 'alpha') continue;
      judgeRemoval(ctx, operation, false);
    }
  }
}

/** A removed path matters unless every operation on it was draft or alpha. */
function pathStillPromised(ctx: CheckContext, entry: PathEntry): boolean {
  let promised = false;
  for (const [method, operation] of entry.operations) {
    const stability = readStability(operation.node);
    if (!stability.ok) {
      ctx.emit('api-invalid-stability-level', {
        operation: { method, path: entry.path },
        side: 'base',
        nodes: [operation.node],
        key: 'x-stability-level',
        facts: { detail: stability.error },
      });
      continue;
    }
    if (stability.level !== 'draft' && stability.level !== 'alpha')
      promised = true;
  }
  return promised;
}

function judgeRemoval(
  ctx: CheckContext,
  operation: Operation,
  wholePath: boolean,
): void {
  const at = { method: operation.method, path: operation.path };
  const nodes = [operation.node];
  if (!isTrue(operation.node.deprecated)) {
    ctx.emit(
      wholePath
        ? 'api-path-removed-without-deprecation'
        : 'api-removed-without-deprecation',
      { operation: at, side: 'base', nodes },
    );
    return;
  }
  const sunset = readSunset(operation.node);
  if (!sunset.present) {
    ctx.emit(
      wholePath
        ? 'api-path-removed-with-deprecation'
        : 'api-removed-with-deprecation',
      { operation: at, side: 'base', nodes },
    );
    return;
  }
  if (!sunset.ok) {
    ctx.emit('api-path-sunset-parse', {
      operation: at,
      side: 'base',
      nodes,
      key: 'x-sunset',
      facts: { detail: sunset.error },
    });
    return;
  }
  if (compareDates(civilDateOf(ctx.now), sunset.date) < 0) {
    ctx.emit(
      wholePath
        ? 'api-path-removed-before-sunset'
        : 'api-removed-before-sunset',
      {
        operation: at,
        side: 'base',
        nodes,
        key: 'x-sunset',
        facts: { value: formatDate(sunset.date) },
      },
    );
  }
}

export function checkAddedEndpoints(ctx: CheckContext): void {
  for (const entry of ctx.addedPaths) {
    for (const operation of entry.operations.values())
      ctx.emit('endpoint-added', {
        operation: { method: operation.method, path: operation.path },
        side: 'head',
        nodes: [operation.node],
      });
  }
  for (const pair of ctx.pathPairs) {
    for (const [method, operation] of pair.head.operations) {
      if (!pair.base.operations.has(method))
        ctx.emit('endpoint-added', {
          operation: { method, path: pair.path },
          side: 'head',
          nodes: [operation.node],
        });
    }
  }
}

/** Newly deprecated or reactivated operations. No minimum sunset notice is configured, so only a past date is an error. */
export function checkEndpointDeprecation(ctx: CheckContext): void {
  for (const operation of ctx.operations) {
    const before = isTrue(operation.base.node.deprecated);
    const after = isTrue(operation.head.node.deprecated);
    if (before === after) continue;
    const at = operationRef(operation);
    const nodes = [operation.head.node];
    if (!after) {
      ctx.emit('endpoint-reactivated', { operation: at, side: 'head', nodes });
      continue;
    }
    if (!readStability(operation.head.node).ok) continue;
    const sunset = readSunset(operation.head.node);
    if (!sunset.present) {
      ctx.emit('endpoint-deprecated', {
        operation: at,
        side: 'head',
        nodes,
        key: 'deprecated',
      });
    } else if (!sunset.ok) {
      ctx.emit('api-deprecated-sunset-parse', {
        operation: at,
        side: 'head',
        nodes,
        key: 'x-sunset',
        facts: { detail: sunset.error },
      });
    } else if (compareDates(sunset.date, civilDateOf(ctx.now)) < 0) {
      ctx.emit('api-sunset-date-too-small', {
        operation: at,
        side: 'head',
        nodes,
        key: 'x-sunset',
        facts: { value: formatDate(sunset.date) },
      });
    } else {
      ctx.emit('endpoint-deprecated-with-sunset', {
        operation: at,
        side: 'head',
        nodes,
        key: 'deprecated',
        facts: { value: formatDate(sunset.date) },
      });
    }
  }
}

/** A deprecated operation's sunset date removed or moved earlier. */
export function checkEndpointSunset(ctx: CheckContext): void {
  for (const operation of ctx.operations) {
    if (!isTrue(operation.head.node.deprecated)) continue;
    const at = operationRef(operation);
    const before = readSunset(operation.base.node);
    const after = readSunset(operation.head.node);
    if (!before.present && !after.present) continue;
    if (before.present && !after.present) {
      ctx.emit('sunset-deleted', {
        operation: at,
        side: 'base',
        nodes: [operation.base.node],
        key: 'x-sunset',
      });
      continue;
    }
    if (
      !before.present ||
      !after.present ||
      String(operation.base.node['x-sunset']) ===
        String(operation.head.node['x-sunset'])
    )
      continue;
    if (!after.ok) {
      ctx.emit('api-path-sunset-parse', {
        operation: at,
        side: 'head',
        nodes: [operation.head.node],
        key: 'x-sunset',
        facts: { detail: after.error },
      });
      continue;
    }
    if (!before.ok) {
      ctx.emit('api-path-sunset-parse', {
        operation: at,
        side: 'base',
        nodes: [operation.base.node],
        key: 'x-sunset',
        facts: { detail: before.error },
      });
      continue;
    }
    if (
      compareDates(before.date, after.date) > 0 &&
      compareDates(after.date, civilDateOf(ctx.now)) < 0
    ) {
      ctx.emit('api-sunset-date-changed-too-small', {
        operation: at,
        side: 'head',
        nodes: [operation.head.node],
        key: 'x-sunset',
        facts: { from: formatDate(before.date), to: formatDate(after.date) },
      });
    }
  }
}

export function checkWebhooks(ctx: CheckContext): void {
  for (const [name, entry] of ctx.base.webhooks) {
    if (!ctx.head.webhooks.has(name))
      ctx.emit('webhook-removed', {
        side: 'base',
        nodes: [entry.node],
        facts: { value: name },
      });
  }
  for (const [name, entry] of ctx.head.webhooks) {
    if (!ctx.base.webhooks.has(name))
      ctx.emit('webhook-added', {
        side: 'head',
        nodes: [entry.node],
        facts: { value: name },
      });
  }
}
