import type { CodeLanguage } from '../code/languages.ts';

/** Every language the security checks read: all the languages the toolkit parses. */
export const SECURITY_LANGUAGES: readonly CodeLanguage[] = [
  'javascript',
  'typescript',
  'python',
  'go',
  'java',
  'kotlin',
  'ruby',
];
