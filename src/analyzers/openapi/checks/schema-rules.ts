import type { SchemaDiff, SingleSubschema } from '../diff/schema-diff.ts';
import { walkSchemaDiff, joinPath } from '../diff/walk.ts';
import {
  asArray,
  asObject,
  entries,
  isObject,
  isTrue,
  jsonEqual,
  show,
  type JsonObject,
} from '../model/json.ts';
import type { ChangeSink } from './context.ts';
import { sameValidation } from '../diff/deep-equal.ts';
import {
  boundOf,
  isAnnotationOnly,
  memberName,
  offeredProperty,
  propertiesOf,
  requiredNames,
  requiresProperty,
} from './schema-facts.ts';
import { typesOf } from '../diff/schema-diff.ts';
import { listOfTypesChange } from './types.ts';
import { emit, type Node, type SchemaScope } from './schema-node.ts';
import {
  checkDefault,
  checkEnum,
  checkExtensibleEnum,
  checkListOfTypes,
  checkNullable,
  checkPattern,
  checkType,
} from './value-rules.ts';

export type { SchemaScope } from './schema-node.ts';

/** Runs the attribute rules on a media type's schema and on every changed part below it. */
export function checkSchemaAttributes(
  ctx: ChangeSink,
  root: SchemaDiff | undefined,
  scope: SchemaScope,
): void {
  if (!root) return;
  const wrapped = wrappedInOneOf(root);
  const body: Node = {
    prefix: `${scope.direction}-body`,
    diff: root,
    property: '',
    scope,
    body: true,
  };
  checkNode(ctx, body, wrapped);
  walkSchemaDiff(root, {
    node: ({ path, name, diff }) =>
      checkNode(
        ctx,
        {
          prefix: `${scope.direction}-property`,
          diff,
          property: joinPath(path, name),
          scope,
          body: false,
        },
        false,
      ),
  });
}

/** A concrete object schema restructured into a oneOf of alternatives that carry its properties. */
export function wrappedInOneOf(diff: SchemaDiff): boolean {
  const base = diff.base;
  const head = diff.head;
  if (
    asArray(base.oneOf).length > 0 ||
    Object.keys(asObject(base.properties) ?? {}).length === 0
  )
    return false;
  if (
    asArray(head.oneOf).length === 0 ||
    Object.keys(asObject(head.properties) ?? {}).length > 0 ||
    head.type !== undefined
  )
    return false;
  const alternatives = asArray(head.oneOf).filter(isObject);
  return Object.keys(asObject(base.properties) ?? {}).some((name) =>
    alternatives.some((alt) => isObject(asObject(alt.properties)?.[name])),
  );
}

function checkNode(ctx: ChangeSink, node: Node, wrapped: boolean): void {
  const { diff } = node;
  if (diff.added || diff.deleted) return;
  if (wrapped) {
    emit(ctx, node, `${node.prefix}-wrapped-in-one-of`, 'head', 'oneOf', {});
    return;
  }
  const readOnlyRequest =
    node.scope.direction === 'request' &&
    !node.body &&
    isTrue(diff.head.readOnly);
  checkBounds(ctx, node, readOnlyRequest);
  checkSlots(ctx, node);
  checkNamedSubschemas(ctx, node);
  checkDependentRequired(ctx, node);
  checkConst(ctx, node);
  checkContentKeywords(ctx, node);
  const listOfTypes = listOfTypesChange(diff);
  checkMembers(ctx, node, listOfTypes !== undefined);
  checkDiscriminator(ctx, node);
  checkDefault(ctx, node);
  if (listOfTypes) checkListOfTypes(ctx, node, listOfTypes);
  else if (!readOnlyRequest) checkType(ctx, node);
  checkNullable(ctx, node);
  checkEnum(ctx, node, readOnlyRequest);
  if (!node.body) checkPattern(ctx, node);
  if (!readOnlyRequest) checkExtensibleEnum(ctx, node);
}

/** `implied`: the value an absent keyword means (JSON Schema defaults minLength to 0, minContains to 1). */
const BOUNDS: Array<{ keyword: string; family: string; implied?: number }> = [
  { keyword: 'maximum', family: 'max' },
  { keyword: 'exclusiveMaximum', family: 'exclusive-max' },
  { keyword: 'minimum', family: 'min' },
  { keyword: 'exclusiveMinimum', family: 'exclusive-min' },
  { keyword: 'maxLength', family: 'max-length' },
  { keyword: 'minLength', family: 'min-length', implied: 0 },
  { keyword: 'maxItems', family: 'max-items' },
  { keyword: 'minItems', family: 'min-items' },
  { keyword: 'minContains', family: 'min-contains', implied: 1 },
  { keyword: 'maxContains', family: 'max-contains' },
];

