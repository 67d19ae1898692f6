/**
 * GraphQL breaking-change benchmark over graphql-inspector's own diff tests
 * (../shared/corpora/graphql-breaking): each case's two SDL documents go through the shipped
 * parser, the per-file schema builder and the comparison, and the changes are scored per change
 * type as (type, path, criticality), honouring `match`, `count`, `absent_paths` and `path_counts`.
 *
 *   node bench/rules-graphql.ts            # table
 *   node bench/rules-graphql.ts --cases    # also every case that is not a match
 *
 * Two views: what a review reports by default (breaking and dangerous changes) and every change
 * (with reporting of non-breaking changes turned on). False positives can only be counted where
 * the upstream test pinned the whole list (`exact`) or an absence; `includes` cases count recall.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import {
  CHANGE_TYPES,
  buildFileSchema,
  compareSchemas,
  parseSources,
  type SchemaChange,
} from '../src/analyzers/graphql/index.ts';

const EntrySchema = z.object({
  type: z.string(),
  criticality: z.enum(['BREAKING', 'DANGEROUS', 'NON_BREAKING']),
  path: z.string().nullable(),
});
const CaseSchema = z.object({
  id: z.string(),
  old: z.string().nullable(),
  new: z.string().nullable(),
  rules: z.array(z.string()),
  expect: z.array(EntrySchema),
  match: z.enum(['exact', 'includes', 'excludes']),
  count: z.number().int().optional(),
  absent_paths: z.array(z.string()).optional(),
  path_counts: z.record(z.string(), z.number().int()).optional(),
});
const ChangeTypeSchema = z.object({
  type: z.string(),
  criticalities_seen: z.array(z.string()),
});
type Entry = z.infer<typeof EntrySchema>;

export interface TypeRow {
  type: string;
  tp: number;
  fp: number;
  fn: number;
}

export interface ViewResult {
  rows: TypeRow[];
  total: TypeRow;
  cases: number;
  matched: number;
  failures: Array<{
    id: string;
    missing: string[];
    extra: string[];
    error?: string;
  }>;
}

export interface GraphqlBenchResult {
  reported: ViewResult;
  all: ViewResult;
  /** Cases that pass DiffRules the analyzer does not apply, listed with the rule. */
  notScored: Array<{ id: string; rules: string[] }>;
  changeTypes: number;
  implementedTypes: number;
  breakingTypes: number;
  implementedBreakingTypes: number;
  seconds: number;
}

export function defaultCorpusDir(): string {
  return resolve(
    dirname(fileURLToPath(import.meta.url)),
    '..',
    '..',
    'shared',
    'corpora',
    'graphql-breaking',
  );
}

async function changesOf(
  oldSdl: string | null,
  newSdl: string | null,
): Promise<SchemaChange[]> {
  const build = (sdl: string | null) =>
    sdl === null
      ? undefined
      : buildFileSchema(parseSources([{ text: sdl, line: 1 }]));
  return compareSchemas(build(oldSdl), build(newSdl));
}

const key = (e: {
  type: string;
  path: string | null | undefined;
  criticality: string;
}) => `${e.type} ${e.path ?? '(schema)'} ${e.criticality}`;

function scoreView(
  outcomes: Array<{
    c: z.infer<typeof CaseSchema>;
    got: SchemaChange[];
    error?: string;
  }>,
  keep: (criticality: string) => boolean,
): ViewResult {
  const rows = new Map<string, TypeRow>();
  const row = (type: string) =>
    rows.get(type) ?? rows.set(type, { type, tp: 0, fp: 0, fn: 0 }).get(type)!;
  const failures: ViewResult['failures'] = [];
  let matched = 0;
  for (const { c, got: all, error } of outcomes) {
    const got = all.filter((change) => keep(change.criticality));
    const expected = c.expect.filter((e: Entry) => keep(e.criticality));
    const remaining = [...got];
    const missing: string[] = [];
    for (const e of expected) {
      const index = remaining.findIndex(
        (g) =>
          g.type === e.type &&
          (g.path ?? null) === e.path &&
          g.criticality === e.criticality,
      );
      if (index >= 0) {
        row(e.type).tp++;
        remaining.splice(index, 1);
      } else {
        row(e.type).fn++;
        missing.push(key(e));
      }
    }
    // Only a pinned list or an asserted absence says a change must not be there.
    const extra: SchemaChange[] = [];
    if (c.match === 'exact') extra.push(...remaining);
    for (const path of c.absent_paths ?? [])
      extra.push(
        ...remaining.filter((g) => g.path === path && !extra.includes(g)),
      );
    for (const g of extra) row(g.type).fp++;
    let ok = missing.length === 0 && extra.length === 0 && !error;
    // Counts were asserted over every change; they say something only in the all-changes view.
    if (keep('NON_BREAKING')) {
      if (c.count !== undefined && all.length !== c.count) ok = false;
      for (const [path, n] of Object.entries(c.path_counts ?? {}))
        if (all.filter((g) => g.path === path).length !== n) ok = false;
    }
    if (ok) matched++;
    else
      failures.push({
        id: c.id,
        missing,
        extra: extra.map(key),
        ...(error ? { error } : {}),
      });
  }
  const sorted = [...rows.values()].sort((a, b) =>
    a.type.localeCompare(b.type),
  );
  const total = sorted.reduce(
    (t, r) => ({
      type: 'TOTAL',
      tp: t.tp + r.tp,
      fp: t.fp + r.fp,
      fn: t.fn + r.fn,
    }),
    { type: 'TOTAL', tp: 0, fp: 0, fn: 0 },
  );
  return { rows: sorted, total, cases: outcomes.length, matched, failures };
}

