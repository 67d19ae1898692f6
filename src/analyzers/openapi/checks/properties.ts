import type { SchemaDiff } from '../diff/schema-diff.ts';
import { joinPath, walkSchemaDiff } from '../diff/walk.ts';
import { asArray, isObject, isTrue, type JsonObject } from '../model/json.ts';
import type { ChangeSink } from './context.ts';
import {
  civilDateOf,
  compareDates,
  formatDate,
  readSunset,
} from './lifecycle.ts';
import type { SchemaScope } from './schema-rules.ts';
import { wrappedInOneOf } from './schema-rules.ts';
import { propertiesOf, propertyOf, requiredNames } from './schema-facts.ts';

/**
 * Every property name a schema offers, its allOf members included: a property that moved into
 * (or out of) an allOf member is still there for clients, so it is not reported as removed.
 */
function offeredProperties(
  schema: JsonObject,
  seen = new Set<JsonObject>(),
): Set<string> {
  const names = new Set<string>();
  if (seen.has(schema)) return names;
  seen.add(schema);
  for (const name of Object.keys(propertiesOf(schema))) names.add(name);
  for (const member of asArray(schema.allOf))
    if (isObject(member))
      for (const name of offeredProperties(member, seen)) names.add(name);
  return names;
}

function requiredOffered(
  schema: JsonObject,
  name: string,
  seen = new Set<JsonObject>(),
): boolean {
  if (seen.has(schema)) return false;
  seen.add(schema);
  if (requiredNames(schema).includes(name)) return true;
  return asArray(schema.allOf).some(
    (member) => isObject(member) && requiredOffered(member, name, seen),
  );
}

/** Properties added, removed, made required or optional in a request or response schema. */
export function checkProperties(
  ctx: ChangeSink,
  root: SchemaDiff | undefined,
  scope: SchemaScope,
): void {
  if (!root || root.added || root.deleted) return;
  const wrapped = wrappedInOneOf(root);
  const emit = (
    id: string,
    side: 'base' | 'head',
    node: unknown,
    property: string,
    key?: string,
    facts: Record<string, string> = {},
  ) =>
    ctx.emitIfKnown(id, {
      operation: scope.operation,
      side,
      nodes: [node],
      key,
      facts: {
        property,
        mediaType: scope.mediaType,
        status: scope.status,
        ...facts,
      },
    });

  if (scope.direction === 'request') requiredChangesInRequest(root, '', emit);
  else requiredChangesInResponse(root, '', emit, true);

  walkSchemaDiff(root, {
    properties: (path, diff) => {
      const properties = diff.maps.properties!;
      const headOffers = offeredProperties(diff.head);
      const baseOffers = offeredProperties(diff.base);
      for (const name of properties.deleted) {
        const property = propertyOf(diff.base, name) ?? {};
        if (headOffers.has(name) || (wrapped && diff === root)) continue;
        const full = joinPath(path, name);
        if (scope.direction === 'request') {
          if (!isTrue(property.readOnly))
            emit('request-property-removed', 'base', property, full);
          continue;
        }
        const writeOnly = isTrue(property.writeOnly);
        if (requiredNames(diff.base).includes(name))
          emit(
            writeOnly
              ? 'response-required-write-only-property-removed'
              : 'response-required-property-removed',
            'base',
            property,
            full,
          );
        else
          emit(
            writeOnly
              ? 'response-optional-write-only-property-removed'
              : 'response-optional-property-removed',
            'base',
            property,
            full,
          );
      }
      for (const name of properties.added) {
        const property = propertyOf(diff.head, name) ?? {};
        if (baseOffers.has(name)) continue;
        const full = joinPath(path, name);
        const required = requiredNames(diff.head).includes(name);
        if (scope.direction === 'request') {
          if (isTrue(property.readOnly)) continue;
          if (!required)
            emit('new-optional-request-property', 'head', property, full);
          else
            emit(
              property.default === undefined
                ? 'new-required-request-property'
                : 'new-required-request-property-with-default',
              'head',
              property,
              full,
            );
          continue;
        }
        const writeOnly = isTrue(property.writeOnly);
        if (required)
          emit(
            writeOnly
              ? 'response-required-write-only-property-added'
              : 'response-required-property-added',
            'head',
            property,
            full,
          );
        else
          emit(
            writeOnly
              ? 'response-optional-write-only-property-added'
              : 'response-optional-property-added',
            'head',
            property,
            full,
          );
      }
    },
    node: ({ path, name, diff, parent }) => {
      const full = joinPath(path, name);
      if (scope.direction === 'request')
        requiredChangesInRequest(diff, full, emit);
      else requiredChangesInResponse(diff, full, emit, false);
      if (name !== '') {
        accessChanges(scope, diff, parent, name, full, emit);
        deprecationChanges(ctx, scope, diff, full);
      }
    },
  });
}

