import type { ContentReader } from '../../core/change-set.ts';
import type { DraftFinding } from '../../core/finding.ts';
import { contextOf } from './findings.ts';

const NOT_NULL_RULE = 'schema/adding-not-nullable-field';

const escape = (name: string): string =>
  name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Where `UPDATE <table> … SET … <column> =` first appears in the text: a backfill of the column,
 * in plain SQL or in SQL an ORM migration executes. The table may carry a schema or a template
 * prefix (`{{ .Namespace }}.t`) and quotes.
 */
function backfillOffset(
  text: string,
  table: string,
  column: string,
): number | undefined {
  const name = (n: string) => `[\`"\\[]?${escape(n)}[\`"\\]]?`;
  const pattern = new RegExp(
    `\\bupdate\\s+(?:[^;]*?\\.)?${name(table)}\\s+(?:(?:as\\s+)?\\w+\\s+)?set\\b[^;]*?(?:^|[\\s,(.])${name(column)}\\s*=`,
    'im',
  );
  const match = pattern.exec(text);
  return match ? match.index : undefined;
}

function offsetOfLine(text: string, line: number): number {
  let offset = 0;
  for (let i = 1; i < line; i++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset;
}

/**
 * The add-backfill-constrain sequence in one change: a column the change adds as nullable, fills for
 * every row, then makes NOT NULL. The NOT NULL cannot fail on rows the backfill wrote, and its scan is
 * short next to the UPDATE that wrote every row, so the finding is lowered to low with what does
 * matter on a large table: the backfill itself, and the constant-default form that needs none.
 */
export async function lowerBackfilledNotNull(
  findings: DraftFinding[],
  addedColumns: ReadonlySet<string>,
  contents: ContentReader,
  signal: AbortSignal,
): Promise<void> {
  const texts = new Map<string, string | undefined>();
  for (const [i, finding] of findings.entries()) {
    if (finding.ruleId !== NOT_NULL_RULE || finding.severity === 'low')
      continue;
    const ctx = contextOf(finding);
    if (!ctx?.table || !ctx.column || !finding.lines) continue;
    const table = ctx.table.replace(/^.*\./, '');
    if (!addedColumns.has(`${table}.${ctx.column}`.toLowerCase())) continue;
    if (!texts.has(finding.path))
      texts.set(
        finding.path,
        await contents
          .read('head', finding.path, signal)
          .catch(() => undefined),
      );
    const text = texts.get(finding.path);
    if (text === undefined) continue;
    const backfill = backfillOffset(text, table, ctx.column);
    if (
      backfill === undefined ||
      backfill >= offsetOfLine(text, finding.lines.start)
    )
      continue;
    findings[i] = {
      ...finding,
      severity: 'low',
      body: `${finding.body} Here the change adds \`${table}.${ctx.column}\` and backfills every row before this point, so the constraint cannot fail and its scan is short next to the UPDATE; on a large table it is the backfill, one transaction writing every row, that holds locks for long.`,
      fix: 'On a large table, backfill in batches outside the migration transaction before adding NOT NULL; for a constant value, `ADD COLUMN … NOT NULL DEFAULT <value>` (Postgres 11+) needs no backfill at all.',
    };
  }
}
