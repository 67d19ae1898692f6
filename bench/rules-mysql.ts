/**
 * Measures the Rails migration checks against strong_migrations' own test cases and README
 * examples (../shared/corpora/mysql-migrations, next to the repository), once per adapter the
 * upstream test reaches: PostgreSQL, and MySQL/MariaDB (one run: the app's adapter is mysql2 for
 * both). Each case is replayed as a pull request that adds the migration to an app whose
 * config/database.yml names the adapter and whose db/schema.rb holds the upstream base tables.
 * Scores per strong_migrations check: an unsafe case is found when one of the rules that check maps
 * to reports; on a safe case every finding is a false positive of the check its rule maps to.
 * strong_migrations stops at the first unsafe call, so other findings on unsafe cases are not judged.
 *
 *   node bench/rules-mysql.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { createMigrationAnalyzer } from '../src/analyzers/migrations/index.ts';
import { DEFAULT_CONFIG } from '../src/config/schema.ts';
import type { ChangedFile } from '../src/core/change-set.ts';
import { parsePatch } from '../src/core/diff/parse-patch.ts';
import { LENSES } from '../src/core/finding.ts';
import { silentLogger } from '../src/core/logger.ts';

type Adapter = 'postgresql' | 'mysql';

const Check = z.union([z.string(), z.record(z.string(), z.string())]).nullish();
const CaseSchema = z.object({
  id: z.string(),
  ruby_migration: z.string(),
  adapters: z.array(z.enum(['postgresql', 'mysql', 'mariadb'])),
  expect: z.enum(['unsafe', 'safe']),
  direction: z.string().optional(),
  check: Check,
  context: z.array(z.string()).optional(),
  setup: z.array(z.unknown()).optional(),
  methods: z.array(z.string()).optional(),
});
type Case = z.infer<typeof CaseSchema>;
const Column = z.looseObject({
  column: z.string(),
  type: z.string(),
  limit: z.number().optional(),
  precision: z.number().optional(),
  scale: z.number().optional(),
  only: z.string().optional(),
});
const BaseSchema = z.looseObject({
  tables: z.record(z.string(), z.array(Column)),
});

/**
 * strong_migrations check → the rules that report it, per adapter. A check not listed here is
 * not claimed: its cases are listed, not scored.
 */
const CLAIMED: Record<string, Partial<Record<Adapter, string[]>>> = {
  add_check_constraint: { postgresql: ['constraint-missing-not-valid'] },
  add_check_constraint_mysql: { mysql: ['mysql-adding-check-constraint'] },
  add_column_auto_incrementing: {
    postgresql: ['rails-add-column-auto-incrementing'],
    mysql: ['rails-add-column-auto-incrementing'],
  },
  add_column_default: {
    postgresql: ['adding-field-with-default'],
    mysql: ['rails-add-column-default'],
  },
  add_exclusion_constraint: {
    postgresql: ['rails-add-exclusion-constraint'],
  },
  add_unique_constraint: { postgresql: ['disallowed-unique-constraint'] },
  change_column_constraint: {
    postgresql: ['rails-change-column-constraint'],
  },
  rename_enum_value: { postgresql: ['rails-rename-enum-value'] },
  add_column_default_callable: {
    postgresql: ['rails-add-column-default-callable'],
    mysql: ['rails-add-column-default-callable'],
  },
  add_column_generated_stored: {
    postgresql: ['rails-add-column-generated-stored'],
    mysql: ['rails-add-column-generated-stored'],
  },
  add_column_json: { postgresql: ['rails-add-column-json'] },
  add_foreign_key: { postgresql: ['adding-foreign-key-constraint'] },
  add_foreign_key_mysql: { mysql: ['mysql-adding-foreign-key'] },
  add_index: {
    postgresql: [
      'require-concurrent-index-creation',
      'ban-concurrent-index-creation-in-transaction',
    ],
  },
  add_index_columns: {
    postgresql: ['rails-add-index-columns'],
    mysql: ['rails-add-index-columns'],
  },
  add_reference: {
    postgresql: [
      'require-concurrent-index-creation',
      'adding-foreign-key-constraint',
    ],
    mysql: ['mysql-adding-foreign-key'],
  },
  change_column: {
    postgresql: ['changing-column-type'],
    mysql: ['mysql-changing-column-type'],
  },
  change_column_with_not_null: {
    postgresql: ['changing-column-type'],
    mysql: ['mysql-changing-column-type'],
  },
  change_column_default: {
    postgresql: ['rails-change-column-default'],
    mysql: ['rails-change-column-default'],
  },
  change_column_null: { mysql: ['rails-change-column-null'] },
  change_column_null_postgresql: { postgresql: ['adding-not-nullable-field'] },
  copy_algorithm: { mysql: ['rails-copy-algorithm'] },
  lock_option: { mysql: ['rails-lock-option'] },
  create_table: {
    postgresql: ['rails-create-table-force'],
    mysql: ['rails-create-table-force'],
  },
  remove_column: {
    postgresql: ['ban-drop-column'],
    mysql: ['mysql-drop-column'],
  },
  remove_index: { postgresql: ['require-concurrent-index-deletion'] },
  rename_column: {
    postgresql: ['renaming-column'],
    mysql: ['mysql-renaming-column'],
  },
  rename_table: {
    postgresql: ['renaming-table'],
    mysql: ['mysql-renaming-table'],
  },
  rename_schema: {
    postgresql: ['rails-rename-schema'],
    mysql: ['rails-rename-schema'],
  },
  validate_check_constraint: {
    postgresql: ['rails-validate-check-constraint'],
  },
  validate_foreign_key: { postgresql: ['rails-validate-foreign-key'] },
};

