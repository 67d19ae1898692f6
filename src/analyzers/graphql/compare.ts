import { diff, type Change } from '@graphql-inspector/core';
import type { BuiltSchema } from './schema.ts';
import type { Criticality } from './rules.ts';

export interface SchemaChange {
  type: string;
  criticality: Criticality;
  /** graphql-inspector's path (`Query.user.id`, `@auth`, `Query.user.@tag`), or undefined for schema-level changes. */
  path: string | undefined;
  message: string;
  reason: string | undefined;
}

/** The first segment of an inspector path: the type (or `@directive`) it is about. */
export function typeOfPath(path: string | undefined): string | undefined {
  return path === undefined || path === '' ? undefined : path.split('.')[0];
}

/**
 * Every change graphql-inspector reports between two revisions of one file's schema, minus those
 * about types the file does not define at one of them (they live elsewhere, and the file only
 * stopped or started defining them here: the other file's comparison covers them).
 */
export async function compareSchemas(
  before: BuiltSchema | undefined,
  after: BuiltSchema | undefined,
): Promise<SchemaChange[]> {
  const changes: Change[] = await diff(
    before?.schema ?? null,
    after?.schema ?? null,
  );
  const moved = (type: string | undefined) =>
    type !== undefined &&
    ((before?.external.has(type) && after?.defined.has(type)) ||
      (after?.external.has(type) && before?.defined.has(type)) ||
      (before?.external.has(type) && after?.external.has(type)));
  return changes
    .filter((change) => !moved(typeOfPath(change.path)))
    .map((change) => ({
      type: String(change.type),
      criticality: change.criticality.level as Criticality,
      path: change.path,
      message: change.message,
      reason: change.criticality.reason,
    }));
}
