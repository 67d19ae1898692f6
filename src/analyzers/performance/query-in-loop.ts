import type { SgNode } from '@ast-grep/napi';
import type { CodeCheck } from '../code/code-analyzer.ts';
import { draftFinding, headLines } from '../code/findings.ts';
import { startLine } from '../code/syntax.ts';
import { retryLoopOf } from '../code/loops/retry-loops.ts';
import { collectionLoops } from './collection-loops.ts';
import { databaseCalls } from './database-calls.ts';
import { defineRule } from '../../core/rules.ts';

export const QUERY_IN_LOOP = defineRule({
  id: 'performance/query-in-loop',
  severity: 'medium',
  title: 'Database query inside a loop (N+1)',
  appliesTo: {
    languages: ['javascript', 'typescript', 'python', 'go', 'java'],
  },
});

/** Loops over batches or chunks (`deleteBatches(ids, 500)`, `chunks`), or over a fixed literal list of a few models or tables. */
export function isBatchLoop(over: string): boolean {
  if (
    /batch|chunk(?!_size)|\bpages?\b/i.test(
      over.replace(/chunk_size\s*=\s*\w+/g, ''),
    )
  )
    return true;
  // `(Service, ServiceTemplate)`, `[User, Group]`: a literal list of names, not data.
  return /^[([]\s*[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*,?\s*[)\]]$/.test(
    over.trim(),
  );
}

const BULK_CALL =
  /(?:bulk_\w+|bulk[A-Z]\w*|\w+Many|executemany|insert_many|saveAll|batchUpdate)\(\)$/;

/**
 * A bulk write inside a loop that only runs when a condition holds (`if len(batch) >= BATCH_SIZE:
 * Model.objects.bulk_update(batch, …)`) flushes a batch: one round trip per batch, not per row.
 */
function isFlush(label: string, call: SgNode, body: SgNode): boolean {
  if (!BULK_CALL.test(label)) return false;
  for (
    let node = call.parent();
    node && node.id() !== body.id();
    node = node.parent()
  ) {
    if (/^(?:if_statement|if_expression|if)$/.test(String(node.kind())))
      return true;
  }
  return false;
}

/**
 * N+1 queries: a database call that runs once per element of a collection. Reported when the call or
 * the loop header is part of the change.
 */
export const queryInLoop: CodeCheck = {
  rules: [QUERY_IN_LOOP],
  families: ['js', 'python', 'go', 'java'],
  run(context) {
    const { file, added, index } = context;
    const reported = new Set<number>();
    for (const loop of collectionLoops(file.family, index)) {
      if (!context.touches(loop.node)) continue;
      if (retryLoopOf(loop.node, file.family, index)) continue; // one query per attempt is the point of a retry
      if (isBatchLoop(loop.over)) continue; // one query per batch is the fix for N+1, not an instance of it
      const loopLine = startLine(loop.node);
      const headerChanged = added.has(loopLine);
      for (const call of databaseCalls(file.family, index.callsIn(loop.body))) {
        if (reported.has(call.node.id())) continue;
        if (isFlush(call.label, call.node, loop.body)) continue;
        const callChanged = context.touches(call.node);
        if (!callChanged && !headerChanged) continue;
        reported.add(call.node.id());
        const over = loop.over
          ? ` over \`${loop.over.length > 60 ? `${loop.over.slice(0, 57)}...` : loop.over}\``
          : '';
        context.report(
          draftFinding(
            QUERY_IN_LOOP,
            file.path,
            callChanged
              ? headLines(call.node)
              : { start: loopLine, end: loopLine, side: 'RIGHT' },
            {
              title: `\`${call.label}\` runs once per iteration of the loop${over}`,
              body: 'Each element costs a separate database round trip, so latency and database load grow linearly with the data: a hundred rows mean a hundred queries, and the endpoint slows down as the table grows.',
              fix: 'Fetch what the loop needs in one query before it (`WHERE id IN (...)`, `findMany({ where: { id: { in: ids } } })`, a JOIN/`include`, or Django `select_related`/`prefetch_related`), then look results up in a map inside the loop.',
            },
            {
              related: callChanged
                ? []
                : [
                    {
                      path: file.path,
                      line: startLine(call.node),
                      note: `${call.label} runs inside this loop`,
                    },
                  ],
            },
          ),
        );
      }
    }
  },
};
