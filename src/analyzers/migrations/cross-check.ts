import type { ContentReader } from '../../core/change-set.ts';
import { mapLimit } from '../../core/concurrency.ts';
import type { CoverageNote } from '../../core/coverage.ts';
import type { DraftFinding } from '../../core/finding.ts';
import { makeFinding } from './findings.ts';
import { pascal, singular } from './orm/shared.ts';
import type { SchemaChange } from './types.ts';

export const CROSS_CHECK_SOURCE = 'schema-cross-check';

export interface CrossCheckLimits {
  /** Most code files read at head. */
  maxFiles: number;
  /** Most bytes read at head, over all files. */
  maxBytes: number;
  /** Most related locations listed per finding. */
  maxRelated: number;
}

export const DEFAULT_CROSS_CHECK_LIMITS: CrossCheckLimits = { maxFiles: 5000, maxBytes: 40 * 1024 * 1024, maxRelated: 5 };

/** Source files whose code can reference a table or column at runtime. */
const CODE_EXTENSIONS = new Set(['ts', 'mts', 'cts', 'js', 'mjs', 'cjs', 'py', 'rb', 'erb', 'go', 'java', 'kt', 'kts', 'scala', 'rs', 'cs', 'php', 'ex', 'exs']);
const SKIPPED_DIRS = new Set(['node_modules', 'vendor', 'third_party', 'third-party', 'dist', 'build', 'generated', '__generated__', 'test', 'tests', 'spec', '__tests__', 'testdata', 'fixtures']);
const TEST_FILE = /(?:\.(?:test|spec)\.[cm]?[jt]s|_test\.(?:go|py|rb|exs?)|_spec\.rb|(?:^|\/)test_[^/]+\.py|Tests?\.(?:java|kt|cs))$/;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;
const COMMENT_LINE = /^\s*(?:\/\/|#|\/\*|\*|--)/;

/** Whether the cross-check reads a head file: production code, not tests, vendored or generated code. */
export function isCodeFile(path: string): boolean {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  if (!CODE_EXTENSIONS.has(ext) || path.endsWith('.d.ts') || TEST_FILE.test(path)) return false;
  return !path.split('/').slice(0, -1).some((dir) => SKIPPED_DIRS.has(dir.toLowerCase()));
}

function camel(name: string): string {
  const p = pascal(name);
  return p ? p[0]!.toLowerCase() + p.slice(1) : name;
}

/** Spellings code uses for a database name: as is, camelCase and PascalCase. */
function spellings(name: string): string[] {
  return [name, camel(name), pascal(name)];
}

interface Probe {
  change: SchemaChange;
  /** Words that mean the dropped or renamed name. */
  names: Set<string>;
  /** For columns: words that mean the table; a file must mention one of them too. */
  tableWords?: Set<string>;
  /** The first references, in path order, and how many there are in all. */
  hits: Array<{ path: string; line: number; word: string }>;
  uses: number;
  files: number;
}

function probeFor(change: SchemaChange): Probe {
  if (change.column === undefined) {
    // A table name alone: its exact spelling, its model class name and ORM aliases.
    return { change, names: new Set([change.table, pascal(singular(change.table)), ...(change.tableAliases ?? [])]), hits: [], uses: 0, files: 0 };
  }
  const tableWords = new Set([...spellings(change.table), ...spellings(singular(change.table)), ...(change.tableAliases ?? []).flatMap(spellings)]);
  const names = new Set([...spellings(change.column), ...(change.columnAliases ?? []).flatMap(spellings)]);
  return { change, names, tableWords, hits: [], uses: 0, files: 0 };
}

/** Probes by the words that trigger them, so a file is scanned once whatever the number of changes. */
interface ProbeIndex {
  /** Table probes by name word. */
  tables: Map<string, Probe[]>;
  /** Column probes by name word, then by table word. */
  columns: Map<string, Map<string, Probe[]>>;
  tableWords: Set<string>;
}

function indexProbes(probes: Probe[]): ProbeIndex {
  const index: ProbeIndex = { tables: new Map(), columns: new Map(), tableWords: new Set() };
  const push = <K>(map: Map<K, Probe[]>, key: K, probe: Probe): void => {
    const list = map.get(key);
    if (list) list.push(probe);
    else map.set(key, [probe]);
  };
  for (const probe of probes) {
    for (const name of probe.names) {
      if (!probe.tableWords) {
        push(index.tables, name, probe);
        continue;
      }
      let byTable = index.columns.get(name);
      if (!byTable) index.columns.set(name, (byTable = new Map()));
      for (const word of probe.tableWords) {
        push(byTable, word, probe);
        index.tableWords.add(word);
      }
    }
  }
  return index;
}

/**
 * Finds code at the head revision that still uses a table or column the change drops or renames.
 * Matches whole identifiers (snake_case, camelCase, PascalCase); a column counts only in a file that
 * also names its table or model. Comment lines and Rails `ignored_columns` lines do not count.
 */
export async function crossCheck(
  changes: readonly SchemaChange[],
  contents: ContentReader,
  excluded: (path: string) => boolean,
  signal: AbortSignal,
  limits: CrossCheckLimits = DEFAULT_CROSS_CHECK_LIMITS,
): Promise<{ findings: DraftFinding[]; notes: CoverageNote[] }> {
  const notes: CoverageNote[] = [];
  if (changes.length === 0) return { findings: [], notes };
  if (!contents.listHeadPaths) {
    notes.push({ source: CROSS_CHECK_SOURCE, message: 'could not check code for uses of dropped or renamed columns and tables: the change source cannot list files at head' });
    return { findings: [], notes };
  }
  const all = (await contents.listHeadPaths(signal)).filter((path) => isCodeFile(path) && !excluded(path));
  const paths = all.slice(0, limits.maxFiles);
  if (all.length > paths.length) {
    notes.push({ source: CROSS_CHECK_SOURCE, message: `checked ${paths.length} of ${all.length} code files for uses of dropped or renamed columns and tables (limit reached)` });
  }

  const probes = changes.map(probeFor);
  const index = indexProbes(probes);

  // Files are read concurrently but counted in path order, so the byte limit cuts at the same file every run.
  let started = 0;
  let unreadable = 0;
  const scanned = await mapLimit(
    paths,
    8,
    async (path): Promise<ScanResult | undefined> => {
      if (started >= limits.maxBytes) return undefined;
      let text: string | undefined;
      try {
        text = await contents.read('head', path, signal);
      } catch {
        signal.throwIfAborted();
        unreadable++;
        return { bytes: 0, hits: new Map() };
      }
      if (text === undefined) return { bytes: 0, hits: new Map() };
      started += text.length;
      return { bytes: text.length, hits: scanFile(text, index, limits.maxRelated) };
    },
    signal,
  );
  let bytes = 0;
  let skippedForBytes = 0;
  scanned.forEach((result, i) => {
    if (bytes >= limits.maxBytes || !result) {
      skippedForBytes++;
      return;
    }
    bytes += result.bytes;
    for (const [probe, found] of result.hits) {
      probe.uses += found.uses;
      probe.files++;
      for (const hit of found.lines) if (probe.hits.length < limits.maxRelated) probe.hits.push({ path: paths[i]!, ...hit });
    }
  });
  if (unreadable > 0) {
    notes.push({ source: CROSS_CHECK_SOURCE, message: `${unreadable} code file${unreadable === 1 ? '' : 's'} could not be read while checking for uses of dropped or renamed columns and tables` });
  }
  if (skippedForBytes > 0) {
    notes.push({ source: CROSS_CHECK_SOURCE, message: `${skippedForBytes} code file${skippedForBytes === 1 ? ' was' : 's were'} not checked for uses of dropped or renamed columns and tables: the ${Math.round(limits.maxBytes / 1024 / 1024)} MB read limit was reached` });
  }

  const findings: DraftFinding[] = [];
  for (const probe of probes) {
    if (probe.hits.length === 0) continue;
    const { change } = probe;
    const shown = probe.hits;
    const rest = probe.uses - shown.length;
    const ruleId = change.column === undefined ? 'schema/dropped-table-still-referenced' : 'schema/dropped-column-still-referenced';
    findings.push(
      makeFinding({
        ruleId,
        path: change.path,
        lines: { start: change.line, end: change.line, side: change.side },
        ctx: { table: change.table, column: change.column, newName: change.newName },
        note: `${probe.uses} use${probe.uses === 1 ? '' : 's'} in ${probe.files} file${probe.files === 1 ? '' : 's'}${rest > 0 ? `; the first ${shown.length} are listed` : ''}.`,
        related: shown.map((hit) => ({ path: hit.path, line: hit.line, note: `still uses \`${hit.word}\`` })),
      }),
    );
  }
  return { findings, notes };
}

interface ScanResult {
  bytes: number;
  hits: Map<Probe, { uses: number; lines: Array<{ line: number; word: string }> }>;
}

/**
 * Uses of each probe's names in one file, in one pass over its identifiers; columns count only where
 * the file also names the table. Keeps the first `keep` lines per probe and counts the rest.
 */
function scanFile(text: string, index: ProbeIndex, keep: number): ScanResult['hits'] {
  const names = new Map<string, { uses: number; lines: Array<{ line: number; word: string }> }>();
  const tablesSeen = new Set<string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (COMMENT_LINE.test(line) || line.includes('ignored_columns')) continue;
    for (const match of line.matchAll(IDENTIFIER)) {
      const word = match[0];
      if (index.tableWords.has(word)) tablesSeen.add(word);
      if (!index.tables.has(word) && !index.columns.has(word)) continue;
      let seen = names.get(word);
      if (!seen) names.set(word, (seen = { uses: 0, lines: [] }));
      const last = seen.lines[seen.lines.length - 1];
      if (last?.line === i + 1) continue;
      seen.uses++;
      if (seen.lines.length < keep) seen.lines.push({ line: i + 1, word });
    }
  }
  const hits: ScanResult['hits'] = new Map();
  const add = (probe: Probe, found: { uses: number; lines: Array<{ line: number; word: string }> }): void => {
    const entry = hits.get(probe);
    if (!entry) hits.set(probe, { uses: found.uses, lines: [...found.lines] });
    else {
      entry.uses += found.uses;
      entry.lines = [...entry.lines, ...found.lines].sort((a, b) => a.line - b.line).slice(0, keep);
    }
  };
  for (const [word, found] of names) {
    for (const probe of index.tables.get(word) ?? []) add(probe, found);
    const byTable = index.columns.get(word);
    if (!byTable) continue;
    const matched = new Set<Probe>();
    for (const table of tablesSeen) for (const probe of byTable.get(table) ?? []) matched.add(probe);
    for (const probe of matched) add(probe, found);
  }
  return hits;
}
