/**
 * Measures the Postgres migration rules against squawk's own test cases
 * (../shared/corpora/postgres-migrations/cases.json, next to the repository): each case enables one
 * rule and says whether it must fire. Prints per-rule agreement, TP/FP/FN, precision and recall.
 *
 *   node bench/rules-postgres.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { lintPostgres } from '../src/analyzers/migrations/index.ts';
import type { SqlUnit } from '../src/analyzers/migrations/index.ts';

const CaseSchema = z.object({
  id: z.string(),
  rule: z.string(),
  sql: z.string(),
  expect: z.enum(['violation', 'ok']),
  settings: z
    .object({
      pg_version: z.coerce.number(),
      assume_in_transaction: z.boolean(),
    })
    .optional(),
});
const CasesSchema = z.array(CaseSchema);
type Case = z.infer<typeof CaseSchema>;

/** Opt-in squawk rules: off in reviews, turned on here so their cases can be measured. */
const OPT_IN = ['require-table-schema', 'require-timeout-settings'];
/** An alias rule fires as the rules it expands to. */
const ALIASES: Record<string, string[]> = {
  'require-timeout-settings': [
    'require-lock-timeout',
    'require-statement-timeout',
  ],
};

export interface RuleScore {
  rule: string;
  cases: number;
  agreed: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  optIn: boolean;
}

export interface BenchReport {
  name: string;
  rules: RuleScore[];
  total: Omit<RuleScore, 'rule' | 'optIn'>;
  notes: string[];
  seconds: number;
}

export function corpusDir(): string {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  return resolve(root, '../shared/corpora/postgres-migrations');
}

export function loadCases(dir = corpusDir()): Case[] {
  const file = resolve(dir, 'cases.json');
  if (!existsSync(file)) {
    throw new Error(
      `postgres-migrations corpus not found at ${file}; it is expected in ../shared/corpora next to the repository`,
    );
  }
  const parsed = CasesSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new Error(
      `${file} is not in the expected shape:\n${z.prettifyError(parsed.error)}`,
    );
  return parsed.data;
}

/** Runs every case through the analyzer's Postgres path (squawk, grouped by settings) and scores it. */
export async function runPostgresRulesBench(
  cases: Case[] = loadCases(),
): Promise<BenchReport> {
  const started = performance.now();
  const units: SqlUnit[] = cases.map((c) => {
    const lineCount = c.sql.split('\n').length;
    return {
      path: `cases/${c.id}.sql`,
      sql: c.sql,
      firstLine: 1,
      settings: {
        pgVersion: c.settings?.pg_version ?? 15,
        assumeInTransaction: c.settings?.assume_in_transaction ?? false,
      },
      added: new Set(Array.from({ length: lineCount }, (_, i) => i + 1)),
    };
  });
  const result = await lintPostgres(units, { include: OPT_IN });
  const fired = new Map<string, Set<string>>();
  for (const finding of [
    ...result.findings,
    ...result.conditional.map((c) => c.finding),
  ]) {
    const set = fired.get(finding.path) ?? new Set<string>();
    set.add(finding.ruleId.replace(/^schema\//, ''));
    fired.set(finding.path, set);
  }

  const scores = new Map<string, RuleScore>();
  for (const c of cases) {
    const score = scores.get(c.rule) ?? {
      rule: c.rule,
      cases: 0,
      agreed: 0,
      tp: 0,
      fp: 0,
      fn: 0,
      tn: 0,
      optIn: OPT_IN.includes(c.rule),
    };
    const names = ALIASES[c.rule] ?? [c.rule];
    const ours = names.some((name) =>
      fired.get(`cases/${c.id}.sql`)?.has(name),
    );
    const expected = c.expect === 'violation';
    score.cases++;
    if (ours === expected) score.agreed++;
    if (ours && expected) score.tp++;
    else if (ours) score.fp++;
    else if (expected) score.fn++;
    else score.tn++;
    scores.set(c.rule, score);
  }
  const rules = [...scores.values()].sort((a, b) =>
    a.rule.localeCompare(b.rule),
  );
  const total = rules.reduce(
    (t, r) => ({
      cases: t.cases + r.cases,
      agreed: t.agreed + r.agreed,
      tp: t.tp + r.tp,
      fp: t.fp + r.fp,
      fn: t.fn + r.fn,
      tn: t.tn + r.tn,
    }),
    { cases: 0, agreed: 0, tp: 0, fp: 0, fn: 0, tn: 0 },
  );
  const notes = result.notes.map((n) => `${n.path ?? ''}: ${n.message}`);
  return {
    name: 'postgres-migrations (squawk cases)',
    rules,
    total,
    notes,
    seconds: (performance.now() - started) / 1000,
  };
}

const ratio = (n: number, d: number): string =>
  d === 0 ? '   -' : (n / d).toFixed(2);

export function formatReport(report: BenchReport): string {
  const width = Math.max(...report.rules.map((r) => r.rule.length), 5) + 2;
  const row = (name: string, s: Omit<RuleScore, 'rule' | 'optIn'>): string =>
    [
      name.padEnd(width),
      String(s.cases).padStart(5),
      ratio(s.agreed, s.cases).padStart(9),
      String(s.tp).padStart(4),
      String(s.fp).padStart(4),
      String(s.fn).padStart(4),
      ratio(s.tp, s.tp + s.fp).padStart(9),
      ratio(s.tp, s.tp + s.fn).padStart(7),
    ].join(' ');
  const lines = [
    `${report.name}: ${report.total.cases} cases in ${report.seconds.toFixed(2)}s`,
    [
      `rule`.padEnd(width),
      'cases'.padStart(5),
      'agreement'.padStart(9),
      'TP'.padStart(4),
      'FP'.padStart(4),
      'FN'.padStart(4),
      'precision'.padStart(9),
      'recall'.padStart(7),
    ].join(' '),
    ...report.rules.map((r) => row(r.optIn ? `${r.rule} (opt-in)` : r.rule, r)),
    row('TOTAL', report.total),
  ];
  if (report.notes.length > 0)
    lines.push(
      '',
      `${report.notes.length} coverage notes, e.g. ${report.notes[0]}`,
    );
  return lines.join('\n');
}

export const AGREEMENT_TARGET = 0.95;

if (
  process.argv[1] &&
  import.meta.url === pathToFileURL(resolve(process.argv[1])).href
) {
  try {
    const report = await runPostgresRulesBench();
    console.log(formatReport(report));
    const agreement = report.total.agreed / report.total.cases;
    if (agreement < AGREEMENT_TARGET) {
      console.error(
        `agreement ${agreement.toFixed(3)} is below the target of ${AGREEMENT_TARGET}`,
      );
      process.exitCode = 1;
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
