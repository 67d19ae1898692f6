/**
 * Structural equality for dereferenced documents, which may be cyclic (recursive schemas): a pair
 * of nodes already under comparison is assumed equal, and identical nodes are equal at once.
 */
export function deepEqual(
  a: unknown,
  b: unknown,
  memo: EqualityMemo = new Map(),
): boolean {
  return compare(a, b, new Map(), memo, NOTHING);
}

/** Pairs already proven equal; share one across calls on the same documents to compare each pair once. */
export type EqualityMemo = Map<object, Set<object>>;

const NOTHING = new Set<string>();

/** Keywords that describe a schema without changing which values it accepts. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  'example',
  'examples',
  'externalDocs',
  '$comment',
  'deprecated',
  'xml',
]);

/** Equality of what two schemas accept: titles, descriptions, examples and extensions aside. */
export function sameValidation(a: unknown, b: unknown): boolean {
  return compare(a, b, new Map(), new Map(), ANNOTATIONS);
}

/** `proven` remembers equal pairs so shared subtrees (a component used many times) are compared once. */
function compare(
  a: unknown,
  b: unknown,
  active: Map<object, Set<object>>,
  proven: Map<object, Set<object>>,
  ignored: Set<string>,
): boolean {
  if (a === b) return true;
  if (
    typeof a !== typeof b ||
    a === null ||
    b === null ||
    typeof a !== 'object' ||
    typeof b !== 'object'
  )
    return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (proven.get(a)?.has(b)) return true;
  let pairs = active.get(a);
  if (pairs?.has(b)) return true;
  if (!pairs) active.set(a, (pairs = new Set()));
  pairs.add(b);
  let equal: boolean;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    equal =
      a.length === other.length &&
      a.every((item, index) =>
        compare(item, other[index], active, proven, ignored),
      );
  } else {
    const left = a as Record<string, unknown>;
    const right = b as Record<string, unknown>;
    const relevant = (key: string) =>
      !ignored.has(key) && !(ignored.size > 0 && key.startsWith('x-'));
    const keys = Object.keys(left).filter(relevant);
    equal =
      keys.length === Object.keys(right).filter(relevant).length &&
      keys.every(
        (key) =>
          Object.hasOwn(right, key) &&
          compare(left[key], right[key], active, proven, ignored),
      );
  }
  pairs.delete(b);
  if (equal) {
    let known = proven.get(a);
    if (!known) proven.set(a, (known = new Set()));
    known.add(b);
  }
  return equal;
}
