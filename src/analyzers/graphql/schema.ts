import {
  Kind,
  buildASTSchema,
  visit,
  type ASTNode,
  type DefinitionNode,
  type DocumentNode,
  type GraphQLSchema,
  type TypeDefinitionNode,
  type TypeExtensionNode,
} from 'graphql';
import type { ParsedSdl } from './extract.ts';

const BUILT_IN_SCALARS = new Set(['Int', 'Float', 'String', 'Boolean', 'ID']);

const EXTENSION_TO_DEFINITION: Record<string, TypeDefinitionNode['kind']> = {
  [Kind.SCALAR_TYPE_EXTENSION]: Kind.SCALAR_TYPE_DEFINITION,
  [Kind.OBJECT_TYPE_EXTENSION]: Kind.OBJECT_TYPE_DEFINITION,
  [Kind.INTERFACE_TYPE_EXTENSION]: Kind.INTERFACE_TYPE_DEFINITION,
  [Kind.UNION_TYPE_EXTENSION]: Kind.UNION_TYPE_DEFINITION,
  [Kind.ENUM_TYPE_EXTENSION]: Kind.ENUM_TYPE_DEFINITION,
  [Kind.INPUT_OBJECT_TYPE_EXTENSION]: Kind.INPUT_OBJECT_TYPE_DEFINITION,
};

/** One revision of one file's schema. */
export interface BuiltSchema {
  schema: GraphQLSchema;
  /** Types the file uses but defines elsewhere (another file, or a federation gateway): stood in for by scalars. */
  external: Set<string>;
  /** Types the file defines or extends. */
  defined: Set<string>;
  /** Element path (`Type`, `Type.field`, `Type.field.arg`, `@directive`, `@directive.arg`, '' for the schema) → 1-based file line. */
  lines: Map<string, number>;
  /** For a schema composed of several files: element path → the file its line is in. */
  files?: Map<string, string>;
}

/**
 * Builds the schema a file describes on its own. A file is often one part of a larger schema (split
 * type definitions, a federation subgraph): types it uses without defining become opaque scalars,
 * and `extend type X` of a type defined elsewhere counts as X's definition, so the file's own
 * definitions can be compared without the rest. Directives need no definitions.
 */
export function buildFileSchema(parsed: ParsedSdl): BuiltSchema {
  const defined = new Set<string>();
  for (const definition of parsed.definitions)
    if (isTypeDefinition(definition)) defined.add(definition.name.value);
  const definitions: DefinitionNode[] = [];
  const extended = new Set<string>();
  for (const definition of parsed.definitions) {
    const asDefinition = EXTENSION_TO_DEFINITION[definition.kind];
    if (
      asDefinition &&
      isTypeExtension(definition) &&
      !defined.has(definition.name.value) &&
      !extended.has(definition.name.value)
    ) {
      // The first extension of a type defined elsewhere stands in for its definition; later ones extend it.
      extended.add(definition.name.value);
      definitions.push({ ...definition, kind: asDefinition } as DefinitionNode);
    } else {
      definitions.push(definition);
    }
  }
  const all = new Set([...defined, ...extended]);
  const referenced = new Set<string>();
  visit({ kind: Kind.DOCUMENT, definitions } as DocumentNode, {
    NamedType(node) {
      referenced.add(node.name.value);
    },
  });
  const external = new Set(
    [...referenced].filter(
      (name) => !all.has(name) && !BUILT_IN_SCALARS.has(name),
    ),
  );
  for (const name of [...external].sort()) {
    definitions.push({
      kind: Kind.SCALAR_TYPE_DEFINITION,
      name: { kind: Kind.NAME, value: name },
    });
  }
  const schema = buildASTSchema(
    { kind: Kind.DOCUMENT, definitions } as DocumentNode,
    { assumeValidSDL: true },
  );
  return { schema, external, defined: all, lines: elementLines(parsed) };
}

function isTypeDefinition(node: DefinitionNode): node is TypeDefinitionNode {
  return (
    'name' in node &&
    node.name !== undefined &&
    node.kind.endsWith('TypeDefinition')
  );
}

function isTypeExtension(node: DefinitionNode): node is TypeExtensionNode {
  return node.kind.endsWith('TypeExtension');
}

function lineOf(node: ASTNode, offset: number): number | undefined {
  const line = node.loc?.startToken.line;
  return line === undefined ? undefined : line + offset;
}

export function elementLines(parsed: ParsedSdl): Map<string, number> {
  const lines = new Map<string, number>();
  const set = (path: string, node: ASTNode, offset: number) => {
    const line = lineOf(node, offset);
    if (line !== undefined && !lines.has(path)) lines.set(path, line);
  };
  for (const definition of parsed.definitions) {
    const offset = parsed.offsets.get(definition) ?? 0;
    if (
      definition.kind === Kind.SCHEMA_DEFINITION ||
      definition.kind === Kind.SCHEMA_EXTENSION
    ) {
      set('', definition, offset);
      continue;
    }
    if (definition.kind === Kind.DIRECTIVE_DEFINITION) {
      set(`@${definition.name.value}`, definition, offset);
      for (const arg of definition.arguments ?? [])
        set(`@${definition.name.value}.${arg.name.value}`, arg, offset);
      continue;
    }
    if (!('name' in definition) || !definition.name) continue;
    const type = definition.name.value;
    set(type, definition, offset);
    if ('fields' in definition) {
      for (const field of definition.fields ?? []) {
        set(`${type}.${field.name.value}`, field, offset);
        if ('arguments' in field)
          for (const arg of field.arguments ?? [])
            set(`${type}.${field.name.value}.${arg.name.value}`, arg, offset);
      }
    }
    if ('values' in definition)
      for (const value of definition.values ?? [])
        set(`${type}.${value.name.value}`, value, offset);
  }
  return lines;
}
