/**
 * Secret-detection benchmark over the secretlint test corpus (../shared/corpora/secrets): each
 * fixture goes through the shipped secrets analyzer as a newly added file, and through the redactor.
 * Prints per secretlint rule: positives, detected, recall, clean fixtures, false positives.
 *
 *   node bench/rules-secrets.ts
 *
 * Groups, because the analyzer ships the recommended preset with default options only:
 * - `default`: the case's upstream config is a preset rule with default options — the target group.
 * - `options`: upstream ran the preset rule with options (`allows`, `enableIDScanRule`): they are given to the
 *   analyzer as the repository's `.secretlintrc.json`, the way a team sets them.
 * - `not-in-preset`: upstream ran a rule the recommended preset does not include.
 * - `binary`: `.p12` keystores; text scanning does not apply, counted only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rules as presetRules } from '@secretlint/secretlint-rule-preset-recommend';
import { DEFAULT_CONFIG } from '../src/config/schema.ts';
import type { ChangeSet, ChangedFile } from '../src/core/change-set.ts';
import { parsePatch } from '../src/core/diff/parse-patch.ts';
import { LENSES } from '../src/core/finding.ts';
import { silentLogger } from '../src/core/logger.ts';
import {
  createSecretRedactor,
  createSecretsAnalyzer,
} from '../src/analyzers/secrets/index.ts';

export type CaseGroup = 'default' | 'options' | 'not-in-preset' | 'binary';

interface CorpusRule {
  id: string;
  rule_module?: string;
  options?: Record<string, unknown>;
}

interface CorpusCase {
  id: string;
  rule: string;
  file: string;
  expect: 'secret' | 'clean';
  expected_messages?: Array<{ ruleId: string; range: [number, number] }>;
  config: { rules: CorpusRule[] };
  content_type: 'text' | 'binary';
  label_doubt?: boolean;
}

export interface CaseResult {
  id: string;
  rule: string;
  group: CaseGroup;
  expect: 'secret' | 'clean';
  detected: boolean;
  /** Expected secret ranges (8+ characters) left unmasked by the redactor. */
  redactorLeaks: number;
}

export interface RuleRow {
  rule: string;
  group: CaseGroup;
  positives: number;
  detected: number;
  clean: number;
  falsePositives: number;
}

export interface SecretsBenchResult {
  cases: CaseResult[];
  rows: RuleRow[];
  totals: Record<CaseGroup, Omit<RuleRow, 'rule' | 'group'>>;
  redactorLeaks: Record<CaseGroup, number>;
  millis: number;
}

export function defaultCorpusDir(): string {
  return resolve(
    dirname(fileURLToPath(import.meta.url)),
    '..',
    '..',
    'shared',
    'corpora',
    'secrets',
  );
}

const PRESET_IDS = new Set(presetRules.map((rule) => rule.meta.id));

/** aws's `enableIDScanRule: false` is its default, so such a case needs no options. */
function hasNonDefaultOptions(rule: CorpusRule): boolean {
  const entries = Object.entries(rule.options ?? {}).filter(
    ([key, value]) => !(key === 'enableIDScanRule' && value === false),
  );
  return entries.length > 0;
}

function groupOf(c: CorpusCase): CaseGroup {
  if (c.content_type === 'binary' || c.file.endsWith('.p12')) return 'binary';
  if (
    c.config.rules.some((rule) => !PRESET_IDS.has(rule.rule_module ?? rule.id))
  )
    return 'not-in-preset';
  if (c.config.rules.some(hasNonDefaultOptions)) return 'options';
  return 'default';
}

