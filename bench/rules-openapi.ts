/**
 * OpenAPI breaking-change benchmark over oasdiff's test corpus (../shared/corpora/openapi-breaking):
 * each case's two specs go through the shipped loader and differ, and the change ids are scored
 * against the labels, honouring `match`, `min_level` and `scope` as the corpus README defines them.
 *
 *   node bench/rules-openapi.ts            # compact table
 *   node bench/rules-openapi.ts --cases    # also every case that is not an exact match
 *
 * Precision and recall count only cases whose expected ids the differ implements; the others are
 * counted as excluded. Versioning-policy ids (`api-version-*`) are switched off upstream and ignored.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ContentReader } from '../src/core/change-set.ts';
import { compareSpecs } from '../src/analyzers/openapi/compare.ts';
import {
  LEVEL_RANK,
  type Level,
} from '../src/analyzers/openapi/diff/change.ts';
import {
  loadSpec,
  type LoadedSpec,
} from '../src/analyzers/openapi/load/load-spec.ts';
import { allRuleLevels } from '../src/analyzers/openapi/rules/catalog.ts';

const LevelSchema = z.enum(['info', 'warning', 'error']);
const CaseSchema = z.object({
  id: z.string(),
  base: z.string(),
  revision: z.string(),
  expect: z.array(z.string()),
  match: z.enum(['exact', 'includes', 'excludes']),
  count: z.number().int().optional(),
  absent: z.array(z.string()).optional(),
  min_level: LevelSchema,
  scope: z.union([
    z.literal('all'),
    z.object({ check: z.string(), rules: z.array(z.string()) }),
  ]),
});
type BenchCase = z.infer<typeof CaseSchema>;

export interface BenchRow {
  rule: string;
  cases: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number | undefined;
  recall: number | undefined;
}

export interface CaseOutcome {
  id: string;
  expected: string[];
  got: string[];
  exact: boolean;
  error?: string;
}

export interface BenchTable {
  name: string;
  rows: BenchRow[];
  total: BenchRow;
  casesTotal: number;
  casesScored: number;
  /** Cases left out because they expect ids the differ does not implement. */
  casesExcluded: number;
  exactMatches: number;
  /** The same counts per oasdiff level: error and warning are what becomes findings. */
  byLevel: Record<Level, BenchRow>;
  outcomes: CaseOutcome[];
  millis: number;
}

export function defaultCorpusDir(): string {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  return resolve(repoRoot, '..', 'shared', 'corpora', 'openapi-breaking');
}

/**
 * Cases where the product deliberately differs from oasdiff. They stay in the scores; the reason
 * is printed next to them.
 */
export const DELIBERATE_DIFFERENCES: Record<string, string> = {
  TestBreaking_RequestPropertyAllOfAdded:
    'the added allOf members restate properties the merged schema already has',
  TestRequestPropertyAllOfAdded:
    'the added allOf members restate properties the merged schema already has',
  TestResponsePropertyAllOfAdded:
    'the added allOf members restate properties the merged schema already has',
  TestBreaking_RequestPropertyAllOfRemoved:
    'the removed allOf members only restated properties the merged schema still has',
  TestRequestPropertyAllOfRemoved:
    'the removed allOf members only restated properties the merged schema still has',
  TestResponsePropertyAllOfRemoved:
    'the removed allOf members only restated properties the merged schema still has',
  TestBreaking_RequestParameterMaxItemsWithoutFlatten:
    'path-level parameters are merged into every operation (oasdiff --flatten-params; its WithFlatten twin expects this)',
};

const ignored = (id: string) =>
  id.startsWith('api-version-') || id === 'api-major-version-not-bumped';

