import type { CoverageNote } from '../../../core/coverage.ts';
import type { DraftFinding, LineRange } from '../../../core/finding.ts';
import { makeFinding } from '../findings.ts';
import { splitStatements, type SqlStatement } from '../sql/lexer.ts';
import { contextAt } from '../sql/pg-statements.ts';
import type { SqlSettings, SqlUnit } from '../types.ts';
import { statementLock } from './locks.ts';
import { runSquawk, squawkBinaryPath, SquawkError, type SquawkViolation } from './squawk.ts';

export const SQUAWK_SOURCE = 'squawk';

export interface PostgresLintOptions {
  /** The squawk binary; undefined finds the installed one, null means none is available. */
  binary?: string | null;
  timeoutMs?: number;
  /** Opt-in squawk rules to turn on. */
  include?: readonly string[];
  signal?: AbortSignal;
}

export interface PostgresLintResult {
  findings: DraftFinding[];
  /** Findings about locking or rewriting an existing table: void when the change creates `table`. */
  conditional: Array<{ finding: DraftFinding; table: string }>;
  notes: CoverageNote[];
}

/** Rules whose harm needs a table with rows and traffic; a table created by the same change has neither. */
export const EXISTING_TABLE_RULES: ReadonlySet<string> = new Set([
  'schema/adding-field-with-default',
  'schema/adding-foreign-key-constraint',
  'schema/adding-not-nullable-field',
  'schema/adding-required-field',
  'schema/adding-serial-primary-key-field',
  'schema/changing-column-type',
  'schema/constraint-missing-not-valid',
  'schema/disallowed-unique-constraint',
  'schema/require-concurrent-index-creation',
  'schema/require-concurrent-index-deletion',
]);

export const DEFAULT_SQUAWK_TIMEOUT_MS = 30_000;

/**
 * Lints Postgres SQL with squawk: one squawk process per distinct setting (normally exactly one per
 * review), violations mapped to findings on the lines the change added.
 */
export async function lintPostgres(units: readonly SqlUnit[], options: PostgresLintOptions = {}): Promise<PostgresLintResult> {
  const result: PostgresLintResult = { findings: [], conditional: [], notes: [] };
  const live = units.filter((unit) => unit.sql.trim() !== '');
  if (live.length === 0) return result;

  const binary = options.binary === undefined ? squawkBinaryPath() : options.binary;
  if (!binary) {
    for (const path of new Set(live.map((u) => u.path))) {
      result.notes.push({ source: SQUAWK_SOURCE, path, message: 'could not analyse: squawk unavailable (its platform package is not installed), so this SQL was not linted' });
    }
    return result;
  }

  for (const group of groupBySettings(live)) {
    let violations: SquawkViolation[][];
    try {
      violations = await runSquawk({
        binary,
        settings: group.settings,
        include: options.include,
        sources: group.units.map((u) => u.sql),
        timeoutMs: options.timeoutMs ?? DEFAULT_SQUAWK_TIMEOUT_MS,
        signal: options.signal,
      });
    } catch (error) {
      if (!(error instanceof SquawkError)) throw error;
      for (const path of new Set(group.units.map((u) => u.path))) {
        result.notes.push({ source: SQUAWK_SOURCE, path, message: `could not analyse: ${error.message}` });
      }
      continue;
    }
    group.units.forEach((unit, i) => mapUnit(unit, violations[i]!, result));
  }
  return result;
}

function groupBySettings(units: readonly SqlUnit[]): Array<{ settings: SqlSettings; units: SqlUnit[] }> {
  const groups = new Map<string, { settings: SqlSettings; units: SqlUnit[] }>();
  for (const unit of units) {
    const key = `${unit.settings.pgVersion}/${unit.settings.assumeInTransaction}`;
    const group = groups.get(key) ?? { settings: unit.settings, units: [] };
    group.units.push(unit);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function mapUnit(unit: SqlUnit, violations: SquawkViolation[], result: PostgresLintResult): void {
  const syntax = violations.filter((v) => v.rule_name === 'syntax-error');
  if (syntax.length > 0) {
    const first = syntax[0]!;
    const line = headRange(unit, first.line + 1, first.line + 1).start;
    const more = syntax.length > 1 ? ` (and ${syntax.length - 1} more syntax errors)` : '';
    result.notes.push({
      source: SQUAWK_SOURCE,
      path: unit.path,
      line,
      // squawk lints nothing in a file it cannot parse.
      message: `could not analyse: ${first.message} at line ${line}, column ${first.column + 1}${more}; squawk did not lint this SQL`,
    });
  }
  let statements: SqlStatement[] | undefined;
  let lines: string[] | undefined;
  let starts: number[] | undefined;
  for (const violation of violations) {
    if (violation.rule_name === 'syntax-error') continue;
    const range = headRange(unit, violation.line + 1, violation.line_end + 1);
    if (!touchesAdded(unit, range)) continue;
    statements ??= unit.statements ?? splitStatements(unit.sql);
    lines ??= unit.sql.split('\n');
    starts ??= lineStarts(lines);
    const offset = offsetOf(unit.sql, lines, starts, violation.line, violation.column);
    const statement = statementAt(statements, offset);
    const ctx = statement ? contextAt(statement, offset) : {};
    const finding = makeFinding({
      ruleId: `schema/${violation.rule_name}`,
      path: unit.path,
      lines: range,
      ctx,
      lock: statement ? statementLock(statement) : undefined,
      fallbackMessage: violation.message,
    });
    if (ctx.table && EXISTING_TABLE_RULES.has(finding.ruleId)) result.conditional.push({ finding, table: ctx.table });
    else result.findings.push(finding);
  }
}

/** Head lines of a 1-based line range of the unit's SQL. */
function headRange(unit: SqlUnit, start: number, end: number): LineRange {
  return { start: unit.firstLine + start - 1, end: unit.firstLine + Math.max(start, end) - 1, side: 'RIGHT' };
}

function touchesAdded(unit: SqlUnit, range: LineRange): boolean {
  for (let line = range.start; line <= range.end; line++) if (unit.added.has(line)) return true;
  return false;
}

function lineStarts(lines: string[]): number[] {
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  return starts;
}

/** Character offset of a 0-based line and UTF-8 byte column. */
function offsetOf(sql: string, lines: string[], starts: number[], line: number, byteColumn: number): number {
  const text = lines[line] ?? '';
  const column = Buffer.from(text, 'utf8').subarray(0, byteColumn).toString('utf8').length;
  return Math.min((starts[line] ?? sql.length) + column, sql.length);
}

/** The last statement starting at or before the offset (binary search: statements are in order). */
function statementAt(statements: SqlStatement[], offset: number): SqlStatement | undefined {
  let low = 0;
  let high = statements.length - 1;
  let best: SqlStatement | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (statements[mid]!.start <= offset) {
      best = statements[mid];
      low = mid + 1;
    } else high = mid - 1;
  }
  return best;
}
