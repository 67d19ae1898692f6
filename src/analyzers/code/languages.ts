import { Lang, registerDynamicLanguage } from '@ast-grep/napi';
import go from '@ast-grep/lang-go';
import java from '@ast-grep/lang-java';
import kotlin from '@ast-grep/lang-kotlin';
import python from '@ast-grep/lang-python';
import ruby from '@ast-grep/lang-ruby';

/** Languages ast-grep parses for us: its built-in ones plus the tree-sitter packages we ship. */
export type CodeLanguage =
  | 'javascript'
  | 'typescript'
  | 'python'
  | 'go'
  | 'java'
  | 'kotlin'
  | 'ruby';

let registered = false;

/** ast-grep keeps a process-wide language registry; register the dynamic grammars once. */
export function ensureLanguages(): void {
  if (registered) return;
  registerDynamicLanguage({ python, go, java, kotlin, ruby });
  registered = true;
}

const BY_EXTENSION: Record<string, CodeLanguage> = {
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  py: 'python',
  go: 'go',
  java: 'java',
  kt: 'kotlin',
  kts: 'kotlin',
  rb: 'ruby',
};

export function languageOf(path: string): CodeLanguage | undefined {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return BY_EXTENSION[ext];
}

/** The name to pass to ast-grep's `parse`/`parseAsync` for a language. */
export function astGrepLang(language: CodeLanguage): Lang | string {
  ensureLanguages();
  if (language === 'javascript') return Lang.JavaScript;
  if (language === 'typescript') return Lang.TypeScript;
  return language;
}
