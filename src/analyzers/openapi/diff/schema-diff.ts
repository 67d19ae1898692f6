import {
  asArray,
  asString,
  isObject,
  jsonEqual,
  jsonKey,
  type JsonObject,
} from '../model/json.ts';
import { sameValidation } from './deep-equal.ts';

/** A schema slot that holds one subschema. */
export const SINGLE_SUBSCHEMAS = [
  'items',
  'additionalProperties',
  'not',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'if',
  'then',
  'else',
  'contentSchema',
] as const;
export type SingleSubschema = (typeof SINGLE_SUBSCHEMAS)[number];

/** Slots that hold a list of subschemas. */
export const LIST_SUBSCHEMAS = [
  'allOf',
  'anyOf',
  'oneOf',
  'prefixItems',
] as const;
export type ListSubschema = (typeof LIST_SUBSCHEMAS)[number];

/** Slots that hold named subschemas. */
export const MAP_SUBSCHEMAS = [
  'properties',
  'patternProperties',
  'dependentSchemas',
  '$defs',
  'definitions',
] as const;
export type MapSubschema = (typeof MAP_SUBSCHEMAS)[number];

const STRUCTURAL = new Set<string>([
  ...SINGLE_SUBSCHEMAS,
  ...LIST_SUBSCHEMAS,
  ...MAP_SUBSCHEMAS,
]);

/** Keywords whose absence means the same as this value. */
const DEFAULTS: Record<string, unknown> = {
  nullable: false,
  readOnly: false,
  writeOnly: false,
  deprecated: false,
  uniqueItems: false,
  allowEmptyValue: false,
  exclusiveMinimum: false,
  exclusiveMaximum: false,
  minLength: 0,
  minItems: 0,
  minProperties: 0,
};

export interface Member {
  index: number;
  schema: JsonObject;
  /** The `$ref` text this member was written as, if any. */
  ref: string | undefined;
}

export interface ModifiedMember {
  base: Member;
  head: Member;
  diff: SchemaDiff;
}

export interface SubschemasDiff {
  added: Member[];
  deleted: Member[];
  modified: ModifiedMember[];
}

export interface MapDiff {
  added: string[];
  deleted: string[];
  modified: Map<string, SchemaDiff>;
}

/** What differs between two versions of one schema; absent parts are unchanged. */
export interface SchemaDiff {
  base: JsonObject;
  head: JsonObject;
  /** The slot held no schema at base (`head` is the new schema) ... */
  added: boolean;
  /** ... or holds none at head (`base` is the old schema). */
  deleted: boolean;
  /** Keywords other than subschema slots whose values differ. */
  changed: Set<string>;
  single: Partial<Record<SingleSubschema, SchemaDiff>>;
  lists: Partial<Record<ListSubschema, SubschemasDiff>>;
  maps: Partial<Record<MapSubschema, MapDiff>>;
}

export const EMPTY_SCHEMA: JsonObject = Object.freeze({}) as JsonObject;

/** The declared types of a schema as a list (`type: string` and `type: [string]` read the same). */
export function typesOf(schema: JsonObject): string[] {
  const type = schema.type;
  if (typeof type === 'string') return [type];
  return asArray(type).filter((t): t is string => typeof t === 'string');
}

/**
 * Diffs schemas once per pair of nodes. Results are shared, so a schema reached along several
 * paths has one diff object — which is what lets a walk report a change in a shared component
 * once per operation. Cycles (recursive schemas) are cut by treating a pair already being compared
 * as equal.
 */
export class SchemaDiffer {
  private readonly cache = new Map<object, Map<object, SchemaDiff | null>>();
  private readonly active = new Map<object, Set<object>>();
  private readonly refOf: (node: object) => string | undefined;

  constructor(refOf: (node: object) => string | undefined) {
    this.refOf = refOf;
  }

  /** Undefined when both sides are absent or equal. */
  diff(base: unknown, head: unknown): SchemaDiff | undefined {
    const baseSchema = isObject(base) ? base : undefined;
    const headSchema = isObject(head) ? head : undefined;
    if (!baseSchema && !headSchema) return undefined;
    if (!baseSchema)
      return { ...blank(EMPTY_SCHEMA, headSchema!), added: true };
    if (!headSchema)
      return { ...blank(baseSchema, EMPTY_SCHEMA), deleted: true };
    if (baseSchema === headSchema) return undefined;

    const cached = this.cache.get(baseSchema)?.get(headSchema);
    if (cached !== undefined) return cached ?? undefined;
    const active = this.active.get(baseSchema);
    if (active?.has(headSchema)) return undefined;
    if (active) active.add(headSchema);
    else this.active.set(baseSchema, new Set([headSchema]));

    const result = this.compute(baseSchema, headSchema);

    this.active.get(baseSchema)!.delete(headSchema);
    let row = this.cache.get(baseSchema);
    if (!row) this.cache.set(baseSchema, (row = new Map()));
    row.set(headSchema, result ?? null);
    return result;
  }