export async function runOpenApiBench(
  corpusDir = defaultCorpusDir(),
  now = new Date(),
): Promise<BenchTable> {
  const casesPath = join(corpusDir, 'cases.json');
  if (!existsSync(casesPath)) {
    throw new Error(
      `OpenAPI corpus not found at ${casesPath}: expected ../shared/corpora/openapi-breaking next to the repository root`,
    );
  }
  const cases = z
    .array(CaseSchema)
    .parse(JSON.parse(readFileSync(casesPath, 'utf8')));
  const levels = allRuleLevels();
  const implemented = (id: string) => levels.has(id);
  const reader: ContentReader = {
    async read(_revision, path) {
      const file = join(corpusDir, path);
      return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    },
  };
  const loaded = new Map<string, Promise<LoadedSpec>>();
  const load = (path: string) => {
    let spec = loaded.get(path);
    if (!spec) loaded.set(path, (spec = loadSpec(reader, 'base', path)));
    return spec;
  };

  const started = performance.now();
  const rows = new Map<string, BenchRow>();
  const row = (rule: string) => {
    let r = rows.get(rule);
    if (!r)
      rows.set(
        rule,
        (r = {
          rule,
          cases: 0,
          tp: 0,
          fp: 0,
          fn: 0,
          precision: undefined,
          recall: undefined,
        }),
      );
    return r;
  };
  const outcomes: CaseOutcome[] = [];
  let excluded = 0;
  let exactMatches = 0;

  for (const c of cases) {
    if (c.expect.some((id) => !ignored(id) && !implemented(id))) {
      excluded++;
      continue;
    }
    let got: string[];
    let error: string | undefined;
    try {
      const changes = compareSpecs(await load(c.base), await load(c.revision), {
        now,
      });
      got = changes
        .filter((change) => !ignored(change.id))
        .filter(
          (change) =>
            LEVEL_RANK[change.level] >= LEVEL_RANK[c.min_level as Level],
        )
        .filter(
          (change) => c.scope === 'all' || c.scope.rules.includes(change.id),
        )
        .map((change) => change.id);
    } catch (caught) {
      got = [];
      error = caught instanceof Error ? caught.message : String(caught);
    }
    const expected = c.expect.filter((id) => !ignored(id));
    const exact = score(c, expected, got, row);
    if (exact && !error) exactMatches++;
    outcomes.push({ id: c.id, expected, got, exact: exact && !error, error });
  }

  const total: BenchRow = {
    rule: 'TOTAL',
    cases: outcomes.length,
    tp: 0,
    fp: 0,
    fn: 0,
    precision: undefined,
    recall: undefined,
  };
  const byLevel = Object.fromEntries(
    (['error', 'warning', 'info'] as const).map((level) => [
      level,
      {
        rule: `TOTAL ${level}`,
        cases: 0,
        tp: 0,
        fp: 0,
        fn: 0,
        precision: undefined,
        recall: undefined,
      },
    ]),
  ) as Record<Level, BenchRow>;
  for (const r of rows.values()) {
    const level = byLevel[levels.get(r.rule) ?? 'info'];
    for (const sum of [total, level]) {
      sum.tp += r.tp;
      sum.fp += r.fp;
      sum.fn += r.fn;
    }
    level.cases += r.cases;
    finish(r);
  }
  finish(total);
  for (const level of Object.values(byLevel)) finish(level);
  return {
    name: 'openapi',
    rows: [...rows.values()].sort((a, b) => a.rule.localeCompare(b.rule)),
    total,
    casesTotal: cases.length,
    casesScored: outcomes.length,
    casesExcluded: excluded,
    exactMatches,
    byLevel,
    outcomes,
    millis: performance.now() - started,
  };
}

function counts(ids: string[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const id of ids) result.set(id, (result.get(id) ?? 0) + 1);
  return result;
}

