import { typesOf, type SchemaDiff } from '../diff/schema-diff.ts';
import {
  asArray,
  asNumber,
  isObject,
  isTrue,
  jsonKey,
  type JsonObject,
} from '../model/json.ts';

/** Declared types without `null`, which OpenAPI 3.1 uses to say "nullable". */
export function concreteTypes(schema: JsonObject): string[] {
  return typesOf(schema).filter((t) => t !== 'null');
}

export function isNullable(schema: JsonObject): boolean {
  return isTrue(schema.nullable) || typesOf(schema).includes('null');
}

export function enumKeys(schema: JsonObject): string[] {
  return asArray(schema.enum).map(jsonKey);
}

export function requiredNames(schema: JsonObject): string[] {
  return asArray(schema.required).filter(
    (n): n is string => typeof n === 'string',
  );
}

export function propertiesOf(schema: JsonObject): JsonObject {
  const properties = schema.properties;
  return isObject(properties) ? properties : {};
}

export function propertyOf(
  schema: JsonObject,
  name: string,
): JsonObject | undefined {
  const value = propertiesOf(schema)[name];
  return isObject(value) ? value : undefined;
}

/**
 * Numeric bound of a keyword. OpenAPI 3.0 writes exclusive bounds as a flag next to
 * minimum/maximum; 3.1 writes them as numbers. Both read here as numbers or undefined.
 */
export function boundOf(
  schema: JsonObject,
  keyword: string,
): number | undefined {
  if (keyword === 'exclusiveMinimum' || keyword === 'exclusiveMaximum') {
    const value = schema[keyword];
    return typeof value === 'number' ? value : undefined;
  }
  return asNumber(schema[keyword]);
}

/** Whether the node itself changed a keyword (subschema slots excluded). */
export function changed(diff: SchemaDiff, keyword: string): boolean {
  return diff.changed.has(keyword);
}

/** Annotation keywords describe a schema without constraining values. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  'example',
  'examples',
  'deprecated',
  'externalDocs',
  'default',
  '$comment',
  'readOnly',
  'writeOnly',
  'xml',
]);

export function isAnnotationOnly(schema: JsonObject): boolean {
  return Object.keys(schema).every(
    (key) => ANNOTATIONS.has(key) || key.startsWith('x-'),
  );
}

/** A display name for an allOf/anyOf/oneOf member: its component name, else its title, else its position. */
export function memberName(member: {
  index: number;
  schema: JsonObject;
  ref: string | undefined;
}): string {
  if (member.ref) return member.ref.slice(member.ref.lastIndexOf('/') + 1);
  const title = member.schema.title;
  return typeof title === 'string' && title !== '' ? title : `#${member.index}`;
}

/** The schema of a property as a schema offers it, looking into allOf members too. */
export function offeredProperty(
  schema: JsonObject,
  name: string,
  seen = new Set<JsonObject>(),
): JsonObject | undefined {
  if (seen.has(schema)) return undefined;
  seen.add(schema);
  const own = propertyOf(schema, name);
  if (own) return own;
  for (const member of asArray(schema.allOf)) {
    if (!isObject(member)) continue;
    const found = offeredProperty(member, name, seen);
    if (found) return found;
  }
  return undefined;
}

/** Whether a schema requires a property, directly or through an allOf member. */
export function requiresProperty(
  schema: JsonObject,
  name: string,
  seen = new Set<JsonObject>(),
): boolean {
  if (seen.has(schema)) return false;
  seen.add(schema);
  if (requiredNames(schema).includes(name)) return true;
  return asArray(schema.allOf).some(
    (member) => isObject(member) && requiresProperty(member, name, seen),
  );
}