/** Checks left out on purpose, with the reason printed next to their cases. */
const NOT_CLAIMED: Record<string, string> = {
  execute:
    'strong_migrations flags every execute; we lint the SQL inside it instead (SELECT 1 is safe)',
  custom_check:
    "the upstream test suite's own StrongMigrations.add_check, not a product check",
  change_column_null_mysql: 'not implemented (MySQL without strict mode)',
};

export interface CheckScore {
  check: string;
  adapter: Adapter;
  cases: number;
  tp: number;
  fn: number;
  fp: number;
  rules: string[];
}

export interface MysqlBenchReport {
  scored: number;
  checks: CheckScore[];
  notClaimed: Array<{
    check: string;
    adapter: Adapter;
    cases: number;
    reason: string;
  }>;
  skipped: Record<string, number>;
  /** False positives on safe cases, for reading: case id, adapter, rule. */
  falsePositives: string[];
  misses: string[];
  seconds: number;
}

export function corpusDir(): string {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  return resolve(root, '../shared/corpora/mysql-migrations');
}

function load<T>(file: string, schema: z.ZodType<T>): T {
  if (!existsSync(file))
    throw new Error(
      `mysql-migrations corpus not found at ${file}; it is expected in ../shared/corpora next to the repository`,
    );
  const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new Error(
      `${file} is not in the expected shape:\n${z.prettifyError(parsed.error)}`,
    );
  return parsed.data;
}

/** db/schema.rb for the upstream base tables, as `rails db:schema:dump` would write it. */
function schemaRb(base: z.infer<typeof BaseSchema>, adapter: Adapter): string {
  const out = [
    'ActiveRecord::Schema[8.0].define(version: 2017_01_01_000000) do',
  ];
  for (const [table, columns] of Object.entries(base.tables)) {
    out.push(`  create_table "${table}", force: :cascade do |t|`);
    const indexes: string[] = [];
    for (const column of columns) {
      if (column.column === 'id') continue;
      if (column.only && column.only !== adapter) continue;
      const type = column.type.split(/[\s,]/)[0]!;
      const options = [
        column.limit !== undefined ? `limit: ${column.limit}` : '',
        column.precision !== undefined ? `precision: ${column.precision}` : '',
        column.scale !== undefined ? `scale: ${column.scale}` : '',
      ].filter(Boolean);
      out.push(
        `    t.${type} "${column.column}"${options.length > 0 ? `, ${options.join(', ')}` : ''}`,
      );
      if (/indexed/.test(column.type)) indexes.push(column.column);
    }
    for (const column of indexes)
      out.push(
        `    t.index ["${column}"], name: "index_${table}_on_${column}"`,
      );
    out.push('  end');
  }
  out.push('end', '');
  return out.join('\n');
}

