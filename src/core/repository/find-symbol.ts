import { Lang, parse, type SgNode } from '@ast-grep/napi';
import { looksBinary } from './path-policy.ts';
import type { RepositoryView, SearchMatch } from './repository-view.ts';

export interface SymbolSearch {
  definitions: SearchMatch[];
  usages: SearchMatch[];
  truncated: boolean;
  /** Languages whose definitions were told apart by pattern rather than by parsing, when any. */
  heuristic?: string;
}

const MAX_OCCURRENCES = 120;
const MAX_PARSED_FILES = 25;

/** Declarations whose `name` field names what they declare, in the grammars ast-grep ships. */
const DECLARATION_KINDS = [
  'function_declaration',
  'generator_function_declaration',
  'class_declaration',
  'abstract_class_declaration',
  'method_definition',
  'variable_declarator',
  'interface_declaration',
  'type_alias_declaration',
  'enum_declaration',
  'public_field_definition',
];

function astLanguage(path: string): Lang | undefined {
  if (/\.(?:tsx)$/i.test(path)) return Lang.Tsx;
  if (/\.(?:ts|mts|cts)$/i.test(path)) return Lang.TypeScript;
  if (/\.(?:js|mjs|cjs|jsx)$/i.test(path)) return Lang.JavaScript;
  return undefined;
}

/** Definition lines in languages we do not parse here: Python, Go, Java/Kotlin, Ruby, Rust, C#, PHP. */
function definitionPattern(name: string): RegExp {
  const n = name.replace(/[$]/g, '\\$');
  return new RegExp(
    [
      `^\\s*(?:async\\s+)?def\\s+${n}\\b`,
      `^\\s*class\\s+${n}\\b`,
      `^\\s*func\\s+(?:\\([^)]*\\)\\s*)?${n}\\b`,
      `^\\s*type\\s+${n}\\b`,
      `^\\s*(?:pub(?:\\([^)]*\\))?\\s+)?(?:async\\s+)?fn\\s+${n}\\b`,
      `^\\s*(?:(?:public|private|protected|internal|static|final|abstract|override|suspend|open)\\s+)*(?:fun|interface|enum|record|object)\\s+${n}\\b`,
      `^\\s*(?:(?:public|private|protected|static|final|abstract|synchronized)\\s+)+[\\w<>\\[\\], ?]+\\s+${n}\\s*\\(`,
      `^\\s*(?:function|module)\\s+${n}\\b`,
      `^\\s*${n}\\s*=\\s*`,
    ].join('|'),
  );
}

/**
 * Where an identifier is defined and used at head: candidate lines come from a whole-word search,
 * then JavaScript and TypeScript files are parsed to tell declarations from uses; other languages
 * are told apart by their declaration keywords.
 */
export async function findSymbol(
  view: RepositoryView,
  qualified: string,
  options: { pathGlob?: string; signal?: AbortSignal; maxFileBytes: number },
): Promise<SymbolSearch> {
  const name = qualified.includes('.')
    ? qualified.slice(qualified.lastIndexOf('.') + 1)
    : qualified;
  const escaped = name.replace(/[$]/g, '\\$');
  const found = await view.search(
    {
      pattern: `(^|[^\\w$])${escaped}([^\\w$]|$)`,
      regex: true,
      pathGlob: options.pathGlob,
      caseSensitive: true,
      maxMatches: MAX_OCCURRENCES,
    },
    options.signal,
  );
  const byPath = new Map<string, SearchMatch[]>();
  for (const m of found.matches)
    byPath.set(m.path, [...(byPath.get(m.path) ?? []), m]);

  const definitions: SearchMatch[] = [];
  const usages: SearchMatch[] = [];
  const pattern = definitionPattern(name);
  let parsed = 0;
  let heuristic = false;
  for (const [path, matches] of byPath) {
    const lang = astLanguage(path);
    let declared: Set<number> | undefined;
    if (lang && parsed < MAX_PARSED_FILES) {
      parsed++;
      declared = await declarationLines(view, path, name, lang, options);
    }
    if (!declared && !lang) heuristic = true;
    for (const m of matches) {
      const isDefinition = declared
        ? declared.has(m.line)
        : pattern.test(m.text);
      (isDefinition ? definitions : usages).push(m);
    }
  }
  const result: SymbolSearch = {
    definitions,
    usages,
    truncated: found.truncated,
  };
  if (heuristic)
    result.heuristic = 'languages other than JavaScript and TypeScript';
  return result;
}

async function declarationLines(
  view: RepositoryView,
  path: string,
  name: string,
  lang: Lang,
  options: { signal?: AbortSignal; maxFileBytes: number },
): Promise<Set<number> | undefined> {
  const file = await view.readFile('head', path, options.signal);
  if (
    file.kind !== 'file' ||
    file.bytes.length > options.maxFileBytes ||
    looksBinary(file.bytes)
  )
    return undefined;
  let root: SgNode;
  try {
    root = parse(lang, file.bytes.toString('utf8')).root();
  } catch {
    return undefined;
  }
  const lines = new Set<number>();
  for (const kind of DECLARATION_KINDS) {
    let nodes: SgNode[];
    try {
      nodes = root.findAll({ rule: { kind } });
    } catch {
      continue; // a kind this grammar does not have
    }
    for (const node of nodes) {
      const id = node.field('name');
      if (id?.text() === name) lines.add(id.range().start.line + 1);
    }
  }
  return lines;
}
