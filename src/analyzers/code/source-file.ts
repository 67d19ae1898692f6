import type { SgNode } from '@ast-grep/napi';
import type { ChangeSet, Revision } from '../../core/change-set.ts';
import { languageOf, type CodeLanguage } from './languages.ts';
import { parseRoot, readSource } from './parse-cache.ts';

/**
 * The languages the region-based code rules read (the security checks also read Kotlin and Ruby):
 * a subset of the toolkit's one `CodeLanguage`.
 */
export type AnalyzedLanguage = Extract<
  CodeLanguage,
  'javascript' | 'typescript' | 'python' | 'go' | 'java'
>;
const ANALYZED: ReadonlySet<CodeLanguage> = new Set<AnalyzedLanguage>([
  'javascript',
  'typescript',
  'python',
  'go',
  'java',
]);

/** A grouping of those languages, not another language list: both JavaScript grammars share node kinds, so rules treat them as one family. */
export type LanguageFamily = 'js' | 'python' | 'go' | 'java';

export interface SourceFile {
  path: string;
  revision: Revision;
  language: AnalyzedLanguage;
  family: LanguageFamily;
  text: string;
  root: SgNode;
}

export type ParseResult =
  | { status: 'parsed'; file: SourceFile }
  | { status: 'unavailable'; reason: string };

export function analyzedLanguageOf(path: string): AnalyzedLanguage | undefined {
  const language = languageOf(path);
  return language && ANALYZED.has(language)
    ? (language as AnalyzedLanguage)
    : undefined;
}

export function familyOf(language: AnalyzedLanguage): LanguageFamily {
  return language === 'javascript' || language === 'typescript'
    ? 'js'
    : language;
}

/** The text of a file at one revision, read once per change set (shared with every analyzer). */
export { readSource };

/** Parses a file at one revision once per change set; later callers get the same tree. */
export function parseSource(
  changeSet: ChangeSet,
  revision: Revision,
  path: string,
  signal?: AbortSignal,
): Promise<ParseResult> {
  const language = analyzedLanguageOf(path);
  if (!language)
    return Promise.resolve({
      status: 'unavailable',
      reason: 'not a language these rules read',
    });
  return readSource(changeSet, revision, path, signal).then(
    async (text): Promise<ParseResult> => {
      if (text === undefined)
        return {
          status: 'unavailable',
          reason: `the ${revision} contents are not available (missing, binary or over the size limit)`,
        };
      const root = await parseRoot(changeSet, revision, path, language, text);
      return {
        status: 'parsed',
        file: {
          path,
          revision,
          language,
          family: familyOf(language),
          text,
          root,
        },
      };
    },
  );
}

/**
 * The 1-based line of the first syntax error inside a node, if the parser had to recover from one:
 * an ERROR node, or a token the parser invented (a MISSING node, the only nodes with empty text).
 */
export function syntaxErrorLine(node: SgNode): number | undefined {
  const error = node.find({
    rule: { any: [{ kind: 'ERROR' }, { regex: '^$' }] },
  });
  return error ? error.range().start.line + 1 : undefined;
}