/** Bounds that moved: tighter in a request or looser in a response breaks someone. */
export function checkBoundsWith(
  diff: SchemaDiff,
  prefixes: { main: string; readOnly?: string },
  knows: (id: string) => boolean,
  report: (
    id: string,
    keyword: string,
    from: number | undefined,
    to: number | undefined,
  ) => void,
): void {
  for (const { keyword, family, implied } of BOUNDS) {
    if (!diff.changed.has(keyword)) continue;
    let from = boundOf(diff.base, keyword);
    let to = boundOf(diff.head, keyword);
    if (from === to) continue;
    let event: string;
    if (from === undefined && to !== undefined) {
      if (knows(`${prefixes.main}-${family}-set`)) event = 'set';
      else if (implied !== undefined) {
        from = implied;
        event = to > from ? 'increased' : 'decreased';
      } else continue;
    } else if (from !== undefined && to === undefined) {
      if (knows(`${prefixes.main}-${family}-unset`)) event = 'unset';
      else if (implied !== undefined) {
        to = implied;
        event = to > from ? 'increased' : 'decreased';
      } else continue;
    } else event = to! > from! ? 'increased' : 'decreased';
    if (from === to) continue;
    const readOnlyId = prefixes.readOnly
      ? `${prefixes.readOnly}-${family}-${event}`
      : undefined;
    const id =
      readOnlyId && knows(readOnlyId)
        ? readOnlyId
        : `${prefixes.main}-${family}-${event}`;
    report(id, keyword, from, to);
  }
}

function checkBounds(
  ctx: ChangeSink,
  node: Node,
  readOnlyRequest: boolean,
): void {
  checkBoundsWith(
    node.diff,
    {
      main: node.prefix,
      readOnly: readOnlyRequest ? 'request-read-only-property' : undefined,
    },
    (id) => ctx.knows(id),
    (id, keyword, from, to) =>
      emit(ctx, node, id, to === undefined ? 'base' : 'head', keyword, {
        from: show(from),
        to: show(to),
      }),
  );
}

const SLOT_NAMES: Partial<Record<SingleSubschema, string>> = {
  contains: 'contains',
  if: 'if',
  then: 'then',
  else: 'else',
  propertyNames: 'property-names',
  unevaluatedItems: 'unevaluated-items',
  unevaluatedProperties: 'unevaluated-properties',
  contentSchema: 'content-schema',
};

/** A whole subschema slot (contains, if/then/else, propertyNames, ...) gained or lost. */
function checkSlots(ctx: ChangeSink, node: Node): void {
  for (const [slot, name] of Object.entries(SLOT_NAMES) as Array<
    [SingleSubschema, string]
  >) {
    const before = node.diff.base[slot];
    const after = node.diff.head[slot];
    const had = before !== undefined && before !== true;
    const has = after !== undefined && after !== true;
    if (!had && has)
      emit(ctx, node, `${node.prefix}-${name}-added`, 'head', slot, {});
    else if (had && !has)
      emit(ctx, node, `${node.prefix}-${name}-removed`, 'base', slot, {});
  }
}

/** patternProperties and dependentSchemas entries gained or lost. */
function checkNamedSubschemas(ctx: ChangeSink, node: Node): void {
  const families = [
    ['patternProperties', 'pattern-property'],
    ['dependentSchemas', 'dependent-schema'],
  ] as const;
  for (const [slot, family] of families) {
    const map = node.diff.maps[slot];
    if (!map) continue;
    for (const name of map.added)
      emit(ctx, node, `${node.prefix}-${family}-added`, 'head', slot, {
        value: name,
      });
    for (const name of map.deleted)
      emit(ctx, node, `${node.prefix}-${family}-removed`, 'base', slot, {
        value: name,
      });
  }
}

function checkDependentRequired(ctx: ChangeSink, node: Node): void {
  if (!node.diff.changed.has('dependentRequired')) return;
  const before = asObject(node.diff.base.dependentRequired) ?? {};
  const after = asObject(node.diff.head.dependentRequired) ?? {};
  for (const [name, list] of entries(after)) {
    if (!Object.hasOwn(before, name))
      emit(
        ctx,
        node,
        `${node.prefix}-dependent-required-added`,
        'head',
        'dependentRequired',
        { value: name, to: show(list) },
      );
    else if (!jsonEqual(before[name], list)) {
      emit(
        ctx,
        node,
        `${node.prefix}-dependent-required-changed`,
        'head',
        'dependentRequired',
        { value: name, from: show(before[name]), to: show(list) },
      );
    }
  }
  for (const [name, list] of entries(before)) {
    if (!Object.hasOwn(after, name))
      emit(
        ctx,
        node,
        `${node.prefix}-dependent-required-removed`,
        'base',
        'dependentRequired',
        { value: name, from: show(list) },
      );
  }
}

function checkConst(ctx: ChangeSink, node: Node): void {
  if (!node.diff.changed.has('const')) return;
  const before = node.diff.base.const;
  const after = node.diff.head.const;
  if (before === undefined)
    emit(ctx, node, `${node.prefix}-const-added`, 'head', 'const', {
      to: show(after),
    });
  else if (after === undefined)
    emit(ctx, node, `${node.prefix}-const-removed`, 'base', 'const', {
      from: show(before),
    });
  else
    emit(ctx, node, `${node.prefix}-const-changed`, 'head', 'const', {
      from: show(before),
      to: show(after),
    });
}

