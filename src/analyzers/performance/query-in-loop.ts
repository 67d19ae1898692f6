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
  appliesTo: { languages: ['javascript', 'typescript', 'python', 'go', 'java'] },
});

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
      const loopLine = startLine(loop.node);
      const headerChanged = added.has(loopLine);
      for (const call of databaseCalls(file.family, index.callsIn(loop.body))) {
        if (reported.has(call.node.id())) continue;
        const callChanged = context.touches(call.node);
        if (!callChanged && !headerChanged) continue;
        reported.add(call.node.id());
        const over = loop.over ? ` over \`${loop.over.length > 60 ? `${loop.over.slice(0, 57)}...` : loop.over}\`` : '';
        context.report(
          draftFinding(
            QUERY_IN_LOOP,
            file.path,
            callChanged ? headLines(call.node) : { start: loopLine, end: loopLine, side: 'RIGHT' },
            {
              title: `\`${call.label}\` runs once per iteration of the loop${over}`,
              body: 'Each element costs a separate database round trip, so latency and database load grow linearly with the data: a hundred rows mean a hundred queries, and the endpoint slows down as the table grows.',
              fix: 'Fetch what the loop needs in one query before it (`WHERE id IN (...)`, `findMany({ where: { id: { in: ids } } })`, a JOIN/`include`, or Django `select_related`/`prefetch_related`), then look results up in a map inside the loop.',
            },
            { related: callChanged ? [] : [{ path: file.path, line: startLine(call.node), note: `${call.label} runs inside this loop` }] },
          ),
        );
      }
    }
  },
};
