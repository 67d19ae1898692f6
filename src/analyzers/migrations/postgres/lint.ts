import type { CoverageNote } from '../../../core/coverage.ts';
import type { DraftFinding, LineRange } from '../../../core/finding.ts';
import { makeFinding } from '../findings.ts';
import { splitStatements, type SqlStatement } from '../sql/lexer.ts';
import { contextAt } from '../sql/pg-statements.ts';
import type { SqlSettings, SqlUnit } from '../types.ts';
import {
  DUPLICATE_COLUMNS_RULE,
  findDuplicateColumns,
  loadPostgresParser,
  type DuplicateColumnReport,
  type PostgresParser,
} from './duplicate-columns.ts';
import { statementLock, type StatementLock } from './locks.ts';
import { isWord } from '../sql/lexer.ts';
import {
  runSquawk,
  squawkBinaryPath,
  SquawkError,
  type SquawkViolation,
} from './squawk.ts';
import { messageOf } from '../../../core/error-message.ts';

export const SQUAWK_SOURCE = 'squawk';
export const PARSER_SOURCE = 'libpg-query';

/** Checked with the Postgres parser: squawk-cli 2.61 predates the rule. */
const DUPLICATE_COLUMNS_ID = `schema/${DUPLICATE_COLUMNS_RULE}`;
/** What squawk 2.61 says about an ignore comment naming the rule it does not know. */
const UNKNOWN_DUPLICATE_IGNORE = `unknown name ${DUPLICATE_COLUMNS_RULE}`;

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
  /**
   * For timeout findings: the statement they are about. squawk asks for timeouts before any
   * statement; the migration analyzer keeps only those that lock a table that already exists.
   */
  timeoutContext: Map<DraftFinding, TimeoutContext>;
}

export interface TimeoutContext {
  /** The table (or index) the statement locks, when it names one. */
  target?: string;
  mode?: StatementLock['mode'];
  /** CREATE/DROP INDEX, REINDEX or DETACH PARTITION with CONCURRENTLY. */
  concurrent: boolean;
  /** The statement is CREATE TABLE (or CREATE … AS): a new object nothing else waits on. */
  creates: boolean;
}

export const TIMEOUT_RULES: ReadonlySet<string> = new Set([
  'schema/require-lock-timeout',
  'schema/require-statement-timeout',
  'schema/require-timeout-settings',
]);

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
 * Postgres accepts NOT VALID only on CHECK and FOREIGN KEY constraints. For a UNIQUE or PRIMARY KEY
 * constraint squawk's advice cannot be followed; the cost it describes (an index built under the
 * lock) is what `disallowed-unique-constraint` and `adding-serial-primary-key-field` report on the
 * same statement, with advice that works.
 */
const CANNOT_BE_NOT_VALID =
  /^\s*ADD\s+(?:CONSTRAINT\s+(?:"[^"]+"|\S+)\s+)?(?:UNIQUE|PRIMARY\s+KEY)\b/i;

/**
 * Lints Postgres SQL with squawk: one squawk process per distinct setting (normally exactly one per
 * review), violations mapped to findings on the lines the change added. Duplicate column
 * assignments are checked with the Postgres parser, whether or not squawk could run.
 */
export async function lintPostgres(
  units: readonly SqlUnit[],
  options: PostgresLintOptions = {},
): Promise<PostgresLintResult> {
  const result: PostgresLintResult = {
    findings: [],
    conditional: [],
    notes: [],
    timeoutContext: new Map(),
  };
  const live = units.filter((unit) => unit.sql.trim() !== '');
  if (live.length === 0) return result;
  /** Head lines where squawk itself reported duplicate columns, per unit. */
  const squawkDuplicates = new Map<SqlUnit, Set<number>>();
  await runSquawkOn(live, options, result, squawkDuplicates);
  await checkDuplicateColumns(live, squawkDuplicates, result, options.signal);
  return result;
}

async function runSquawkOn(
  live: SqlUnit[],
  options: PostgresLintOptions,
  result: PostgresLintResult,
  squawkDuplicates: Map<SqlUnit, Set<number>>,
): Promise<void> {
  const binary =
    options.binary === undefined ? squawkBinaryPath() : options.binary;
  if (!binary) {
    for (const path of new Set(live.map((u) => u.path))) {
      result.notes.push({
        source: SQUAWK_SOURCE,
        path,
        message:
          "could not analyse: squawk unavailable (its platform package is not installed), so squawk's rules were not checked on this SQL",
      });
    }
    return;
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
        result.notes.push({
          source: SQUAWK_SOURCE,
          path,
          message: `could not analyse: ${error.message}`,
        });
      }
      continue;
    }
    group.units.forEach((unit, i) =>
      squawkDuplicates.set(unit, mapUnit(unit, violations[i]!, result)),
    );
  }
}

