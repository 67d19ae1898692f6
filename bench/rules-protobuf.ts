/**
 * Protobuf breaking-change benchmark over buf's own test cases (../shared/corpora/protobuf-breaking):
 * each case's previous and current trees become the base and head of a change set, go through the
 * shipped analyzer (which runs the pinned buf), and its findings are compared with the expected
 * annotations as (rule, file, line) multisets, per rule.
 *
 *   node bench/rules-protobuf.ts            # table
 *   node bench/rules-protobuf.ts --cases    # also every case that is not an exact match
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { DEFAULT_CONFIG } from '../src/config/schema.ts';
import type { ChangeSet, ChangedFile } from '../src/core/change-set.ts';
import { parsePatch } from '../src/core/diff/parse-patch.ts';
import { LENSES } from '../src/core/finding.ts';
import { silentLogger } from '../src/core/logger.ts';
import {
  BUF_RULES,
  createProtobufAnalyzer,
  protobufRuleId,
} from '../src/analyzers/protobuf/index.ts';

const ExpectSchema = z.object({
  rule: z.string(),
  path: z.string(),
  start_line: z.number(),
  start_column: z.number(),
  end_line: z.number(),
  end_column: z.number(),
});
const CaseSchema = z.object({
  id: z.string(),
  previous: z.string(),
  current: z.string(),
  expect: z.array(ExpectSchema),
  match: z.literal('exact'),
});
const VersionSchema = z.object({
  categories: z.array(z.string()).nullish(),
  default: z.boolean(),
  deprecated: z.boolean(),
});
/** buf lists each rule per config version; rules added with v2 have no v1 entry. */
const RuleSchema = z
  .object({
    id: z.string(),
    v1: VersionSchema.optional(),
    v2: VersionSchema.optional(),
  })
  .transform((rule) => ({ id: rule.id, current: (rule.v2 ?? rule.v1)! }));

export interface RuleRow {
  rule: string;
  tp: number;
  fp: number;
  fn: number;
}

export interface ProtobufBenchResult {
  rows: RuleRow[];
  total: RuleRow;
  cases: number;
  exact: number;
  failures: Array<{
    id: string;
    missing: string[];
    extra: string[];
    notes: string[];
  }>;
  /** buf's non-deprecated rules and how many the analyzer reports under their own ids. */
  upstreamRules: number;
  implementedRules: number;
  defaultRules: number;
  implementedDefaultRules: number;
  notImplemented: string[];
  seconds: number;
}

export function defaultCorpusDir(): string {
  return resolve(
    dirname(fileURLToPath(import.meta.url)),
    '..',
    '..',
    'shared',
    'corpora',
    'protobuf-breaking',
  );
}

function listTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const full = join(at, name);
      if (statSync(full).isDirectory()) walk(full);
      else
        files.set(
          relative(dir, full).split('\\').join('/'),
          readFileSync(full, 'utf8'),
        );
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

function wholeFilePatch(
  before: string | undefined,
  after: string | undefined,
): string {
  const split = (text: string | undefined) =>
    text === undefined ? [] : text.replace(/\n$/, '').split('\n');
  const old = split(before);
  const now = split(after);
  return [
    `@@ -${old.length === 0 ? 0 : 1},${old.length} +${now.length === 0 ? 0 : 1},${now.length} @@`,
    ...old.map((l) => `-${l}`),
    ...now.map((l) => `+${l}`),
  ].join('\n');
}

/** A change set whose base is one tree and whose head is the other. */
export function treesChangeSet(
  base: Map<string, string>,
  head: Map<string, string>,
): ChangeSet {
  const files: ChangedFile[] = [];
  for (const path of new Set([...base.keys(), ...head.keys()])) {
    const before = base.get(path);
    const after = head.get(path);
    if (before === after) continue;
    files.push({
      path,
      status:
        before === undefined
          ? 'added'
          : after === undefined
            ? 'removed'
            : 'modified',
      additions: after?.split('\n').length ?? 0,
      deletions: before?.split('\n').length ?? 0,
      patch: wholeFilePatch(before, after),
    });
  }
  return {
    headSha: 'h'.repeat(40),
    baseSha: 'b'.repeat(40),
    files,
    listingComplete: true,
    contents: {
      async read(revision, path) {
        return (revision === 'base' ? base : head).get(path);
      },
      async listHeadPaths() {
        return [...head.keys()];
      },
    },
  };
}