const DATABASE_YML: Record<Adapter, string> = {
  postgresql: 'production:\n  adapter: postgresql\n  database: app\n',
  mysql:
    'production:\n  adapter: mysql2\n  encoding: utf8mb4\n  database: app\n',
};

const MIGRATION = 'db/migrate/20990101000000_bench_case.rb';

async function findingsFor(
  source: string,
  adapter: Adapter,
  schema: string,
  initializer: string,
): Promise<Array<{ rule: string; line: number }>> {
  const lines = source.split('\n');
  const file: ChangedFile = {
    path: MIGRATION,
    status: 'added',
    additions: lines.length,
    deletions: 0,
    patch: [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join(
      '\n',
    ),
  };
  const tree: Record<string, string> = {
    'config/database.yml': DATABASE_YML[adapter],
    'db/schema.rb': schema,
    Gemfile: 'source "https://rubygems.org"\ngem "rails"\n',
  };
  if (initializer)
    tree['config/initializers/strong_migrations.rb'] = initializer;
  const output = await createMigrationAnalyzer().analyze({
    changeSet: {
      baseSha: 'b'.repeat(40),
      headSha: 'h'.repeat(40),
      files: [file],
      listingComplete: true,
      contents: {
        async read(revision, path) {
          if (path === MIGRATION)
            return revision === 'head' ? source : undefined;
          return tree[path];
        },
        async listHeadPaths() {
          return [...Object.keys(tree), MIGRATION].sort();
        },
      },
    },
    files: [{ file, hunks: parsePatch(file.patch) }],
    lenses: new Set(LENSES),
    config: DEFAULT_CONFIG,
    logger: silentLogger,
    signal: new AbortController().signal,
  });
  return output.findings.map((f) => ({
    rule: f.ruleId.replace(/^schema\//, ''),
    line: f.lines?.start ?? 0,
  }));
}

/** The check a false positive counts against: the one its rule maps to, the called method breaking ties. */
function checkOfRule(
  rule: string,
  adapter: Adapter,
  sourceLine: string,
): string {
  const keys = Object.entries(CLAIMED)
    .filter(([, map]) => map[adapter]?.includes(rule))
    .map(([key]) => key);
  const method = /^\s*(?:t\.)?(\w+)/.exec(sourceLine)?.[1];
  return keys.find((key) => key === method) ?? keys[0] ?? `(${rule})`;
}

export async function runMysqlRulesBench(
  dir = corpusDir(),
): Promise<MysqlBenchReport> {
  const started = performance.now();
  const cases = [
    ...load(resolve(dir, 'cases.json'), z.array(CaseSchema)),
    ...load(resolve(dir, 'readme-examples.json'), z.array(CaseSchema)).map(
      (c) => ({ ...c, id: c.id }),
    ),
  ];
  const base = load(resolve(dir, 'base-schema.json'), BaseSchema);
  const schemas: Record<Adapter, string> = {
    postgresql: schemaRb(base, 'postgresql'),
    mysql: schemaRb(base, 'mysql'),
  };
  const scores = new Map<string, CheckScore>();
  const notClaimed = new Map<
    string,
    { check: string; adapter: Adapter; cases: number; reason: string }
  >();
  const skipped: Record<string, number> = {};
  const falsePositives: string[] = [];
  const misses: string[] = [];
  let scored = 0;
  const score = (check: string, adapter: Adapter): CheckScore => {
    const key = `${adapter}:${check}`;
    let found = scores.get(key);
    if (!found) {
      found = {
        check,
        adapter,
        cases: 0,
        tp: 0,
        fn: 0,
        fp: 0,
        rules: CLAIMED[check]?.[adapter] ?? [],
      };
      scores.set(key, found);
    }
    return found;
  };

  for (const c of cases) {
    const adapters = [
      ...new Set(
        c.adapters.map(
          (a): Adapter => (a === 'postgresql' ? 'postgresql' : 'mysql'),
        ),
      ),
    ];
    for (const adapter of adapters) {
      const skip = skipReason(c);
      if (skip) {
        skipped[skip] = (skipped[skip] ?? 0) + 1;
        continue;
      }
      const expected =
        c.check == null
          ? undefined
          : typeof c.check === 'string'
            ? c.check
            : (c.check[adapter] ??
              c.check[adapter === 'mysql' ? 'mariadb' : adapter]);
      if (
        c.expect === 'unsafe' &&
        (expected === undefined || !CLAIMED[expected]?.[adapter])
      ) {
        const check = expected ?? '(none)';
        const entry = notClaimed.get(`${adapter}:${check}`) ?? {
          check,
          adapter,
          cases: 0,
          reason: NOT_CLAIMED[check] ?? 'not implemented for this adapter',
        };
        entry.cases++;
        notClaimed.set(`${adapter}:${check}`, entry);
        continue;
      }
      scored++;
      const findings = await findingsFor(
        c.ruby_migration,
        adapter,
        schemas[adapter],
        initializerFor(c.context) ?? '',
      );
      const sourceLines = c.ruby_migration.split('\n');
      if (c.expect === 'unsafe') {
        const s = score(expected!, adapter);
        s.cases++;
        if (findings.some((f) => s.rules.includes(f.rule))) s.tp++;
        else {
          s.fn++;
          misses.push(
            `${c.id} [${adapter}] ${expected}: ${findings.map((f) => f.rule).join(', ') || 'no findings'}`,
          );
        }
        continue;
      }
      const wrong = new Set(
        findings.map((f) =>
          checkOfRule(f.rule, adapter, sourceLines[f.line - 1] ?? ''),
        ),
      );
      for (const check of wrong) score(check, adapter).fp++;
      for (const f of findings)
        falsePositives.push(`${c.id} [${adapter}] ${f.rule}@${f.line}`);
      if (wrong.size === 0) {
        // A safe case counts for the checks its calls could have tripped.
        for (const check of new Set(
          (c.methods ?? [])
            .map((m) => m.split(' ')[0]!)
            .filter((m) => CLAIMED[m]?.[adapter]),
        ))
          score(check, adapter).cases++;
      } else for (const check of wrong) score(check, adapter).cases++;
    }
  }
  const order = (
    a: { check: string; adapter: string },
    b: { check: string; adapter: string },
  ): number =>
    a.check.localeCompare(b.check) || a.adapter.localeCompare(b.adapter);
  return {
    scored,
    checks: [...scores.values()].sort(order),
    notClaimed: [...notClaimed.values()].sort(order),
    skipped,
    falsePositives,
    misses,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The config/initializers/strong_migrations.rb that sets a case's configuration, '' for none, and
 * undefined when the configuration is a test helper with no plain-value setting.
 */
function initializerFor(context: string[] | undefined): string | undefined {
  const lines: string[] = [];
  for (const item of context ?? []) {
    if (item.startsWith('safe_by_default = true'))
      lines.push('StrongMigrations.safe_by_default = true');
    else if (/^StrongMigrations\.(?:enable|disable)_check\(:\w+\)$/.test(item))
      lines.push(item);
    else return undefined;
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** Cases that need what a pull request cannot show: test-only configuration, earlier database state, or the down direction. */
function skipReason(c: Case): string | undefined {
  if (c.context && initializerFor(c.context) === undefined)
    return 'test-only configuration (context) with no initializer equivalent';
  if (c.setup && c.setup.length > 0)
    return 'depends on earlier migrations (setup)';
  if (c.direction === 'down')
    return 'down direction (strong_migrations checks it only with check_down)';
  return undefined;
}

const ratio = (n: number, d: number): string =>
  d === 0 ? '   -' : (n / d).toFixed(2);

export const PRECISION_TARGET = 0.95;
export const RECALL_TARGET = 0.9;

export function formatMysqlBench(report: MysqlBenchReport): string {
  const width = Math.max(...report.checks.map((r) => r.check.length), 5) + 2;
  const header = [
    'check'.padEnd(width),
    'adapter'.padEnd(10),
    'cases'.padStart(5),
    'TP'.padStart(4),
    'FP'.padStart(4),
    'FN'.padStart(4),
    'precision'.padStart(9),
    'recall'.padStart(7),
    '  rules',
  ].join(' ');
  const row = (s: Omit<CheckScore, 'rules'> & { rules?: string[] }): string =>
    [
      s.check.padEnd(width),
      s.adapter.padEnd(10),
      String(s.cases).padStart(5),
      String(s.tp).padStart(4),
      String(s.fp).padStart(4),
      String(s.fn).padStart(4),
      ratio(s.tp, s.tp + s.fp).padStart(9),
      ratio(s.tp, s.tp + s.fn).padStart(7),
      `  ${(s.rules ?? []).join(', ')}`,
    ].join(' ');
  const total = report.checks.reduce(
    (t, s) => ({
      ...t,
      cases: t.cases + s.cases,
      tp: t.tp + s.tp,
      fp: t.fp + s.fp,
      fn: t.fn + s.fn,
    }),
    {
      check: 'TOTAL',
      adapter: 'both' as Adapter,
      cases: 0,
      tp: 0,
      fp: 0,
      fn: 0,
    },
  );
  const precision = total.tp / Math.max(1, total.tp + total.fp);
  const recall = total.tp / Math.max(1, total.tp + total.fn);
  const skipped = Object.entries(report.skipped)
    .map(([reason, n]) => `${n} ${reason}`)
    .join('; ');
  const lines = [
    `mysql-migrations (strong_migrations cases and README examples): ${report.scored} case runs scored in ${report.seconds.toFixed(2)}s;`,
    `${total.cases} fall under a claimed check, the other ${report.scored - total.cases} are safe cases calling nothing a claimed check reads (none has a finding).`,
    'The corpus has only Ruby migrations: the MySQL SQL rules (node-sql-parser) are measured by unit tests, not here.',
    header,
    ...report.checks.map(row),
    row(total),
    '',
    `targets: precision ${precision.toFixed(3)} ${precision >= PRECISION_TARGET ? '>=' : '<'} ${PRECISION_TARGET}, recall ${recall.toFixed(3)} ${recall >= RECALL_TARGET ? '>=' : '<'} ${RECALL_TARGET} on the claimed checks: ${precision >= PRECISION_TARGET && recall >= RECALL_TARGET ? 'met' : 'NOT met'}`,
    '',
    'unsafe cases of checks not claimed (not scored):',
    ...report.notClaimed.map(
      (n) =>
        `  ${n.check} [${n.adapter}] ${n.cases} case${n.cases === 1 ? '' : 's'}: ${n.reason}`,
    ),
    `case runs not scored: ${skipped || 'none'}`,
  ];
  if (report.falsePositives.length > 0)
    lines.push(
      '',
      'false positives:',
      ...report.falsePositives.map((f) => `  ${f}`),
    );
  if (report.misses.length > 0)
    lines.push('', 'missed:', ...report.misses.map((m) => `  ${m}`));
  return lines.join('\n');
}

/** The section `npm run bench:rules` prints. */
export async function mysqlRulesSection(): Promise<string> {
  return `\n== Schema: Rails and MySQL/MariaDB migrations (strong_migrations cases) ==\n${formatMysqlBench(await runMysqlRulesBench())}`;
}

if (
  process.argv[1] &&
  import.meta.url === pathToFileURL(resolve(process.argv[1])).href
) {
  try {
    console.log(formatMysqlBench(await runMysqlRulesBench()));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
