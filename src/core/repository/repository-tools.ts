import picomatch from 'picomatch';
import type { Revision } from '../change-set.ts';
import { silentLogger, type Logger } from '../logger.ts';
import type { SecretRedactor } from '../ports.ts';
import { findSymbol } from './find-symbol.ts';
import {
  checkToolPath,
  isSecretBearingPath,
  looksBinary,
} from './path-policy.ts';
import type { RepositoryView } from './repository-view.ts';
import type { ToolBudget } from './tool-budget.ts';
import {
  FIND_SYMBOL,
  isToolName,
  LIST_FILES,
  READ_FILE,
  SEARCH_CODE,
  TOOL_INPUTS,
  type ToolName,
} from './tool-schemas.ts';

/** Per call: what one tool result may hold before it is cut, with a note saying so. */
export const MAX_RESULT_BYTES = 24_000;
export const DEFAULT_READ_LINES = 200;
export const MAX_READ_LINES = 400;
export const MAX_SEARCH_MATCHES = 40;
export const MAX_LISTED_PATHS = 300;
const MAX_LINE_CHARS = 240;

/** A tool's answer, already masked and cut to size. The model adapter only wraps it as data. */
export interface ToolResult {
  tool: string;
  ok: boolean;
  /** What the tool looked at, for the delimiter, e.g. `src/app.ts lines 1-200`. */
  subject: string;
  text: string;
}

/** A place the model was shown, which it may cite as evidence. */
export interface InspectedRange {
  path: string;
  start: number;
  end: number;
}

export interface RepositoryToolsOptions {
  view: RepositoryView;
  /** The same redactor the diff goes through; without one, file contents are not handed out at all. */
  redactor?: SecretRedactor;
  budget: ToolBudget;
  maxFileBytes: number;
  logger?: Logger;
}

/**
 * The model's read-only tools over one review: confinement, secret masking, size caps and the
 * shared budget. Each chunk gets its own session, which remembers what it showed the model.
 */
export class RepositoryTools {
  readonly options: RepositoryToolsOptions;

  constructor(options: RepositoryToolsOptions) {
    this.options = options;
  }

  get budget(): ToolBudget {
    return this.options.budget;
  }

  session(): ToolSession {
    return new ToolSession(this.options);
  }
}

export class ToolSession {
  /** What this chunk's model was shown; evidence outside it (and outside the diff) is not accepted. */
  readonly inspected: InspectedRange[] = [];
  private readonly logger: Logger;
  private readonly options: RepositoryToolsOptions;

  constructor(options: RepositoryToolsOptions) {
    this.options = options;
    this.logger = options.logger ?? silentLogger;
  }

  get budget(): ToolBudget {
    return this.options.budget;
  }

