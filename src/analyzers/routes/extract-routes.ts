import type { LanguageFamily, SourceFile } from '../code/source-file.ts';
import { extractGoRoutes } from './extract/go.ts';
import { extractJavaRoutes } from './extract/java.ts';
import { extractJsRoutes } from './extract/javascript.ts';
import { extractPythonRoutes } from './extract/python.ts';
import type { Route } from './route.ts';

const EXTRACTORS: Record<LanguageFamily, (file: SourceFile) => Route[]> = {
  js: extractJsRoutes,
  python: extractPythonRoutes,
  go: extractGoRoutes,
  java: extractJavaRoutes,
};

// Every route these extractors recognise needs one of these in the text, so files without any are
// not parsed at all.
const MARKERS: Record<LanguageFamily, string[]> = {
  js: ["'/", '"/', '`/', 'Controller'],
  python: ["'/", '"/', 'urlpatterns'],
  go: [
    '"/',
    '`/',
    ...['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].map(
      (m) => `"${m} /`,
    ),
  ],
  java: ['Mapping'],
};

export function mayDefineRoutes(family: LanguageFamily, text: string): boolean {
  return MARKERS[family].some((marker) => text.includes(marker));
}

export function extractRoutes(file: SourceFile): Route[] {
  return EXTRACTORS[file.family](file);
}
