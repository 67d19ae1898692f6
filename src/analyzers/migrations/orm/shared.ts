import type { SgNode } from '@ast-grep/napi';
import type { LineRange, Severity } from '../../../core/finding.ts';
import type { RuleContext } from '../catalog.ts';
import { makeFinding } from '../findings.ts';
import type { FileResult, SchemaChange, SqlSettings } from '../types.ts';
import { literalText, nodeLines } from './ast.ts';

/** What an ORM migration reader needs besides the source: where it is, what changed, how to read more. */
export interface OrmEnv {
  path: string;
  added: ReadonlySet<number>;
  result: FileResult;
  pgVersion: number;
  readHead(path: string): Promise<string | undefined>;
  readBase(path: string): Promise<string | undefined>;
  /** Every path at the head revision; empty when the change source cannot list them. */
  listHead?(): Promise<string[]>;
}

export interface ReportOptions {
  fix?: string;
  note?: string;
  severity?: Severity;
  /** Set for rules that only matter on a table with rows: dropped when the change creates it. */
  existingTable?: string;
  lines?: LineRange;
}

export function report(
  env: OrmEnv,
  ruleId: string,
  node: SgNode,
  ctx: RuleContext,
  options: ReportOptions = {},
): void {
  const finding = makeFinding({
    ruleId,
    path: env.path,
    lines: options.lines ?? nodeLines(node),
    ctx,
    fix: options.fix,
    note: options.note,
    severity: options.severity,
  });
  if (options.existingTable)
    env.result.conditional.push({ finding, table: options.existingTable });
  else env.result.findings.push(finding);
}

export function recordChange(
  env: OrmEnv,
  node: SgNode,
  change: Omit<SchemaChange, 'path' | 'line' | 'side'>,
): void {
  env.result.changes.push({
    ...change,
    path: env.path,
    line: nodeLines(node).start,
    side: 'RIGHT',
  });
}

/**
 * Queues raw SQL from a migration's string literal for squawk, mapped back to the literal's lines.
 * ORM frameworks open the transaction themselves (an explicit BEGIN), so SQL they run in one is
 * linted wrapped in BEGIN … COMMIT: even a single CREATE INDEX CONCURRENTLY fails there, which
 * squawk's assume-in-transaction setting deliberately allows for one-statement files.
 */
export function queueSql(
  env: OrmEnv,
  literal: SgNode,
  inTransaction: boolean,
  heredocFor?: (node: SgNode) => SgNode | undefined,
): boolean {
  const text = literalText(literal, heredocFor);
  if (!text || text.text.trim() === '') return false;
  const settings: SqlSettings = {
    pgVersion: env.pgVersion,
    assumeInTransaction: false,
  };
  // BEGIN shares the first line and COMMIT gets a line of its own, so line numbers stay put; the
  // leading `;` ends a last statement written without one.
  const sql = inTransaction ? `BEGIN; ${text.text}\n;COMMIT;` : text.text;
  env.result.sql.push({
    path: env.path,
    sql,
    firstLine: text.firstLine,
    settings,
    added: env.added,
  });
  return true;
}

/** snake_case → singular, for Rails/Django model guesses: users → user, categories → category, boxes → box. */
export function singular(name: string): string {
  if (/ies$/.test(name)) return `${name.slice(0, -3)}y`;
  if (/(?:ss|sh|ch|x|z)es$/.test(name)) return name.slice(0, -2);
  if (/s$/.test(name) && !/ss$/.test(name)) return name.slice(0, -1);
  return name;
}

/** snake_case → PascalCase. */
export function pascal(name: string): string {
  return name
    .split(/[_\s-]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}