  /** Runs one tool call. Never throws for the model's mistakes or the view's failures: they become error results. */
  async run(
    name: string,
    input: unknown,
    signal: AbortSignal,
  ): Promise<ToolResult> {
    const budget = this.options.budget;
    budget.calls++;
    if (!isToolName(name))
      return this.error(
        name,
        name,
        `unknown tool "${name.slice(0, 60)}"; the tools are ${Object.keys(TOOL_INPUTS).join(', ')}`,
      );
    if (budget.exhausted)
      return this.error(
        name,
        name,
        'the tool budget of this review is used up; report your findings with what you have',
      );
    const parsed = TOOL_INPUTS[name].safeParse(input);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .map((i) => `${i.path.join('.') || 'input'}: ${i.message}`)
        .join('; ');
      return this.error(name, name, `invalid input: ${issues.slice(0, 500)}`);
    }
    try {
      const result = await this.dispatch(name, parsed.data as never, signal);
      const text = cutToBytes(
        result.text,
        Math.min(MAX_RESULT_BYTES, Math.max(1000, budget.bytesLeft)),
      );
      budget.spendBytes(Buffer.byteLength(text));
      return { ...result, text };
    } catch (error) {
      signal.throwIfAborted();
      this.logger.warn({ err: error, tool: name }, 'repository tool failed');
      return this.error(
        name,
        name,
        `the tool failed: ${error instanceof Error ? error.message.slice(0, 300) : 'unknown error'}`,
      );
    }
  }

  private dispatch(
    name: ToolName,
    input: never,
    signal: AbortSignal,
  ): Promise<ToolResult> {
    switch (name) {
      case READ_FILE:
        return this.readFile(input, signal);
      case SEARCH_CODE:
        return this.search(input, signal);
      case LIST_FILES:
        return this.listFiles(input, signal);
      case FIND_SYMBOL:
        return this.findSymbol(input, signal);
    }
  }

  private error(tool: string, subject: string, message: string): ToolResult {
    this.options.budget.spendBytes(message.length);
    return { tool, ok: false, subject, text: message };
  }

  private async readFile(
    input: {
      path: string;
      start_line?: number;
      end_line?: number;
      revision?: Revision;
    },
    signal: AbortSignal,
  ): Promise<ToolResult> {
    const check = checkToolPath(input.path);
    if (!check.ok)
      return this.error(READ_FILE, input.path.slice(0, 200), check.reason);
    const path = check.path;
    if (isSecretBearingPath(path))
      return this.error(
        READ_FILE,
        path,
        'refused: this file holds credentials by its nature (.env, keys, credential stores); its contents are never shown',
      );
    const revision = input.revision ?? 'head';
    const file = await this.options.view.readFile(revision, path, signal);
    if (file.kind === 'missing')
      return this.error(READ_FILE, path, `no file ${path} at ${revision}`);
    if (file.kind === 'not-a-file')
      return this.error(
        READ_FILE,
        path,
        `${path} is a ${file.what}, not a regular file; symlinks and submodules are not followed`,
      );
    if (
      file.kind === 'too-large' ||
      file.bytes.length > this.options.maxFileBytes
    )
      return this.error(
        READ_FILE,
        path,
        `${path} is larger than the ${this.options.maxFileBytes}-byte limit for reading files`,
      );
    if (looksBinary(file.bytes))
      return this.error(READ_FILE, path, `${path} is a binary file`);
    const text = await this.mask(path, file.bytes.toString('utf8'));
    if (text === undefined)
      return this.error(
        READ_FILE,
        path,
        `${path} could not be checked for secrets, so it is not shown`,
      );
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    const start = Math.min(input.start_line ?? 1, Math.max(1, lines.length));
    const wantedEnd = input.end_line ?? start + DEFAULT_READ_LINES - 1;
    const end = Math.min(
      lines.length,
      Math.max(start, wantedEnd),
      start + MAX_READ_LINES - 1,
    );
    const width = String(end).length;
    const body = lines
      .slice(start - 1, end)
      .map((line, i) => `${String(start + i).padStart(width)}  ${clip(line)}`);
    const notes: string[] = [];
    if (lines.length === 0) notes.push('(the file is empty)');
    else if (end < lines.length)
      notes.push(
        `[lines ${start}-${end} of ${lines.length}; read further with start_line ${end + 1}]`,
      );
    this.inspected.push({ path, start, end });
    return {
      tool: READ_FILE,
      ok: true,
      subject: `${path}${revision === 'base' ? ' (base)' : ''} lines ${start}-${end} of ${lines.length}`,
      text: [...body, ...notes].join('\n'),
    };
  }

  private async search(
    input: {
      pattern: string;
      regex?: boolean;
      path_glob?: string;
      case_sensitive?: boolean;
    },
    signal: AbortSignal,
  ): Promise<ToolResult> {
    if (input.regex) {
      try {
        new RegExp(input.pattern);
      } catch (error) {
        return this.error(
          SEARCH_CODE,
          input.pattern,
          `invalid regular expression: ${(error as Error).message.slice(0, 200)}`,
        );
      }
    }
    const result = await this.options.view.search(
      {
        pattern: input.pattern,
        regex: input.regex ?? false,
        pathGlob: input.path_glob,
        caseSensitive: input.case_sensitive ?? true,
        maxMatches: MAX_SEARCH_MATCHES * 2,
      },
      signal,
    );
    const allowed = result.matches.filter(
      (m) => checkToolPath(m.path).ok && !isSecretBearingPath(m.path),
    );
    const hidden = result.matches.length - allowed.length;
    const shown = allowed.slice(0, MAX_SEARCH_MATCHES);
    const lines = await this.maskMatches(shown);
    for (const m of shown)
      this.inspected.push({ path: m.path, start: m.line, end: m.line });
    const notes: string[] = [];
    if (shown.length === 0) notes.push('(no matches)');
    if (result.truncated || allowed.length > shown.length)
      notes.push(
        `[more matches exist; only the first ${shown.length} are shown; narrow the pattern or path_glob]`,
      );
    if (hidden > 0)
      notes.push(
        `[${hidden} match${hidden === 1 ? '' : 'es'} in credential files not shown]`,
      );
    return {
      tool: SEARCH_CODE,
      ok: true,
      subject: `search ${JSON.stringify(input.pattern.slice(0, 100))}${input.path_glob ? ` in ${input.path_glob}` : ''}`,
      text: [...lines, ...notes].join('\n'),
    };
  }

  private async listFiles(
    input: { glob?: string },
    signal: AbortSignal,
  ): Promise<ToolResult> {
    const all = await this.options.view.listFiles('head', signal);
    const match = input.glob
      ? picomatch(input.glob, { dot: true })
      : () => true;
    const paths = all.filter((p) => checkToolPath(p).ok && match(p));
    const shown = paths.slice(0, MAX_LISTED_PATHS);
    const notes =
      paths.length === 0
        ? ['(no files match)']
        : paths.length > shown.length
          ? [
              `[${paths.length} files match; the first ${shown.length} are shown; narrow the glob]`,
            ]
          : [];
    return {
      tool: LIST_FILES,
      ok: true,
      subject: `files${input.glob ? ` matching ${input.glob}` : ''}`,
      text: [...shown.map(clip), ...notes].join('\n'),
    };
  }

  private async findSymbol(
    input: { name: string; path_glob?: string },
    signal: AbortSignal,
  ): Promise<ToolResult> {
    const found = await findSymbol(this.options.view, input.name, {
      pathGlob: input.path_glob,
      signal,
      maxFileBytes: this.options.maxFileBytes,
    });
    const keep = (m: { path: string }) =>
      checkToolPath(m.path).ok && !isSecretBearingPath(m.path);
    const definitions = found.definitions.filter(keep).slice(0, 15);
    const usages = found.usages.filter(keep).slice(0, 30);
    for (const m of [...definitions, ...usages])
      this.inspected.push({ path: m.path, start: m.line, end: m.line });
    const parts = [
      'definitions:',
      ...((await this.maskMatches(definitions)) || []),
      ...(definitions.length === 0 ? ['(none found)'] : []),
      'usages:',
      ...(await this.maskMatches(usages)),
      ...(usages.length === 0 ? ['(none found)'] : []),
    ];
    if (found.truncated)
      parts.push('[more occurrences exist; only the first are shown]');
    if (found.heuristic)
      parts.push(
        `[definitions in ${found.heuristic} were recognised by pattern, not parsed]`,
      );
    return {
      tool: FIND_SYMBOL,
      ok: true,
      subject: `symbol ${input.name}`,
      text: parts.join('\n'),
    };
  }

  /** Masks a file's text; undefined when masking failed (the text is then withheld). */
  private async mask(path: string, text: string): Promise<string | undefined> {
    if (!this.options.redactor) return undefined;
    try {
      return await this.options.redactor.redact(path, text);
    } catch (error) {
      this.logger.error(
        { err: error, path },
        'secret redaction of a tool result failed',
      );
      return undefined;
    }
  }

  /** Masks matched lines file by file, so the redactor sees each line with its file's name. */
  private async maskMatches(
    matches: Array<{ path: string; line: number; text: string }>,
  ): Promise<string[]> {
    const byPath = new Map<string, number[]>();
    matches.forEach((m, i) =>
      byPath.set(m.path, [...(byPath.get(m.path) ?? []), i]),
    );
    const out = matches.map(
      (m) =>
        `${m.path}:${m.line}: [withheld: could not be checked for secrets]`,
    );
    for (const [path, indexes] of byPath) {
      const masked = await this.mask(
        path,
        indexes.map((i) => matches[i]!.text.replace(/[\r\n]/g, ' ')).join('\n'),
      );
      const lines = masked?.split('\n');
      if (!lines || lines.length !== indexes.length) continue;
      indexes.forEach(
        (i, k) =>
          (out[i] = `${path}:${matches[i]!.line}: ${clip(lines[k]!.trim())}`),
      );
    }
    return out;
  }
}

function clip(line: string): string {
  return line.length > MAX_LINE_CHARS
    ? `${line.slice(0, MAX_LINE_CHARS)}… [line cut]`
    : line;
}

/** Cuts text to a byte budget at a line boundary, saying so. */
export function cutToBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const note = `\n[result truncated to ${maxBytes} bytes]`;
  let cut = Buffer.from(text)
    .subarray(0, Math.max(0, maxBytes - note.length))
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  const lastBreak = cut.lastIndexOf('\n');
  if (lastBreak > 0) cut = cut.slice(0, lastBreak);
  return cut + note;
}
