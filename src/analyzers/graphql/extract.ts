import { Lang, parse as parseCode } from '@ast-grep/napi';
import { Kind, parse, type DefinitionNode, type DocumentNode } from 'graphql';

const SDL_FILE = /\.(graphql|graphqls|gql)$/;
const CODE_FILE = /\.(ts|mts|cts|js|mjs|cjs)$/;
const TAGS = new Set(['gql', 'graphql']);

export function isSdlFile(path: string): boolean {
  return SDL_FILE.test(path);
}

/** Code files whose tagged template literals may hold SDL; a cheap text test spares the parse. */
export function mayHoldTaggedSdl(path: string, text: string): boolean {
  return (
    CODE_FILE.test(path) &&
    /\b(?:gql|graphql)\s*`/.test(text) &&
    /\b(?:type|interface|input|enum|union|scalar|directive|schema|extend)\s/.test(
      text,
    )
  );
}

/** A piece of SDL in a file: the text and the 1-based line of the file on which it starts. */
export interface SdlSource {
  text: string;
  line: number;
}

/** The SDL of a file: the whole file for .graphql files, each plain `gql`/`graphql`-tagged template literal in code. */
export function sdlSources(path: string, text: string): SdlSource[] {
  if (isSdlFile(path)) return [{ text, line: 1 }];
  if (!mayHoldTaggedSdl(path, text)) return [];
  const root = parseCode(
    /\.(ts|mts|cts)$/.test(path) ? Lang.TypeScript : Lang.JavaScript,
    text,
  ).root();
  const sources: SdlSource[] = [];
  for (const call of root.findAll({ rule: { kind: 'call_expression' } })) {
    const tag = call.field('function');
    const template = call.field('arguments');
    if (
      !tag ||
      !template ||
      template.kind() !== 'template_string' ||
      !TAGS.has(tag.text())
    )
      continue;
    // Interpolated SDL is assembled at run time: what it becomes cannot be read from the source.
    if (
      template
        .children()
        .some((child) => child.kind() === 'template_substitution')
    )
      continue;
    const raw = template.text().slice(1, -1).replace(/\\`/g, '`');
    sources.push({ text: raw, line: template.range().start.line + 1 });
  }
  return sources;
}

/** A parsed source with only its type-system definitions (operations in the same document are no part of a schema). */
export interface ParsedSdl {
  definitions: DefinitionNode[];
  /** Line offset: the file line of the source's line 1, minus one. */
  offsets: Map<DefinitionNode, number>;
}

const TYPE_SYSTEM_KINDS = new Set<string>([
  Kind.SCHEMA_DEFINITION,
  Kind.SCHEMA_EXTENSION,
  Kind.SCALAR_TYPE_DEFINITION,
  Kind.OBJECT_TYPE_DEFINITION,
  Kind.INTERFACE_TYPE_DEFINITION,
  Kind.UNION_TYPE_DEFINITION,
  Kind.ENUM_TYPE_DEFINITION,
  Kind.INPUT_OBJECT_TYPE_DEFINITION,
  Kind.DIRECTIVE_DEFINITION,
  Kind.SCALAR_TYPE_EXTENSION,
  Kind.OBJECT_TYPE_EXTENSION,
  Kind.INTERFACE_TYPE_EXTENSION,
  Kind.UNION_TYPE_EXTENSION,
  Kind.ENUM_TYPE_EXTENSION,
  Kind.INPUT_OBJECT_TYPE_EXTENSION,
]);

/** Parses every source of a file; throws graphql's syntax error (with the file's line) for the first that does not parse. */
export function parseSources(sources: SdlSource[]): ParsedSdl {
  const definitions: DefinitionNode[] = [];
  const offsets = new Map<DefinitionNode, number>();
  for (const source of sources) {
    let document: DocumentNode;
    try {
      document = parse(source.text);
    } catch (error) {
      const located = error as {
        locations?: Array<{ line: number }>;
        message?: string;
      };
      const line = located.locations?.[0]?.line;
      throw new SdlSyntaxError(
        String(located.message ?? error).replace(/^Syntax Error: /, ''),
        line === undefined ? undefined : line + source.line - 1,
      );
    }
    for (const definition of document.definitions) {
      if (!TYPE_SYSTEM_KINDS.has(definition.kind)) continue;
      definitions.push(definition);
      offsets.set(definition, source.line - 1);
    }
  }
  return { definitions, offsets };
}

export class SdlSyntaxError extends Error {
  override name = 'SdlSyntaxError';
  readonly line: number | undefined;
  constructor(message: string, line: number | undefined) {
    super(line === undefined ? message : `${message} (line ${line})`);
    this.line = line;
  }
}
