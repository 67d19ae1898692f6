import { Kind, type DefinitionNode } from 'graphql';
import type { ParsedSdl } from './extract.ts';
import { buildFileSchema, elementLines, type BuiltSchema } from './schema.ts';

/** One SDL file of a schema split over several files. */
export interface SchemaPart {
  path: string;
  parsed: ParsedSdl;
}

/** The directory an SDL file's schema is composed in: its siblings in the same folder make one schema. */
export function schemaRoot(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function definedTypes(parsed: ParsedSdl): string[] {
  return parsed.definitions
    .filter(
      (definition) =>
        definition.kind.endsWith('TypeDefinition') && 'name' in definition,
    )
    .map(
      (definition) => (definition as { name: { value: string } }).name.value,
    );
}

/**
 * Builds the one schema several files describe together (`extend type Query` in one file of the
 * `Query` declared in another), with each element's line in the file that declares it: the
 * definition for a type, else its first extension. Undefined when the files do not fit together
 * (a type defined in two of them: separate schemas that happen to share a folder).
 */
export function composeSchema(parts: SchemaPart[]): BuiltSchema | undefined {
  const owners = new Map<string, string>();
  for (const part of parts)
    for (const type of definedTypes(part.parsed)) {
      if (owners.has(type)) return undefined;
      owners.set(type, part.path);
    }
  const definitions: DefinitionNode[] = [];
  const offsets = new Map<DefinitionNode, number>();
  for (const part of parts)
    for (const definition of part.parsed.definitions) {
      definitions.push(definition);
      offsets.set(definition, part.parsed.offsets.get(definition) ?? 0);
    }
  const built = buildFileSchema({ definitions, offsets });
  const lines = new Map<string, number>();
  const files = new Map<string, string>();
  const record = (part: SchemaPart, own: Map<string, number>) => {
    for (const [path, line] of own) {
      if (lines.has(path)) continue;
      lines.set(path, line);
      files.set(path, part.path);
    }
  };
  // Declarations first, so a type's line is its definition's, not an extension's.
  for (const part of parts) {
    const own = elementLines(part.parsed);
    const declared = new Set(definedTypes(part.parsed));
    record(
      part,
      new Map(
        [...own].filter(
          ([path]) => path === '' || declared.has(path.split('.')[0] ?? ''),
        ),
      ),
    );
  }
  for (const part of parts) record(part, elementLines(part.parsed));
  // A schema definition may live in any file: keep it with the file that has it.
  for (const part of parts)
    if (
      part.parsed.definitions.some(
        (definition) => definition.kind === Kind.SCHEMA_DEFINITION,
      )
    ) {
      const line = elementLines(part.parsed).get('');
      if (line !== undefined) {
        lines.set('', line);
        files.set('', part.path);
      }
    }
  return { ...built, lines, files };
}
