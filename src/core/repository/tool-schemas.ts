import { z } from 'zod';

/**
 * The read-only tools the model may call while it reviews, as the model sees them. The input
 * schemas are the boundary: anything that does not parse goes back to the model as a tool error.
 */
export const READ_FILE = 'read_file';
export const SEARCH_CODE = 'search_code';
export const LIST_FILES = 'list_files';
export const FIND_SYMBOL = 'find_symbol';

export const ReadFileInput = z.strictObject({
  path: z
    .string()
    .min(1)
    .max(1000)
    .describe('Repository-relative path, e.g. src/routes/orders.ts.'),
  start_line: z
    .int()
    .min(1)
    .optional()
    .describe('First line to read (1-based). Default 1.'),
  end_line: z
    .int()
    .min(1)
    .optional()
    .describe('Last line to read. Default: start_line + 199.'),
  revision: z
    .enum(['head', 'base'])
    .optional()
    .describe(
      'head (default): the pull request as proposed; base: before the change.',
    ),
});

export const SearchCodeInput = z.strictObject({
  pattern: z
    .string()
    .min(1)
    .max(300)
    .describe('Text to look for in the head revision.'),
  regex: z
    .boolean()
    .optional()
    .describe(
      'Treat pattern as a regular expression (JavaScript syntax). Default false: a literal string.',
    ),
  path_glob: z
    .string()
    .min(1)
    .max(300)
    .optional()
    .describe('Only search files matching this glob, e.g. src/**/*.py.'),
  case_sensitive: z.boolean().optional().describe('Default true.'),
});

export const ListFilesInput = z.strictObject({
  glob: z
    .string()
    .min(1)
    .max(300)
    .optional()
    .describe(
      'Only paths matching this glob, e.g. **/middleware/** or migrations/*.sql. Default: every file.',
    ),
});

export const FindSymbolInput = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(200)
    .regex(
      /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?$/,
      'an identifier such as requireAuth or OrderService.create',
    )
    .describe(
      'An identifier: a function, class, method, variable or type name.',
    ),
  path_glob: z
    .string()
    .min(1)
    .max(300)
    .optional()
    .describe('Only look in files matching this glob.'),
});

export const TOOL_DESCRIPTIONS: Record<string, string> = {
  [READ_FILE]:
    'Read lines of a file in the repository (any file, not only the changed ones), numbered. Use it to inspect code the change calls or depends on: middleware, models, clients, configuration, the callers of a changed function.',
  [SEARCH_CODE]:
    'Search the repository at head for a string or regular expression; returns matching lines as path:line: text.',
  [LIST_FILES]:
    'List file paths in the repository at head, optionally filtered by a glob.',
  [FIND_SYMBOL]:
    'Find where an identifier is defined and where it is used in the repository at head.',
};

export const TOOL_INPUTS = {
  [READ_FILE]: ReadFileInput,
  [SEARCH_CODE]: SearchCodeInput,
  [LIST_FILES]: ListFilesInput,
  [FIND_SYMBOL]: FindSymbolInput,
} as const;

export type ToolName = keyof typeof TOOL_INPUTS;

export function isToolName(name: string): name is ToolName {
  return Object.hasOwn(TOOL_INPUTS, name);
}