/**
 * Reports columns assigned or declared twice, on the lines the change added: one finding per
 * column and statement, on the last added line naming it. A statement squawk already reported the
 * rule on (a squawk release that has it) is left to squawk. SQL the parser rejects gets no note of
 * its own: squawk's syntax error already covers the file.
 */
async function checkDuplicateColumns(
  live: SqlUnit[],
  squawkDuplicates: Map<SqlUnit, Set<number>>,
  result: PostgresLintResult,
  signal?: AbortSignal,
): Promise<void> {
  let parser: PostgresParser;
  try {
    parser = await loadPostgresParser();
  } catch (error) {
    const reason = messageOf(error);
    for (const path of new Set(live.map((u) => u.path))) {
      result.notes.push({
        source: PARSER_SOURCE,
        path,
        message: `could not analyse: the Postgres parser did not load (${reason}), so duplicate column assignments were not checked`,
      });
    }
    return;
  }
  for (const unit of live) {
    signal?.throwIfAborted();
    mapDuplicates(
      unit,
      findDuplicateColumns(unit.sql, parser),
      squawkDuplicates.get(unit),
      result,
    );
  }
}

function mapDuplicates(
  unit: SqlUnit,
  report: DuplicateColumnReport,
  squawkLines: ReadonlySet<number> | undefined,
  result: PostgresLintResult,
): void {
  const head = (line: number): number => unit.firstLine + line - 1;
  for (const duplicate of report.duplicates) {
    const start = head(duplicate.statement.start);
    const end = head(duplicate.statement.end);
    if (
      squawkLines &&
      [...squawkLines].some((line) => line >= start && line <= end)
    )
      continue;
    const added = duplicate.lines.filter((line) => unit.added.has(head(line)));
    if (added.length === 0) continue;
    if (
      [duplicate.statement.start, ...duplicate.lines].some((line) =>
        report.ignored(line),
      )
    )
      continue;
    const line = head(added[added.length - 1]!);
    result.findings.push(
      makeFinding({
        ruleId: DUPLICATE_COLUMNS_ID,
        path: unit.path,
        lines: { start: line, end: line, side: 'RIGHT' },
        ctx: {
          column: duplicate.column,
          ...(duplicate.table ? { table: duplicate.table } : {}),
        },
      }),
    );
  }
}