function checkContentKeywords(ctx: ChangeSink, node: Node): void {
  for (const [keyword, family] of [
    ['contentMediaType', 'content-media-type'],
    ['contentEncoding', 'content-encoding'],
  ] as const) {
    if (!node.diff.changed.has(keyword)) continue;
    const after = node.diff.head[keyword];
    emit(
      ctx,
      node,
      `${node.prefix}-${family}-changed`,
      after === undefined ? 'base' : 'head',
      keyword,
      { from: show(node.diff.base[keyword]), to: show(after) },
    );
  }
}

/** allOf/anyOf/oneOf/prefixItems members added or removed (members are matched, not compared by position). */
function checkMembers(ctx: ChangeSink, node: Node, listOfTypes: boolean): void {
  const families = [
    ['allOf', 'all-of'],
    ['anyOf', 'any-of'],
    ['oneOf', 'one-of'],
    ['prefixItems', 'prefix-items'],
  ] as const;
  for (const [slot, family] of families) {
    const list = node.diff.lists[slot];
    if (!list) continue;
    if (listOfTypes && (slot === 'anyOf' || slot === 'oneOf')) continue;
    for (const member of list.added) {
      if (slot === 'allOf' && restatesOnly(member.schema, node.diff.base))
        continue;
      const annotation =
        slot === 'allOf' && isAnnotationOnly(member.schema)
          ? '-annotation-only'
          : '';
      emit(
        ctx,
        node,
        `${node.prefix}-${family}-added${annotation}`,
        'head',
        slot,
        { value: memberName(member) },
      );
    }
    for (const member of list.deleted) {
      if (slot === 'allOf' && restatesOnly(member.schema, node.diff.head))
        continue;
      const annotation =
        slot === 'allOf' && isAnnotationOnly(member.schema)
          ? '-annotation-only'
          : '';
      emit(
        ctx,
        node,
        `${node.prefix}-${family}-removed${annotation}`,
        'base',
        slot,
        { value: memberName(member) },
      );
    }
  }
}

const RESTATABLE = new Set([
  'type',
  'properties',
  'required',
  'title',
  'description',
  'example',
  'examples',
  'deprecated',
  'externalDocs',
  '$comment',
]);

/**
 * An allOf member that only restates what the rest of the schema already says — the same
 * properties with the same schemas, no new required names — changes no accepted value: adding or
 * dropping it is a refactoring, not a contract change. Compares the merged view, not the lists.
 */
function restatesOnly(member: JsonObject, other: JsonObject): boolean {
  // Annotation-only members have their own (informational) rule ids.
  if (isAnnotationOnly(member)) return false;
  if (
    Object.keys(member).some(
      (key) => !RESTATABLE.has(key) && !key.startsWith('x-'),
    )
  )
    return false;
  const memberTypes = typesOf(member);
  if (
    memberTypes.length > 0 &&
    !(memberTypes.length === 1 && memberTypes[0] === 'object')
  )
    return false;
  for (const [name, schema] of Object.entries(propertiesOf(member))) {
    const twin = offeredProperty(other, name);
    if (!twin || !sameValidation(schema, twin)) return false;
  }
  return requiredNames(member).every((name) => requiresProperty(other, name));
}

function checkDiscriminator(ctx: ChangeSink, node: Node): void {
  if (!node.diff.changed.has('discriminator')) return;
  const before = asObject(node.diff.base.discriminator);
  const after = asObject(node.diff.head.discriminator);
  const id = (what: string) => `${node.prefix}-discriminator-${what}`;
  if (!before && after)
    return emit(ctx, node, id('added'), 'head', 'discriminator', {});
  if (before && !after)
    return emit(ctx, node, id('removed'), 'base', 'discriminator', {});
  if (!before || !after) return;
  if (before.propertyName !== after.propertyName) {
    emit(ctx, node, id('property-name-changed'), 'head', 'discriminator', {
      from: show(before.propertyName),
      to: show(after.propertyName),
    });
  }
  const mapBefore = asObject(before.mapping) ?? {};
  const mapAfter = asObject(after.mapping) ?? {};
  const added = Object.keys(mapAfter).filter(
    (k) => !Object.hasOwn(mapBefore, k),
  );
  const deleted = Object.keys(mapBefore).filter(
    (k) => !Object.hasOwn(mapAfter, k),
  );
  const modified = Object.keys(mapAfter).filter(
    (k) => Object.hasOwn(mapBefore, k) && !jsonEqual(mapBefore[k], mapAfter[k]),
  );
  if (added.length > 0)
    emit(ctx, node, id('mapping-added'), 'head', 'discriminator', {
      value: added.join(', '),
    });
  if (deleted.length > 0)
    emit(ctx, node, id('mapping-deleted'), 'base', 'discriminator', {
      value: deleted.join(', '),
    });
  if (modified.length > 0)
    emit(ctx, node, id('mapping-changed'), 'head', 'discriminator', {
      value: modified.join(', '),
    });
}