/** One fixture as a pull request adding it; the path inside the case directory is kept (names matter). */
function changeSetFor(
  path: string,
  text: string,
  secretlintrc?: string,
): { changeSet: ChangeSet; file: ChangedFile } {
  const lines = text.endsWith('\n')
    ? text.slice(0, -1).split('\n')
    : text.split('\n');
  const patch = [
    `@@ -0,0 +1,${lines.length} @@`,
    ...lines.map((line) => `+${line}`),
  ].join('\n');
  const file: ChangedFile = {
    path,
    status: 'added',
    additions: lines.length,
    deletions: 0,
    patch,
  };
  const changeSet: ChangeSet = {
    headSha: 'f'.repeat(40),
    files: [file],
    listingComplete: true,
    contents: {
      read: async (revision, wanted) =>
        revision === 'head' && wanted === path
          ? text
          : revision === 'base' && wanted === '.secretlintrc.json'
            ? secretlintrc
            : undefined,
    },
  };
  return { changeSet, file };
}

export async function runSecretsBench(
  corpusDir = defaultCorpusDir(),
): Promise<SecretsBenchResult> {
  const casesPath = join(corpusDir, 'cases.json');
  if (!existsSync(casesPath))
    throw new Error(
      `secrets corpus not found: ${casesPath} (expected ../shared/corpora/secrets next to the repository)`,
    );
  const corpus = JSON.parse(readFileSync(casesPath, 'utf8')) as CorpusCase[];
  const analyzer = createSecretsAnalyzer();
  const redactor = createSecretRedactor();
  const started = performance.now();
  const cases: CaseResult[] = [];

  for (const c of corpus) {
    const group = groupOf(c);
    const rule = c.rule.replace(/^@secretlint\/secretlint-rule-/, '');
    if (group === 'binary') {
      cases.push({
        id: c.id,
        rule,
        group,
        expect: c.expect,
        detected: false,
        redactorLeaks: 0,
      });
      continue;
    }
    const caseDir = join(
      corpusDir,
      'fixtures',
      c.file.split('/')[1]!,
      c.id.split('/')[1]!,
    );
    const path = relative(caseDir, join(corpusDir, c.file)) || basename(c.file);
    const text = readFileSync(join(corpusDir, c.file), 'utf8');
    // A case that sets rule options runs them as the team's .secretlintrc, as a repository would.
    const secretlintrc =
      group === 'options'
        ? JSON.stringify({
            rules: c.config.rules.map((r) => ({
              id: r.rule_module ?? r.id,
              ...(r.options ? { options: r.options } : {}),
            })),
          })
        : undefined;
    const { changeSet, file } = changeSetFor(path, text, secretlintrc);
    const output = await analyzer.analyze({
      changeSet,
      files: [{ file, hunks: parsePatch(file.patch) }],
      lenses: new Set(LENSES),
      config: DEFAULT_CONFIG,
      logger: silentLogger,
      signal: new AbortController().signal,
    });
    const unexpected = output.notes.filter(
      (n) => !(secretlintrc && n.path === '.secretlintrc.json'),
    );
    if (unexpected.length > 0)
      throw new Error(
        `${c.id}: ${unexpected.map((n) => n.message).join('; ')}`,
      );
    const redacted = await redactor.redact(path, text);
    // Masking keeps lengths, so an expected secret is left readable when its range reads the same.
    const leaks = (c.expected_messages ?? []).filter(
      ({ range: [start, end] }) =>
        end - start >= 8 &&
        redacted.slice(start, end) === text.slice(start, end),
    ).length;
    cases.push({
      id: c.id,
      rule,
      group,
      expect: c.expect,
      detected: output.findings.length > 0,
      redactorLeaks: leaks,
    });
  }

  const rows = new Map<string, RuleRow>();
  const empty = () => ({
    positives: 0,
    detected: 0,
    clean: 0,
    falsePositives: 0,
  });
  const totals: SecretsBenchResult['totals'] = {
    default: empty(),
    options: empty(),
    'not-in-preset': empty(),
    binary: empty(),
  };
  for (const result of cases) {
    const key = `${result.group}\u0000${result.rule}`;
    const row = rows.get(key) ?? {
      rule: result.rule,
      group: result.group,
      ...empty(),
    };
    rows.set(key, row);
    for (const target of [row, totals[result.group]]) {
      if (result.expect === 'secret') {
        target.positives++;
        if (result.detected) target.detected++;
      } else {
        target.clean++;
        if (result.detected) target.falsePositives++;
      }
    }
  }
  return {
    cases,
    rows: [...rows.values()].sort(
      (a, b) => a.group.localeCompare(b.group) || a.rule.localeCompare(b.rule),
    ),
    totals,
    redactorLeaks: {
      default: leaksIn(cases, 'default'),
      options: leaksIn(cases, 'options'),
      'not-in-preset': leaksIn(cases, 'not-in-preset'),
      binary: 0,
    },
    millis: performance.now() - started,
  };
}

