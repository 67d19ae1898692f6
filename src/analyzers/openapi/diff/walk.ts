import type { SchemaDiff } from './schema-diff.ts';

/** One node a walk reaches: a changed property or another changed subschema below the root. */
export interface WalkNode {
  /** Slash-joined path of the parent, e.g. `items/address` (empty at the root). */
  path: string;
  /** The property name, or '' for unnamed subschemas (items, allOf members, ...). */
  name: string;
  diff: SchemaDiff;
  parent: SchemaDiff;
  /** True below an allOf member, whose properties merge into the parent's. */
  underAllOf: boolean;
}

export interface WalkHooks {
  /** Every changed node below the root. */
  node?(node: WalkNode): void;
  /** Every node (the root included) whose property set changed; `path` names the node itself. */
  properties?(path: string, diff: SchemaDiff, underAllOf: boolean): void;
}

export function joinPath(path: string, name: string): string {
  if (name === '') return path;
  return path === '' ? name : `${path}/${name}`;
}

/**
 * Visits the changed parts of a schema diff: properties, items, allOf/anyOf/oneOf members and the
 * other subschema slots. A node reached along several paths (a shared component) is visited once,
 * so one change in a shared schema is one change to the operation.
 */
export function walkSchemaDiff(
  root: SchemaDiff | undefined,
  hooks: WalkHooks,
): void {
  if (!root) return;
  const seen = new Set<string>();
  const ids = new WeakMap<SchemaDiff, number>();
  let next = 0;
  const keyOf = (diff: SchemaDiff, underAllOf: boolean) => {
    let id = ids.get(diff);
    if (id === undefined) ids.set(diff, (id = next++));
    return `${id}:${underAllOf ? 1 : 0}`;
  };

  const visit = (
    path: string,
    name: string,
    diff: SchemaDiff,
    parent: SchemaDiff | undefined,
    underAllOf: boolean,
  ): void => {
    // A slot that gained or lost its whole schema is a change of the parent, reported there.
    if (diff.added || diff.deleted) return;
    const key = keyOf(diff, underAllOf);
    if (seen.has(key)) return;
    seen.add(key);
    if (parent && hooks.node)
      hooks.node({ path, name, diff, parent, underAllOf });
    const here = joinPath(path, name);

    for (const slot of ['allOf', 'anyOf', 'oneOf'] as const) {
      for (const member of diff.lists[slot]?.modified ?? []) {
        visit(
          joinPath(
            here,
            `${slot}[${member.head.ref ?? `#${member.head.index}`}]`,
          ),
          '',
          member.diff,
          diff,
          slot === 'allOf' ? true : underAllOf,
        );
      }
    }
    if (diff.single.items)
      visit(joinPath(here, 'items'), '', diff.single.items, diff, underAllOf);
    const properties = diff.maps.properties;
    if (properties) {
      hooks.properties?.(here, diff, underAllOf);
      for (const name of [...properties.modified.keys()].sort())
        visit(here, name, properties.modified.get(name)!, diff, underAllOf);
    }
    for (const slot of ['additionalProperties'] as const) {
      const child = diff.single[slot];
      if (child) visit(joinPath(here, slot), '', child, diff, underAllOf);
    }
    for (const member of diff.lists.prefixItems?.modified ?? [])
      visit(
        joinPath(here, `prefixItems[${member.head.index}]`),
        '',
        member.diff,
        diff,
        underAllOf,
      );
    for (const slot of [
      'contains',
      'propertyNames',
      'unevaluatedItems',
      'unevaluatedProperties',
      'if',
      'then',
      'else',
      'not',
      'contentSchema',
    ] as const) {
      const child = diff.single[slot];
      if (child) visit(joinPath(here, slot), '', child, diff, underAllOf);
    }
    for (const slot of ['patternProperties', 'dependentSchemas'] as const) {
      const map = diff.maps[slot];
      if (!map) continue;
      for (const name of [...map.modified.keys()].sort())
        visit(
          joinPath(here, `${slot}[${name}]`),
          '',
          map.modified.get(name)!,
          diff,
          underAllOf,
        );
    }
  };
  visit('', '', root, undefined, false);
}
