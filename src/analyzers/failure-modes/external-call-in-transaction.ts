import type { CodeCheck } from '../code/code-analyzer.ts';
import { draftFinding, headLines } from '../code/findings.ts';
import { startLine } from '../code/syntax.ts';
import {
  externalCallViaImport,
  externalCalls,
  type ExternalCall,
} from './external-calls.ts';
import { transactionScopes } from './transactions.ts';
import { defineRule } from '../../core/rules.ts';

export const EXTERNAL_CALL_IN_TRANSACTION = defineRule({
  id: 'failure-mode/external-call-in-transaction',
  severity: 'medium',
  title: 'External call inside a database transaction',
  appliesTo: {
    languages: ['javascript', 'typescript', 'python', 'go', 'java'],
  },
});

/** An external call, or a call into another changed file that makes one (with where it does). */
type Reported = ExternalCall & {
  related?: { path: string; line: number; note: string };
};

const CONSEQUENCE: Record<ExternalCall['kind'], string> = {
  http: 'The transaction keeps its database connection and every row lock taken so far while waiting for the remote side, so a slow upstream exhausts the connection pool and blocks other writers. If the transaction then rolls back, the remote side keeps the effect of a change that never committed.',
  message:
    'The message goes out before the transaction commits: consumers can act on rows that are not visible yet or that are rolled back later, and a rollback or crash after publishing leaves the two sides disagreeing.',
  email:
    'The e-mail is sent before the transaction commits; if it rolls back, the recipient has been told about something that never happened, and the transaction held its locks while the mail server answered.',
};

/**
 * HTTP calls, message publishing and e-mail inside a database transaction. Reported when either the
 * call or the transaction around it is part of the change.
 */
export const externalCallInTransaction: CodeCheck = {
  rules: [EXTERNAL_CALL_IN_TRANSACTION],
  families: ['js', 'python', 'go', 'java'],
  run(context) {
    const { file, added, index } = context;
    const reported = new Set<number>();
    for (const scope of transactionScopes(file, index)) {
      const openerLine = startLine(scope.opener);
      const openerChanged = added.has(openerLine);
      for (const body of scope.bodies) {
        const sites = index.callsIn(body);
        const direct = externalCalls(file, sites);
        const known = new Set(direct.map((call) => call.node.id()));
        // Calls into another changed file that makes the external call there.
        const indirect = sites.flatMap((site): Reported[] => {
          if (known.has(site.node.id())) return [];
          const via = externalCallViaImport(file, site, context.importedFile);
          return via
            ? [
                {
                  node: site.node,
                  kind: via.call.kind,
                  label: `${site.callee}() (which calls ${via.call.label})`,
                  related: {
                    path: via.file.path,
                    line: startLine(via.call.node),
                    note: `${via.call.label} is made here`,
                  },
                },
              ]
            : [];
        });
        for (const call of [...direct, ...indirect] as Reported[]) {
          if (reported.has(call.node.id())) continue;
          const callChanged = context.touches(call.node);
          if (!callChanged && !openerChanged) continue;
          reported.add(call.node.id());
          const related = [
            ...(call.related ? [call.related] : []),
            ...(callChanged
              ? []
              : [
                  {
                    path: file.path,
                    line: startLine(call.node),
                    note: `${call.label} runs inside this transaction`,
                  },
                ]),
          ];
          context.report(
            draftFinding(
              EXTERNAL_CALL_IN_TRANSACTION,
              file.path,
              callChanged
                ? headLines(call.node)
                : { start: openerLine, end: openerLine, side: 'RIGHT' },
              {
                title: `${call.label} inside the transaction opened by ${scope.label}`,
                body: CONSEQUENCE[call.kind],
                fix: 'Move the call out of the transaction: do it after the commit (or before the transaction starts), or write an outbox row inside the transaction and deliver it from there once committed.',
              },
              { related },
            ),
          );
        }
      }
    }
  },
};
