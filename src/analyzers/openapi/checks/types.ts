import { typesOf, type SchemaDiff } from '../diff/schema-diff.ts';
import { asArray, asString, isObject, type JsonObject } from '../model/json.ts';
import { concreteTypes } from './schema-facts.ts';

/**
 * Text formats (query strings, form fields, XML) carry every scalar as characters, so a value
 * that was a number is still a valid string; JSON distinguishes `1` from `"1"`.
 */
export function isStronglyTyped(mediaType: string): boolean {
  return (
    mediaType === 'application/json' ||
    (mediaType.startsWith('application/vnd.') && mediaType.endsWith('+json'))
  );
}

/** Every value of the `from` types is also a value of the `to` types. */
export function typeWidens(
  to: string[],
  from: string[],
  stronglyTyped: boolean,
): boolean {
  if (
    to.length === 1 &&
    to[0] === 'number' &&
    from.length === 1 &&
    from[0] === 'integer'
  )
    return true;
  if (!stronglyTyped)
    return to.length === 0 || (to.length === 1 && to[0] === 'string');
  return false;
}

/** Every value of format `from` also satisfies format `to` (int32 fits int64, a date fits date-time). */
export function formatWidens(
  type: string | undefined,
  to: string | undefined,
  from: string | undefined,
): boolean {
  switch (type) {
    case 'number':
      return to === 'double' && from === 'float';
    case 'integer':
      return (
        (to === 'int64' && from === 'int32') ||
        (to === 'bigint' && (from === 'int32' || from === 'int64'))
      );
    case 'string':
      return to === 'date-time' && (from === 'date' || from === 'time');
    default:
      return false;
  }
}

export interface TypeChange {
  typeChanged: boolean;
  formatChanged: boolean;
  fromTypes: string[];
  toTypes: string[];
  fromFormat: string | undefined;
  toFormat: string | undefined;
}

/**
 * The types a schema allows, its allOf members included: `allOf: [{type: object}, ...]` without a
 * type of its own is still an object.
 */
export function effectiveTypes(
  schema: JsonObject,
  seen = new Set<JsonObject>(),
): string[] {
  const own = concreteTypes(schema);
  if (own.length > 0 || seen.has(schema)) return own;
  seen.add(schema);
  const merged = new Set<string>();
  for (const member of asArray(schema.allOf))
    if (isObject(member))
      for (const type of effectiveTypes(member, seen)) merged.add(type);
  return [...merged];
}

export function typeChangeOf(diff: SchemaDiff): TypeChange | undefined {
  const fromTypes = effectiveTypes(diff.base);
  const toTypes = effectiveTypes(diff.head);
  const typeChanged = !sameTypes(fromTypes, toTypes);
  const fromFormat = asString(diff.base.format);
  const toFormat = asString(diff.head.format);
  const formatChanged = fromFormat !== toFormat;
  if (!typeChanged && !formatChanged) return undefined;
  return {
    typeChanged,
    formatChanged,
    fromTypes,
    toTypes,
    fromFormat,
    toFormat,
  };
}

/** True when a request accepting the new type still accepts every value the old type allowed. */
export function requestTypeWidens(
  change: TypeChange,
  stronglyTyped: boolean,
): boolean {
  if (change.typeChanged) {
    // No type at all accepts every value.
    if (change.toTypes.length === 0) return true;
    const added = change.toTypes.filter((t) => !change.fromTypes.includes(t));
    const deleted = change.fromTypes.filter((t) => !change.toTypes.includes(t));
    return typeWidens(added, deleted, stronglyTyped);
  }
  return (
    single(change.toTypes) !== undefined &&
    formatWidens(single(change.toTypes), change.toFormat, change.fromFormat)
  );
}

/** True when every value the new response type can produce was a value of the old type. */
export function responseTypeNarrows(
  change: TypeChange,
  stronglyTyped: boolean,
): boolean {
  if (change.typeChanged) {
    const added = change.toTypes.filter((t) => !change.fromTypes.includes(t));
    const deleted = change.fromTypes.filter((t) => !change.toTypes.includes(t));
    return typeWidens(deleted, added, stronglyTyped);
  }
  return (
    single(change.toTypes) !== undefined &&
    formatWidens(single(change.toTypes), change.fromFormat, change.toFormat)
  );
}

function single(types: string[]): string | undefined {
  return types.length === 1 ? types[0] : undefined;
}

function sameTypes(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((t) => b.includes(t));
}

export function describeType(
  types: string[],
  format: string | undefined,
): string {
  const type = types.length === 0 ? 'any' : types.join('|');
  return format ? `${type}/${format}` : type;
}

/**
 * The "list of types" pattern: a oneOf/anyOf of plain single-type schemas, which is just another
 * way to write a union type. Returns undefined for schemas that are not a type or such a list.
 */
function typePattern(
  schema: JsonObject,
): { types: string[]; list: boolean } | undefined {
  if (
    schema.not !== undefined ||
    asArray(schema.allOf).length > 0 ||
    isObject(schema.properties)
  )
    return undefined;
  const own = typesOf(schema);
  if (own.length >= 1) return { types: [own[0]!], list: false };
  const fromList = (key: 'oneOf' | 'anyOf'): string[] | undefined => {
    const members = asArray(schema[key]);
    const types: string[] = [];
    for (const member of members) {
      if (!isObject(member)) return undefined;
      const memberTypes = typesOf(member);
      const complex =
        isObject(member.properties) ||
        ['oneOf', 'anyOf', 'allOf'].some((k) => asArray(member[k]).length > 0);
      if (memberTypes.length !== 1 || complex) return undefined;
      types.push(memberTypes[0]!);
    }
    return types;
  };
  const oneOf = fromList('oneOf');
  const anyOf = fromList('anyOf');
  if (oneOf && oneOf.length > 0) return { types: oneOf, list: true };
  if (anyOf && anyOf.length > 0) return { types: anyOf, list: true };
  if (oneOf) return { types: oneOf, list: true };
  if (anyOf) return { types: anyOf, list: true };
  return undefined;
}

export interface ListOfTypesChange {
  added: string[];
  deleted: string[];
}

/** Types added to or removed from a union written as oneOf/anyOf (or a single type becoming one). */
export function listOfTypesChange(
  diff: SchemaDiff,
): ListOfTypesChange | undefined {
  const before = typePattern(diff.base);
  const after = typePattern(diff.head);
  if (!before?.list && !after?.list) return undefined;
  const from = new Set(before?.types ?? []);
  const to = new Set(after?.types ?? []);
  const added = [...to].filter((t) => !from.has(t)).sort();
  const deleted = [...from].filter((t) => !to.has(t)).sort();
  return added.length === 0 && deleted.length === 0
    ? undefined
    : { added, deleted };
}