  private compute(base: JsonObject, head: JsonObject): SchemaDiff | undefined {
    const result = blank(base, head);
    const keys = new Set([...Object.keys(base), ...Object.keys(head)]);
    for (const key of keys) {
      if (STRUCTURAL.has(key)) continue;
      if (!keywordEqual(key, base[key], head[key])) result.changed.add(key);
    }
    for (const slot of SINGLE_SUBSCHEMAS) {
      // `additionalProperties: false` and the like are flags, not schemas: compare them as values.
      const flagBefore =
        typeof base[slot] === 'boolean' ? base[slot] : undefined;
      const flagAfter =
        typeof head[slot] === 'boolean' ? head[slot] : undefined;
      if (flagBefore !== flagAfter) result.changed.add(slot);
      const diff = this.diff(base[slot], head[slot]);
      if (diff) result.single[slot] = diff;
    }
    for (const slot of LIST_SUBSCHEMAS) {
      const diff =
        slot === 'prefixItems'
          ? this.positional(base[slot], head[slot])
          : this.matched(base[slot], head[slot]);
      if (diff) result.lists[slot] = diff;
    }
    for (const slot of MAP_SUBSCHEMAS) {
      const diff = this.named(base[slot], head[slot]);
      if (diff) result.maps[slot] = diff;
    }
    return isEmpty(result) ? undefined : result;
  }

  /** Named subschemas (properties and the like) pair up by name. */
  private named(base: unknown, head: unknown): MapDiff | undefined {
    const left = isObject(base) ? base : {};
    const right = isObject(head) ? head : {};
    const result: MapDiff = { added: [], deleted: [], modified: new Map() };
    for (const name of Object.keys(left)) {
      if (!Object.hasOwn(right, name)) result.deleted.push(name);
      else {
        const diff = this.diff(left[name], right[name]);
        if (diff) result.modified.set(name, diff);
      }
    }
    for (const name of Object.keys(right))
      if (!Object.hasOwn(left, name)) result.added.push(name);
    return result.added.length +
      result.deleted.length +
      result.modified.size ===
      0
      ? undefined
      : result;
  }

  /** Tuple positions pair up by index. */
  private positional(base: unknown, head: unknown): SubschemasDiff | undefined {
    const left = this.members(base);
    const right = this.members(head);
    const result: SubschemasDiff = { added: [], deleted: [], modified: [] };
    for (let i = 0; i < Math.max(left.length, right.length); i++) {
      const a = left[i];
      const b = right[i];
      if (a && b) {
        const diff = this.diff(a.schema, b.schema);
        if (diff) result.modified.push({ base: a, head: b, diff });
      } else if (a) result.deleted.push(a);
      else if (b) result.added.push(b);
    }
    return emptySubschemas(result) ? undefined : result;
  }

  /**
   * allOf/anyOf/oneOf members pair up by meaning, never by position: the same `$ref` on both
   * sides, an identical inline schema, the same title, or — when exactly one untitled inline
   * member changed on each side — that pair.
   */
  private matched(base: unknown, head: unknown): SubschemasDiff | undefined {
    const left = this.members(base);
    const right = this.members(head);
    if (left.length === 0 && right.length === 0) return undefined;
    const result: SubschemasDiff = { added: [], deleted: [], modified: [] };

    const rightRefs = right.filter((m) => m.ref !== undefined);
    const usedRight = new Set<Member>();
    for (const member of left.filter((m) => m.ref !== undefined)) {
      const twin = rightRefs.find(
        (m) => m.ref === member.ref && !usedRight.has(m),
      );
      if (!twin) {
        result.deleted.push(member);
        continue;
      }
      usedRight.add(twin);
      const diff = this.diff(member.schema, twin.schema);
      if (diff) result.modified.push({ base: member, head: twin, diff });
    }
    for (const member of rightRefs)
      if (!usedRight.has(member)) result.added.push(member);

    const unmatchedLeft = this.uncontained(left, right);
    const unmatchedRight = this.uncontained(right, left);
    const titleOf = (m: Member) => asString(m.schema.title) ?? '';
    const pairedLeft = new Set<Member>();
    const pairedRight = new Set<Member>();
    for (const member of unmatchedRight) {
      const title = titleOf(member);
      if (title === '') continue;
      const twin = unmatchedLeft.find(
        (m) => titleOf(m) === title && !pairedLeft.has(m),
      );
      if (!twin) continue;
      pairedLeft.add(twin);
      pairedRight.add(member);
      const diff = this.diff(twin.schema, member.schema);
      if (diff) result.modified.push({ base: twin, head: member, diff });
    }
    const restLeft = unmatchedLeft.filter((m) => !pairedLeft.has(m));
    const restRight = unmatchedRight.filter((m) => !pairedRight.has(m));
    if (
      restLeft.length === 1 &&
      restRight.length === 1 &&
      titleOf(restLeft[0]!) === '' &&
      titleOf(restRight[0]!) === ''
    ) {
      const diff = this.diff(restLeft[0]!.schema, restRight[0]!.schema);
      if (diff)
        result.modified.push({ base: restLeft[0]!, head: restRight[0]!, diff });
    } else {
      for (const [left, right] of pairBySharedProperties(restLeft, restRight)) {
        const diff = this.diff(left.schema, right.schema);
        if (diff) result.modified.push({ base: left, head: right, diff });
      }
      result.deleted.push(
        ...restLeft.filter(
          (m) => !result.modified.some((pair) => pair.base === m),
        ),
      );
      result.added.push(
        ...restRight.filter(
          (m) => !result.modified.some((pair) => pair.head === m),
        ),
      );
    }
    dropEquivalentSwaps(result);
    return emptySubschemas(result) ? undefined : result;
  }

