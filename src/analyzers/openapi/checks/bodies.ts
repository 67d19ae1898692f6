import {
  operationRef,
  pairMediaTypes,
  pairResponses,
  type CheckContext,
  type OperationPair,
} from './context.ts';
import { checkProperties } from './properties.ts';
import { checkSchemaAttributes, type SchemaScope } from './schema-rules.ts';
import type { MediaType } from '../model/spec.ts';
import type { SchemaDiff } from '../diff/schema-diff.ts';

/** The request body: presence, required flag, media types and their schemas. */
export function checkRequestBodies(ctx: CheckContext): void {
  for (const operation of ctx.operations) {
    const at = operationRef(operation);
    const before = operation.base.requestBody;
    const after = operation.head.requestBody;
    if (before && !after) {
      ctx.emit('request-body-removed', {
        operation: at,
        side: 'base',
        nodes: [before.node],
      });
      continue;
    }
    if (!after) continue;
    if (!before) {
      ctx.emit(
        after.required
          ? 'request-body-added-required'
          : 'request-body-added-optional',
        { operation: at, side: 'head', nodes: [after.node] },
      );
      continue;
    }
    if (before.required !== after.required) {
      ctx.emit(
        after.required
          ? 'request-body-became-required'
          : 'request-body-became-optional',
        { operation: at, side: 'head', nodes: [after.node], key: 'required' },
      );
    }
    const media = pairMediaTypes(before.content, after.content);
    for (const removed of media.removed)
      ctx.emit('request-body-media-type-removed', {
        operation: at,
        side: 'base',
        nodes: [removed.node],
        facts: { mediaType: removed.name },
      });
    for (const added of media.added)
      ctx.emit('request-body-media-type-added', {
        operation: at,
        side: 'head',
        nodes: [added.node],
        facts: { mediaType: added.name },
      });
    for (const pair of media.pairs) {
      if (
        schemaPresenceChanged(
          ctx,
          operation,
          pair.base,
          pair.head,
          'request-body',
          undefined,
        )
      )
        continue;
      checkSchema(
        ctx,
        ctx.schemaDiff(pair.base.schema, pair.head.schema),
        'request',
        pair.name,
        at,
        undefined,
      );
    }
  }
}

/** Responses: statuses, headers, media types and their schemas. */
export function checkResponses(ctx: CheckContext): void {
  for (const operation of ctx.operations) {
    const at = operationRef(operation);
    const responses = pairResponses(operation);
    for (const removed of responses.removed) {
      ctx.emit(
        isSuccess(removed.status)
          ? 'response-success-status-removed'
          : 'response-non-success-status-removed',
        {
          operation: at,
          side: 'base',
          nodes: [removed.node],
          facts: { status: removed.status },
        },
      );
    }
    for (const added of responses.added) {
      ctx.emit(
        isSuccess(added.status)
          ? 'response-success-status-added'
          : 'response-non-success-status-added',
        {
          operation: at,
          side: 'head',
          nodes: [added.node],
          facts: { status: added.status },
        },
      );
    }
    for (const pair of responses.pairs) {
      for (const [name, header] of pair.base.headers) {
        const twin =
          pair.head.headers.get(name) ??
          [...pair.head.headers.values()].find(
            (h) => h.name.toLowerCase() === name.toLowerCase(),
          );
        if (!twin) {
          ctx.emit(
            header.required
              ? 'required-response-header-removed'
              : 'optional-response-header-removed',
            {
              operation: at,
              side: 'base',
              nodes: [header.node],
              facts: { header: name, status: pair.status },
            },
          );
        } else if (header.required && !twin.required) {
          ctx.emit('response-header-became-optional', {
            operation: at,
            side: 'head',
            nodes: [twin.node],
            key: 'required',
            facts: { header: name, status: pair.status },
          });
        }
      }
      const media = pairMediaTypes(pair.base.content, pair.head.content);
      for (const removed of media.removed) {
        ctx.emit('response-media-type-removed', {
          operation: at,
          side: 'base',
          nodes: [removed.node],
          facts: { mediaType: removed.name, status: pair.status },
        });
      }
      for (const added of media.added) {
        ctx.emit('response-media-type-added', {
          operation: at,
          side: 'head',
          nodes: [added.node],
          facts: { mediaType: added.name, status: pair.status },
        });
      }
      for (const mediaPair of media.pairs) {
        if (
          schemaPresenceChanged(
            ctx,
            operation,
            mediaPair.base,
            mediaPair.head,
            'response-body',
            pair.status,
          )
        )
          continue;
        checkSchema(
          ctx,
          ctx.schemaDiff(mediaPair.base.schema, mediaPair.head.schema),
          'response',
          mediaPair.name,
          at,
          pair.status,
        );
      }
    }
  }
}

/** Attribute and property rules on one media type's schema, checked once per distinct schema pair. */
function checkSchema(
  ctx: CheckContext,
  diff: SchemaDiff | undefined,
  direction: SchemaScope['direction'],
  mediaType: string,
  operation: { method: string; path: string },
  status: string | undefined,
): void {
  if (!diff) return;
  const scope: SchemaScope = { direction, mediaType };
  ctx.replaySchemaChecks(
    diff,
    `${direction}\u0000${mediaType}`,
    (sink) => {
      checkSchemaAttributes(sink, diff, scope);
      checkProperties(sink, diff, scope);
    },
    operation,
    status,
  );
}

/** A media type that gained or lost its schema altogether. */
function schemaPresenceChanged(
  ctx: CheckContext,
  operation: OperationPair,
  base: MediaType,
  head: MediaType,
  prefix: string,
  status: string | undefined,
): boolean {
  if (!base.schema === !head.schema) return false;
  const at = operationRef(operation);
  if (head.schema)
    ctx.emit(`${prefix}-media-type-schema-added`, {
      operation: at,
      side: 'head',
      nodes: [head.schema, head.node],
      facts: { mediaType: head.name, status },
    });
  else
    ctx.emit(`${prefix}-media-type-schema-removed`, {
      operation: at,
      side: 'base',
      nodes: [base.schema, base.node],
      facts: { mediaType: base.name, status },
    });
  return true;
}

/** 2xx statuses, written out (`201`) or as a range (`2XX`). */
export function isSuccess(status: string): boolean {
  return /^2(\d\d|XX)$/i.test(status);
}