/** Scores one case into the per-rule rows; true when the case matches its label exactly. */
function score(
  c: BenchCase,
  expected: string[],
  got: string[],
  row: (rule: string) => BenchRow,
): boolean {
  const want = counts(expected);
  const have = counts(got);
  const touched = new Set<string>();
  let clean = true;
  const add = (rule: string, field: 'tp' | 'fp' | 'fn', n: number) => {
    if (n <= 0) return;
    row(rule)[field] += n;
    touched.add(rule);
    if (field !== 'tp') clean = false;
  };

  if (c.match === 'exact') {
    for (const rule of new Set([...want.keys(), ...have.keys()])) {
      const w = want.get(rule) ?? 0;
      const h = have.get(rule) ?? 0;
      add(rule, 'tp', Math.min(w, h));
      add(rule, 'fp', h - Math.min(w, h));
      add(rule, 'fn', w - Math.min(w, h));
    }
  } else if (c.match === 'includes') {
    for (const [rule, w] of want) {
      const h = have.get(rule) ?? 0;
      add(rule, 'tp', Math.min(w, h));
      add(rule, 'fn', w - Math.min(w, h));
    }
    if (c.count !== undefined && got.length > c.count) {
      // The upstream test fixed the total: reports beyond it are extra, charged to the unexpected ids.
      let extra = got.length - c.count;
      for (const [rule, h] of have) {
        const surplus = Math.min(extra, h - Math.min(h, want.get(rule) ?? 0));
        add(rule, 'fp', surplus);
        extra -= surplus;
      }
    }
  }
  for (const rule of c.absent ?? []) add(rule, 'fp', have.get(rule) ?? 0);
  for (const rule of touched) row(rule).cases++;
  return clean;
}

function finish(r: BenchRow): void {
  r.precision = r.tp + r.fp === 0 ? undefined : r.tp / (r.tp + r.fp);
  r.recall = r.tp + r.fn === 0 ? undefined : r.tp / (r.tp + r.fn);
}

const ratio = (value: number | undefined) =>
  value === undefined ? '   -' : value.toFixed(2);

export function formatOpenApiBench(
  table: BenchTable,
  showCases = false,
): string {
  const out: string[] = [];
  const line = (cells: Array<string | number>) =>
    out.push(
      cells
        .map((cell, i) =>
          i === 0 ? String(cell).padEnd(52) : String(cell).padStart(7),
        )
        .join(''),
    );
  line(['rule', 'cases', 'TP', 'FP', 'FN', 'prec', 'recall']);
  for (const r of table.rows)
    line([
      r.rule,
      r.cases,
      r.tp,
      r.fp,
      r.fn,
      ratio(r.precision),
      ratio(r.recall),
    ]);
  for (const r of [...Object.values(table.byLevel), table.total])
    line([
      r.rule,
      r.cases,
      r.tp,
      r.fp,
      r.fn,
      ratio(r.precision),
      ratio(r.recall),
    ]);
  out.push('');
  out.push(
    `cases: ${table.casesTotal} in corpus, ${table.casesScored} scored, ${table.casesExcluded} excluded (expect ids not implemented); ` +
      `exact-match accuracy ${table.exactMatches}/${table.casesScored} = ${ratio(table.exactMatches / Math.max(1, table.casesScored))}; ${table.millis.toFixed(0)} ms`,
  );
  const p = table.total.precision ?? 0;
  const r = table.total.recall ?? 0;
  out.push(
    `targets: recall ${ratio(r)} (>= 0.90 ${r >= 0.9 ? 'met' : 'NOT met'}), precision ${ratio(p)} (>= 0.95 ${p >= 0.95 ? 'met' : 'NOT met'})`,
  );
  const misses = table.outcomes.filter((x) => !x.exact);
  const deliberate = misses.filter(
    (x) => DELIBERATE_DIFFERENCES[x.id] !== undefined,
  ).length;
  out.push(
    `not exact: ${misses.length} cases, ${deliberate} of them deliberate differences from oasdiff${showCases ? '' : ' (--cases lists them)'}`,
  );
  if (showCases) {
    for (const o of misses) {
      const why = DELIBERATE_DIFFERENCES[o.id];
      out.push(
        `  ${o.id}: expected [${o.expected.join(', ')}] got [${o.got.join(', ')}]${o.error ? ` error: ${o.error}` : ''}${why ? ` — deliberate: ${why}` : ''}`,
      );
    }
  }
  return out.join('\n');
}

if (import.meta.main) {
  const table = await runOpenApiBench();
  console.log(formatOpenApiBench(table, process.argv.includes('--cases')));
}