  /** Inline members of `from` with no identical, not yet claimed member in `to`. */
  private uncontained(from: Member[], to: Member[]): Member[] {
    const claimed = new Set<Member>();
    const result: Member[] = [];
    for (const member of from) {
      if (member.ref !== undefined) continue;
      const twin = to.find(
        (other) =>
          !claimed.has(other) &&
          this.diff(member.schema, other.schema) === undefined,
      );
      if (twin) claimed.add(twin);
      else result.push(member);
    }
    return result;
  }

  private members(value: unknown): Member[] {
    return asArray(value).flatMap((schema, index) =>
      isObject(schema) ? [{ index, schema, ref: this.refOf(schema) }] : [],
    );
  }
}

/**
 * Untitled inline object members that changed on both sides pair up by the property names they
 * share (most shared first, more than half of either's names), so editing two alternatives reads
 * as two modified alternatives rather than two removed and two added.
 */
function pairBySharedProperties(
  left: Member[],
  right: Member[],
): Array<[Member, Member]> {
  const names = (m: Member) =>
    Object.keys(isObject(m.schema.properties) ? m.schema.properties : {});
  const candidates: Array<{ left: Member; right: Member; score: number }> = [];
  for (const a of left) {
    const aNames = names(a);
    if (a.ref !== undefined || aNames.length === 0) continue;
    for (const b of right) {
      const bNames = names(b);
      if (b.ref !== undefined || bNames.length === 0) continue;
      const shared = aNames.filter((n) => bNames.includes(n)).length;
      const score = shared / Math.max(aNames.length, bNames.length);
      if (score > 0.5) candidates.push({ left: a, right: b, score });
    }
  }
  candidates.sort((x, y) => y.score - x.score);
  const pairs: Array<[Member, Member]> = [];
  const used = new Set<Member>();
  for (const { left: a, right: b } of candidates) {
    if (used.has(a) || used.has(b)) continue;
    used.add(a);
    used.add(b);
    pairs.push([a, b]);
  }
  return pairs;
}

/**
 * A member replaced by one that accepts exactly the same values — typically an inline schema
 * moved into a component and referenced — is no change for clients.
 */
function dropEquivalentSwaps(diff: SubschemasDiff): void {
  for (const removed of [...diff.deleted]) {
    const twin = diff.added.find((added) =>
      sameValidation(removed.schema, added.schema),
    );
    if (!twin) continue;
    diff.deleted.splice(diff.deleted.indexOf(removed), 1);
    diff.added.splice(diff.added.indexOf(twin), 1);
  }
}

function blank(base: JsonObject, head: JsonObject): SchemaDiff {
  return {
    base,
    head,
    added: false,
    deleted: false,
    changed: new Set(),
    single: {},
    lists: {},
    maps: {},
  };
}

function isEmpty(diff: SchemaDiff): boolean {
  return (
    diff.changed.size === 0 &&
    Object.keys(diff.single).length === 0 &&
    Object.keys(diff.lists).length === 0 &&
    Object.keys(diff.maps).length === 0
  );
}

function emptySubschemas(diff: SubschemasDiff): boolean {
  return (
    diff.added.length === 0 &&
    diff.deleted.length === 0 &&
    diff.modified.length === 0
  );
}

function keywordEqual(key: string, a: unknown, b: unknown): boolean {
  const fallback = DEFAULTS[key];
  const left = a === undefined ? fallback : a;
  const right = b === undefined ? fallback : b;
  if (key === 'type') return sameSet(typeList(left), typeList(right));
  if (key === 'required' || key === 'enum')
    return sameSet(asArray(left).map(jsonKey), asArray(right).map(jsonKey));
  return jsonEqual(left, right);
}

function typeList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return asArray(value).map(String);
}

function sameSet(a: string[], b: string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((item) => right.has(item));
}