/** The acceptance target: recall >= 0.95 on the default group's positives, no finding on its clean fixtures. */
export function meetsTarget(result: SecretsBenchResult): boolean {
  const d = result.totals.default;
  return (
    d.positives > 0 &&
    d.detected / d.positives >= 0.95 &&
    d.falsePositives === 0 &&
    result.redactorLeaks.default === 0
  );
}

function leaksIn(cases: CaseResult[], group: CaseGroup): number {
  return cases
    .filter((c) => c.group === group)
    .reduce((sum, c) => sum + c.redactorLeaks, 0);
}

function recall(detected: number, positives: number): string {
  return positives === 0 ? '   -' : (detected / positives).toFixed(2);
}

export function formatSecretsBench(result: SecretsBenchResult): string {
  const out: string[] = [];
  const line = (cells: Array<string | number>) =>
    out.push(
      cells
        .map((cell, i) =>
          i < 2
            ? String(cell).padEnd(i === 0 ? 28 : 14)
            : String(cell).padStart(10),
        )
        .join(''),
    );
  line([
    'rule',
    'group',
    'positives',
    'detected',
    'recall',
    'clean',
    'false-pos',
  ]);
  for (const row of result.rows) {
    line([
      row.rule,
      row.group,
      row.positives,
      row.group === 'binary' ? 'n/a' : row.detected,
      row.group === 'binary' ? 'n/a' : recall(row.detected, row.positives),
      row.clean,
      row.group === 'binary' ? 'n/a' : row.falsePositives,
    ]);
  }
  out.push('');
  for (const group of [
    'default',
    'options',
    'not-in-preset',
    'binary',
  ] as const) {
    const t = result.totals[group];
    const scanned = group !== 'binary';
    line([
      `TOTAL ${group}`,
      '',
      t.positives,
      scanned ? t.detected : 'n/a',
      scanned ? recall(t.detected, t.positives) : 'n/a',
      t.clean,
      scanned ? t.falsePositives : 'n/a',
    ]);
  }
  const all = (['default', 'options', 'not-in-preset'] as const).map(
    (g) => result.totals[g],
  );
  const sum = (pick: (t: (typeof all)[number]) => number) =>
    all.reduce((n, t) => n + pick(t), 0);
  line([
    'TOTAL text (all groups)',
    '',
    sum((t) => t.positives),
    sum((t) => t.detected),
    recall(
      sum((t) => t.detected),
      sum((t) => t.positives),
    ),
    sum((t) => t.clean),
    sum((t) => t.falsePositives),
  ]);
  const d = result.totals.default;
  out.push('');
  out.push(
    `target (default group): recall ${recall(d.detected, d.positives)} (>= 0.95), clean fixtures with findings ${d.falsePositives} (0) — ${meetsTarget(result) ? 'met' : 'NOT met'}`,
  );
  const leaks = result.redactorLeaks;
  out.push(
    `redactor: expected secret ranges left readable: default ${leaks.default}, options ${leaks.options}, not-in-preset ${leaks['not-in-preset']}`,
  );
  const misses = result.cases.filter(
    (c) => c.group !== 'binary' && (c.expect === 'secret') !== c.detected,
  );
  if (misses.length > 0)
    out.push(
      `differences: ${misses.map((c) => `${c.id} (${c.expect}, ${c.group})`).join('; ')}`,
    );
  out.push(`${result.cases.length} cases in ${result.millis.toFixed(0)} ms`);
  return out.join('\n');
}

if (
  process.argv[1] &&
  resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  try {
    const result = await runSecretsBench();
    console.log(formatSecretsBench(result));
    if (!meetsTarget(result)) process.exitCode = 1;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
