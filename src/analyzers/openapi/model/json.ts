/** Small readers for untrusted, dereferenced spec nodes: every access checks the shape it needs. */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function asObject(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value)
    ? value
    : undefined;
}

export function entries(value: unknown): Array<[string, unknown]> {
  return isObject(value) ? Object.entries(value) : [];
}

export function isTrue(value: unknown): boolean {
  return value === true;
}

/** Beyond this depth two values are treated as different: dereferenced documents can be cyclic. */
const MAX_EQUAL_DEPTH = 64;

/** Structural equality of plain JSON values; object key order does not matter. */
export function jsonEqual(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (depth > MAX_EQUAL_DEPTH) return false;
  if (
    typeof a !== typeof b ||
    a === null ||
    b === null ||
    typeof a !== 'object'
  )
    return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return (
      a.length === other.length &&
      a.every((item, index) => jsonEqual(item, other[index], depth + 1))
    );
  }
  const left = a as JsonObject;
  const right = b as JsonObject;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every(
    (key) =>
      Object.hasOwn(right, key) && jsonEqual(left[key], right[key], depth + 1),
  );
}

/** A stable text key for a JSON value, for set comparisons of enum values and the like. */
export function jsonKey(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    return String(value);
  }
}

/** A short, readable rendering of a value for messages. */
export function show(value: unknown): string {
  if (value === undefined) return 'none';
  if (typeof value === 'string') return value;
  const text = jsonKey(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