export async function runProtobufBench(
  corpusDir = defaultCorpusDir(),
): Promise<ProtobufBenchResult> {
  const casesPath = join(corpusDir, 'cases.json');
  if (!existsSync(casesPath))
    throw new Error(
      `protobuf corpus not found at ${casesPath}: expected ../shared/corpora/protobuf-breaking next to the repository root`,
    );
  const cases = z
    .array(CaseSchema)
    .parse(JSON.parse(readFileSync(casesPath, 'utf8')));
  const upstream = z
    .array(RuleSchema)
    .parse(JSON.parse(readFileSync(join(corpusDir, 'rules.json'), 'utf8')))
    .filter((rule) => !rule.current.deprecated);
  const implemented = new Set(BUF_RULES.map((rule) => rule.id));
  // Findings name buf's rules in the product's id form; the corpus names them as buf does.
  const bufIds = new Map(
    BUF_RULES.map((rule) => [protobufRuleId(rule.id), rule.id]),
  );
  const analyzer = createProtobufAnalyzer();
  const rows = new Map<string, RuleRow>();
  const row = (rule: string) =>
    rows.get(rule) ?? rows.set(rule, { rule, tp: 0, fp: 0, fn: 0 }).get(rule)!;
  const failures: ProtobufBenchResult['failures'] = [];
  let exact = 0;
  const started = performance.now();

  for (const c of cases) {
    const changeSet = treesChangeSet(
      listTree(join(corpusDir, c.previous)),
      listTree(join(corpusDir, c.current)),
    );
    const output = await analyzer.analyze({
      changeSet,
      files: changeSet.files.map((file) => ({
        file,
        hunks: parsePatch(file.patch),
      })),
      lenses: new Set(LENSES),
      config: DEFAULT_CONFIG,
      logger: silentLogger,
      signal: new AbortController().signal,
    });
    const got = output.findings
      .filter((f) => bufIds.has(f.ruleId))
      .map((f) => ({
        rule: bufIds.get(f.ruleId)!,
        path: f.path,
        line: f.lines?.start,
      }));
    // Expected paths are module-relative (a deletion of the whole thing has none); ours are repository paths.
    const remaining = [...got];
    const missing: string[] = [];
    for (const e of c.expect) {
      const line =
        e.start_line === 0 ||
        (e.start_line === 1 &&
          e.start_column === 1 &&
          e.end_line === 1 &&
          e.end_column === 1)
          ? undefined
          : e.start_line;
      const index = remaining.findIndex(
        (g) =>
          g.rule === e.rule &&
          g.line === line &&
          (e.path === '' || g.path === e.path || g.path.endsWith(`/${e.path}`)),
      );
      if (index >= 0) {
        row(e.rule).tp++;
        remaining.splice(index, 1);
      } else {
        row(e.rule).fn++;
        missing.push(`${e.rule} ${e.path}:${line ?? 'file'}`);
      }
    }
    for (const g of remaining) row(g.rule).fp++;
    if (missing.length === 0 && remaining.length === 0) exact++;
    else
      failures.push({
        id: c.id,
        missing,
        extra: remaining.map((g) => `${g.rule} ${g.path}:${g.line ?? 'file'}`),
        notes: output.notes.map((n) => n.message),
      });
  }

  const sorted = [...rows.values()].sort((a, b) =>
    a.rule.localeCompare(b.rule),
  );
  const total = sorted.reduce(
    (t, r) => ({
      rule: 'TOTAL',
      tp: t.tp + r.tp,
      fp: t.fp + r.fp,
      fn: t.fn + r.fn,
    }),
    { rule: 'TOTAL', tp: 0, fp: 0, fn: 0 },
  );
  const defaults = upstream.filter((rule) => rule.current.default);
  return {
    rows: sorted,
    total,
    cases: cases.length,
    exact,
    failures,
    upstreamRules: upstream.length,
    implementedRules: upstream.filter((rule) => implemented.has(rule.id))
      .length,
    defaultRules: defaults.length,
    implementedDefaultRules: defaults.filter((rule) => implemented.has(rule.id))
      .length,
    notImplemented: upstream
      .filter((rule) => !implemented.has(rule.id))
      .map((rule) => rule.id),
    seconds: (performance.now() - started) / 1000,
  };
}

const ratio = (n: number, d: number) => (d === 0 ? '   -' : (n / d).toFixed(3));

export function formatProtobufBench(
  result: ProtobufBenchResult,
  withCases = false,
): string {
  const lines = [
    `${'rule'.padEnd(48)} ${'TP'.padStart(4)} ${'FP'.padStart(4)} ${'FN'.padStart(4)}  precision  recall`,
  ];
  for (const r of [...result.rows, result.total]) {
    lines.push(
      `${r.rule.padEnd(48)} ${String(r.tp).padStart(4)} ${String(r.fp).padStart(4)} ${String(r.fn).padStart(4)}  ${ratio(r.tp, r.tp + r.fp).padStart(9)}  ${ratio(r.tp, r.tp + r.fn).padStart(6)}`,
    );
  }
  lines.push('');
  lines.push(
    `cases: ${result.cases}, exact matches (rule, file, line multiset): ${result.exact}; ${result.seconds.toFixed(1)} s`,
  );
  lines.push(
    `buf rules implemented: ${result.implementedRules}/${result.upstreamRules}; of buf's default (FILE) rules: ${result.implementedDefaultRules}/${result.defaultRules}`,
  );
  lines.push(
    `not implemented: ${result.notImplemented.length === 0 ? 'none' : result.notImplemented.join(', ')}`,
  );
  lines.push(
    'not in the corpus: the 2 tests of a test-only check plugin (corpus skipped.json)',
  );
  const precision =
    result.total.tp / Math.max(1, result.total.tp + result.total.fp);
  const recall =
    result.total.tp / Math.max(1, result.total.tp + result.total.fn);
  lines.push(
    `target precision >= 0.95 and recall >= 0.9: ${precision >= 0.95 && recall >= 0.9 ? 'met' : 'NOT met'}`,
  );
  if (withCases || result.failures.length > 0) {
    for (const f of result.failures.slice(0, withCases ? undefined : 10)) {
      lines.push(
        `  ${f.id}: missing [${f.missing.join('; ')}] extra [${f.extra.join('; ')}]${f.notes.length ? ` notes: ${f.notes.join(' | ')}` : ''}`,
      );
    }
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(
    formatProtobufBench(
      await runProtobufBench(),
      process.argv.includes('--cases'),
    ),
  );
}