export async function runGraphqlBench(
  corpusDir = defaultCorpusDir(),
): Promise<GraphqlBenchResult> {
  const casesPath = join(corpusDir, 'cases.json');
  if (!existsSync(casesPath))
    throw new Error(
      `GraphQL corpus not found at ${casesPath}: expected ../shared/corpora/graphql-breaking next to the repository root`,
    );
  const cases = z
    .array(CaseSchema)
    .parse(JSON.parse(readFileSync(casesPath, 'utf8')));
  const upstreamTypes = z
    .array(ChangeTypeSchema)
    .parse(
      JSON.parse(readFileSync(join(corpusDir, 'change-types.json'), 'utf8')),
    );
  const implemented = new Set(CHANGE_TYPES.map(([type]) => type));
  const started = performance.now();
  const outcomes: Array<{
    c: z.infer<typeof CaseSchema>;
    got: SchemaChange[];
    error?: string;
  }> = [];
  const notScored: GraphqlBenchResult['notScored'] = [];
  const read = (path: string | null) =>
    path === null ? null : readFileSync(join(corpusDir, path), 'utf8');
  for (const c of cases) {
    if (c.rules.length > 0) {
      notScored.push({ id: c.id, rules: c.rules });
      continue;
    }
    try {
      outcomes.push({ c, got: await changesOf(read(c.old), read(c.new)) });
    } catch (error) {
      outcomes.push({
        c,
        got: [],
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  // Breaking change types: those the library's sources can report as BREAKING (the table's worst level), and those the corpus saw as BREAKING.
  const breaking = new Set([
    ...CHANGE_TYPES.filter(([, worst]) => worst === 'BREAKING').map(
      ([type]) => type,
    ),
    ...upstreamTypes
      .filter((t) => t.criticalities_seen.includes('BREAKING'))
      .map((t) => t.type),
  ]);
  return {
    reported: scoreView(
      outcomes,
      (criticality) => criticality !== 'NON_BREAKING',
    ),
    all: scoreView(outcomes, () => true),
    notScored,
    changeTypes: upstreamTypes.length,
    implementedTypes: upstreamTypes.filter((t) => implemented.has(t.type))
      .length,
    breakingTypes: breaking.size,
    implementedBreakingTypes: [...breaking].filter((type) =>
      implemented.has(type),
    ).length,
    seconds: (performance.now() - started) / 1000,
  };
}

const ratio = (n: number, d: number) => (d === 0 ? '   -' : (n / d).toFixed(3));

function formatView(
  title: string,
  view: ViewResult,
  withCases: boolean,
): string[] {
  const lines = [
    title,
    `${'change type'.padEnd(46)} ${'TP'.padStart(4)} ${'FP'.padStart(4)} ${'FN'.padStart(4)}  precision  recall`,
  ];
  for (const r of [...view.rows, view.total]) {
    lines.push(
      `${r.type.padEnd(46)} ${String(r.tp).padStart(4)} ${String(r.fp).padStart(4)} ${String(r.fn).padStart(4)}  ${ratio(r.tp, r.tp + r.fp).padStart(9)}  ${ratio(r.tp, r.tp + r.fn).padStart(6)}`,
    );
  }
  const precision = view.total.tp / Math.max(1, view.total.tp + view.total.fp);
  const recall = view.total.tp / Math.max(1, view.total.tp + view.total.fn);
  lines.push(
    `cases: ${view.cases}, matching every asserted label: ${view.matched}; target precision >= 0.95 and recall >= 0.9: ${precision >= 0.95 && recall >= 0.9 ? 'met' : 'NOT met'}`,
  );
  for (const f of view.failures.slice(0, withCases ? undefined : 10)) {
    lines.push(
      `  ${f.id}: missing [${f.missing.join('; ')}] extra [${f.extra.join('; ')}]${f.error ? ` error: ${f.error}` : ''}`,
    );
  }
  return lines;
}

export function formatGraphqlBench(
  result: GraphqlBenchResult,
  withCases = false,
): string {
  return [
    ...formatView(
      '-- reported by default (BREAKING -> high, DANGEROUS -> medium) --',
      result.reported,
      withCases,
    ),
    '',
    ...formatView(
      '-- every change (NON_BREAKING reporting turned on) --',
      result.all,
      withCases,
    ),
    '',
    `change types implemented: ${result.implementedTypes}/${result.changeTypes}; breaking change types: ${result.implementedBreakingTypes}/${result.breakingTypes}`,
    `not scored (DiffRules the analyzer does not apply): ${result.notScored.length} cases: ${result.notScored.map((c) => `${c.id} [${c.rules.join(', ')}]`).join('; ')}`,
    'not in the corpus: 14 upstream tests (built from meta objects, schemas changed in code, usage data; corpus skipped.json)',
    `${result.seconds.toFixed(2)} s`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(
    formatGraphqlBench(
      await runGraphqlBench(),
      process.argv.includes('--cases'),
    ),
  );
}
