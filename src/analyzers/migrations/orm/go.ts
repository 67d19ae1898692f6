import type { SgNode } from '@ast-grep/napi';
import { parseSource, touchesAdded } from './ast.ts';
import type { OrmEnv } from './shared.ts';

/** database/sql, sqlx, pgx and bun calls that run a statement; the SQL is the first string argument. */
const EXEC_METHODS = new Set([
  'Exec',
  'ExecContext',
  'MustExec',
  'MustExecContext',
  'NewRaw',
]);
/** Receivers that are an open transaction (goose's `tx *sql.Tx`): their SQL is linted inside one. */
const TRANSACTION_RECEIVER = /^(?:tx|txn)$|Tx$/;

interface GoLiteral {
  text: string;
  firstLine: number;
}

/** Unescapes a Go interpreted string; `\n` becomes a space so text lines stay source lines. */
function unescapeGo(text: string): string {
  return text.replace(
    /\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|[0-7]{3}|.)/g,
    (_, c: string) => (c.length > 1 || 'ntr'.includes(c) ? ' ' : c),
  );
}

/** The value of a Go string literal, or of literals joined with `+`, laid out on its source lines. */
function goLiteral(node: SgNode): GoLiteral | undefined {
  const kind = String(node.kind());
  const firstLine = node.range().start.line + 1;
  if (kind === 'raw_string_literal')
    return { text: node.text().slice(1, -1), firstLine };
  if (kind === 'interpreted_string_literal')
    return { text: unescapeGo(node.text().slice(1, -1)), firstLine };
  if (kind === 'binary_expression' && node.field('operator')?.text() === '+') {
    const left = node.field('left');
    const right = node.field('right');
    const a = left ? goLiteral(left) : undefined;
    const b = right ? goLiteral(right) : undefined;
    if (!a || !b) return undefined;
    const lastLine = a.firstLine + (a.text.match(/\n/g) ?? []).length;
    const gap =
      b.firstLine > lastLine ? '\n'.repeat(b.firstLine - lastLine) : ' ';
    return { text: a.text + gap + b.text, firstLine: a.firstLine };
  }
  if (kind === 'parenthesized_expression') {
    const inner = node.namedChildren()[0];
    return inner ? goLiteral(inner) : undefined;
  }
  return undefined;
}

/**
 * SQL that Go migrations (listmonk's, goose's, golang-migrate's Go steps) pass to `Exec` as string
 * literals: queued for the SQL linters, mapped to the literal's lines. Only literal SQL is read —
 * a query built at run time is not known here. Each `Exec` outside a transaction runs on its own.
 */
export function analyzeGoMigration(env: OrmEnv, source: string): void {
  const root = parseSource('go', source);
  for (const call of root
    .root()
    .findAll({ rule: { kind: 'call_expression' } })) {
    const fn = call.field('function');
    if (fn?.kind() !== 'selector_expression') continue;
    const method = fn.field('field')?.text() ?? '';
    if (!EXEC_METHODS.has(method)) continue;
    if (!touchesAdded(call, env.added)) continue;
    const args = call.field('arguments')?.namedChildren() ?? [];
    const sqlArg = args.find((arg) => goLiteral(arg) !== undefined);
    const literal = sqlArg ? goLiteral(sqlArg) : undefined;
    if (!literal || literal.text.trim() === '') continue;
    const receiver = fn.field('operand')?.text() ?? '';
    const inTransaction = TRANSACTION_RECEIVER.test(receiver);
    const sql = inTransaction
      ? `BEGIN; ${literal.text}\n;COMMIT;`
      : literal.text;
    env.result.sql.push({
      path: env.path,
      sql,
      firstLine: literal.firstLine,
      settings: { pgVersion: env.pgVersion, assumeInTransaction: false },
      added: env.added,
    });
  }
}