function groupBySettings(
  units: readonly SqlUnit[],
): Array<{ settings: SqlSettings; units: SqlUnit[] }> {
  const groups = new Map<string, { settings: SqlSettings; units: SqlUnit[] }>();
  for (const unit of units) {
    const key = `${unit.settings.pgVersion}/${unit.settings.assumeInTransaction}`;
    const group = groups.get(key) ?? { settings: unit.settings, units: [] };
    group.units.push(unit);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** Maps one unit's violations; returns the head lines where squawk itself reported duplicate columns. */
function mapUnit(
  unit: SqlUnit,
  violations: SquawkViolation[],
  result: PostgresLintResult,
): Set<number> {
  const duplicates = new Set<number>();
  const syntax = violations.filter((v) => v.rule_name === 'syntax-error');
  if (syntax.length > 0) {
    const first = syntax[0]!;
    const line = headRange(unit, first.line + 1, first.line + 1).start;
    const more =
      syntax.length > 1 ? ` (and ${syntax.length - 1} more syntax errors)` : '';
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
    // The rule is checked here and honours squawk-ignore comments naming it.
    if (
      violation.rule_name === 'unused-ignore' &&
      violation.message === UNKNOWN_DUPLICATE_IGNORE
    )
      continue;
    const range = headRange(unit, violation.line + 1, violation.line_end + 1);
    if (violation.rule_name === DUPLICATE_COLUMNS_RULE)
      for (let line = range.start; line <= range.end; line++)
        duplicates.add(line);
    if (!touchesAdded(unit, range)) continue;
    statements ??= unit.statements ?? splitStatements(unit.sql);
    lines ??= unit.sql.split('\n');
    starts ??= lineStarts(lines);
    const offset = offsetOf(
      unit.sql,
      lines,
      starts,
      violation.line,
      violation.column,
    );
    const statement = statementAt(statements, offset);
    if (
      violation.rule_name === 'constraint-missing-not-valid' &&
      CANNOT_BE_NOT_VALID.test(unit.sql.slice(offset, offset + 200))
    )
      continue;
    const ctx = statement ? contextAt(statement, offset) : {};
    const lock = statement ? statementLock(statement) : undefined;
    const finding = makeFinding({
      ruleId: `schema/${violation.rule_name}`,
      path: unit.path,
      lines: range,
      ctx,
      lock,
      inTransaction: unit.settings.assumeInTransaction,
      fallbackMessage: violation.message,
      ...(statement &&
      lock?.target &&
      TIMEOUT_RULES.has(`schema/${violation.rule_name}`)
        ? { fix: timeoutFix(violation.rule_name, statement, lock.target) }
        : {}),
    });
    if (TIMEOUT_RULES.has(finding.ruleId)) {
      const tokens = statement?.tokens ?? [];
      result.timeoutContext.set(finding, {
        ...(lock?.target ? { target: lock.target } : {}),
        ...(lock?.mode ? { mode: lock.mode } : {}),
        concurrent:
          tokens.slice(0, 6).some((tok) => isWord(tok, 'CONCURRENTLY')) ||
          (isWord(tokens[0], 'ALTER') &&
            tokens.some((tok) => isWord(tok, 'CONCURRENTLY'))),
        creates:
          isWord(tokens[0], 'CREATE') &&
          tokens.slice(1, 5).some((tok) => isWord(tok, 'TABLE')),
      });
    }
    if (ctx.table && EXISTING_TABLE_RULES.has(finding.ruleId))
      result.conditional.push({ finding, table: ctx.table });
    else result.findings.push(finding);
  }
  return duplicates;
}

/** The timeout advice written for the statement at hand: which statement, on which object. */
function timeoutFix(
  rule: string,
  statement: SqlStatement,
  target: string,
): string {
  const verb = statement.tokens
    .slice(0, 3)
    .filter(
      (tok) =>
        tok.kind === 'word' && !['UNIQUE', 'IF', 'ONLY'].includes(tok.value),
    )
    .slice(0, 2)
    .map((tok) => tok.value)
    .join(' ');
  const setting =
    rule === 'require-statement-timeout'
      ? "SET statement_timeout = '5min' (or a limit that fits the work)"
      : "SET lock_timeout = '2s'";
  const retry =
    rule === 'require-statement-timeout'
      ? ''
      : ', and retry the migration when it times out rather than let traffic queue';
  return `${setting} before this ${verb} on \`${target}\`${retry}.`;
}

/** Head lines of a 1-based line range of the unit's SQL. */
function headRange(unit: SqlUnit, start: number, end: number): LineRange {
  return {
    start: unit.firstLine + start - 1,
    end: unit.firstLine + Math.max(start, end) - 1,
    side: 'RIGHT',
  };
}

function touchesAdded(unit: SqlUnit, range: LineRange): boolean {
  for (let line = range.start; line <= range.end; line++)
    if (unit.added.has(line)) return true;
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
function offsetOf(
  sql: string,
  lines: string[],
  starts: number[],
  line: number,
  byteColumn: number,
): number {
  const text = lines[line] ?? '';
  const column = Buffer.from(text, 'utf8')
    .subarray(0, byteColumn)
    .toString('utf8').length;
  return Math.min((starts[line] ?? sql.length) + column, sql.length);
}

/** The last statement starting at or before the offset (binary search: statements are in order). */
function statementAt(
  statements: SqlStatement[],
  offset: number,
): SqlStatement | undefined {
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
