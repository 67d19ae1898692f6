import type { DraftFinding, LineRange, Severity } from '../../core/finding.ts';
import { catalogEntry, type RuleContext } from './catalog.ts';
import { describeLock, type StatementLock } from './postgres/locks.ts';

export interface FindingInput {
  ruleId: string;
  path: string;
  lines?: LineRange;
  ctx?: RuleContext;
  /** The lock the statement takes; defaults to the rule's usual lock on `ctx.table`. */
  lock?: StatementLock;
  /** Whether the statement runs inside a transaction (its locks last until the transaction ends); default true. */
  inTransaction?: boolean;
  severity?: Severity;
  /** A fix written for the framework the finding is in, instead of the plain-SQL one. */
  fix?: string;
  /** One more sentence for the body, e.g. how the framework behaves. */
  note?: string;
  related?: DraftFinding['related'];
  /** squawk's own message, used only for rules the catalog does not know. */
  fallbackMessage?: string;
}

/** The table and column each finding was made for, for the checks that judge it in its migration's context. */
const contexts = new WeakMap<DraftFinding, RuleContext>();

export const contextOf = (finding: DraftFinding): RuleContext | undefined =>
  contexts.get(finding);

/** Builds a schema-lens finding from the rule catalog, with the lock sentence for lock-aware rules. */
export function makeFinding(input: FindingInput): DraftFinding {
  const entry = catalogEntry(input.ruleId, input.fallbackMessage);
  const ctx = input.ctx ?? {};
  const parts = [entry.body(ctx)];
  if (entry.lockAware) {
    const mode = input.lock?.mode ?? entry.lock;
    if (mode)
      parts.push(
        describeLock(
          mode,
          input.lock?.target ?? ctx.table,
          input.inTransaction ?? true,
        ),
      );
  }
  if (input.note) parts.push(input.note);
  const finding: DraftFinding = {
    lens: 'schema',
    severity: input.severity ?? entry.severity,
    ruleId: entry.id,
    source: 'analyzer',
    path: input.path,
    title: entry.headline(ctx),
    body: parts.join(' '),
    fix: input.fix ?? entry.fix,
  };
  if (input.lines) finding.lines = input.lines;
  if (input.related && input.related.length > 0)
    finding.related = input.related;
  contexts.set(finding, ctx);
  return finding;
}