type Emitter = (
  id: string,
  side: 'base' | 'head',
  node: unknown,
  property: string,
  key?: string,
  facts?: Record<string, string>,
) => void;

function requiredChangesInRequest(
  diff: SchemaDiff,
  path: string,
  emit: Emitter,
): void {
  if (!diff.changed.has('required')) return;
  const before = requiredNames(diff.base);
  const after = requiredNames(diff.head);
  for (const name of after.filter((n) => !before.includes(n))) {
    const was = propertyOf(diff.base, name);
    const is = propertyOf(diff.head, name);
    if (!was || !is || isTrue(is.readOnly)) continue;
    emit(
      is.default === undefined
        ? 'request-property-became-required'
        : 'request-property-became-required-with-default',
      'head',
      diff.head,
      joinPath(path, name),
      'required',
    );
  }
  for (const name of before.filter((n) => !after.includes(n))) {
    const was = propertyOf(diff.base, name);
    const is = propertyOf(diff.head, name);
    if (!was || !is || isTrue(is.readOnly)) continue;
    emit(
      'request-property-became-optional',
      'head',
      diff.head,
      joinPath(path, name),
      'required',
    );
  }
}

function requiredChangesInResponse(
  diff: SchemaDiff,
  path: string,
  emit: Emitter,
  atRoot: boolean,
): void {
  if (!diff.changed.has('required')) return;
  const before = requiredNames(diff.base);
  const after = requiredNames(diff.head);
  for (const name of before.filter((n) => !after.includes(n))) {
    const was = propertyOf(diff.base, name);
    const is = propertyOf(diff.head, name);
    if (!is || (!atRoot && !was)) continue;
    // Still required through an allOf member: nothing changed for clients.
    if (requiredOffered(diff.head, name)) continue;
    const writeOnly = isTrue((atRoot ? is : was!).writeOnly);
    emit(
      writeOnly
        ? 'response-write-only-property-became-optional'
        : 'response-property-became-optional',
      'head',
      diff.head,
      joinPath(path, name),
      'required',
    );
  }
  for (const name of after.filter((n) => !before.includes(n))) {
    const was = propertyOf(diff.base, name);
    const is = propertyOf(diff.head, name);
    if (!is || !was) continue;
    emit(
      isTrue(is.writeOnly)
        ? 'response-write-only-property-became-required'
        : 'response-property-became-required',
      'head',
      diff.head,
      joinPath(path, name),
      'required',
    );
  }
}

/** readOnly/writeOnly flips on a property, judged by whether its parent requires it. */
function accessChanges(
  scope: SchemaScope,
  diff: SchemaDiff,
  parent: SchemaDiff,
  name: string,
  full: string,
  emit: Emitter,
): void {
  const required = requiredNames(parent.head).includes(name)
    ? 'required'
    : 'optional';
  for (const [keyword, word] of [
    ['readOnly', 'read-only'],
    ['writeOnly', 'write-only'],
  ] as const) {
    if (!diff.changed.has(keyword)) continue;
    const now = isTrue(diff.head[keyword]);
    emit(
      `${scope.direction}-${required}-property-became-${now ? '' : 'not-'}${word}`,
      'head',
      diff.head,
      full,
      keyword,
    );
  }
}

/** A property newly deprecated (with or without a sunset date) or reactivated. */
function deprecationChanges(
  ctx: ChangeSink,
  scope: SchemaScope,
  diff: SchemaDiff,
  full: string,
): void {
  if (!diff.changed.has('deprecated')) return;
  const prefix = `${scope.direction}-property`;
  const facts = {
    property: full,
    mediaType: scope.mediaType,
    status: scope.status,
  };
  const at = {
    operation: scope.operation,
    side: 'head' as const,
    nodes: [diff.head],
  };
  if (!isTrue(diff.head.deprecated)) {
    ctx.emitIfKnown(`${prefix}-reactivated`, {
      ...at,
      key: 'deprecated',
      facts,
    });
    return;
  }
  const sunset = readSunset(diff.head);
  if (!sunset.present)
    ctx.emitIfKnown(`${prefix}-deprecated`, {
      ...at,
      key: 'deprecated',
      facts,
    });
  else if (!sunset.ok)
    ctx.emitIfKnown(`${prefix}-deprecated-sunset-invalid`, {
      ...at,
      key: 'x-sunset',
      facts: { ...facts, detail: sunset.error },
    });
  else if (compareDates(sunset.date, civilDateOf(ctx.now)) < 0)
    ctx.emitIfKnown(`${prefix}-sunset-date-too-small`, {
      ...at,
      key: 'x-sunset',
      facts: { ...facts, value: formatDate(sunset.date) },
    });
  else
    ctx.emitIfKnown(`${prefix}-deprecated-with-sunset`, {
      ...at,
      key: 'deprecated',
      facts: { ...facts, value: formatDate(sunset.date) },
    });
}
