import type { CodeCheck } from '../code/code-analyzer.ts';
import { draftFinding, headLines } from '../code/findings.ts';
import { connectionFactories } from './connection-factories.ts';
import { defineRule } from '../../core/rules.ts';

export const CONNECTION_PER_REQUEST = defineRule({
  id: 'performance/connection-per-request',
  severity: 'high',
  title: 'Database pool or connection created per request',
  appliesTo: {
    languages: ['javascript', 'typescript', 'python', 'go', 'java'],
  },
});

/**
 * A database pool, client or connection created inside a request handler. A pool per request is
 * high (connections pile up until the database refuses everyone); a single connection per request is
 * medium (a handshake per request, and no cap on concurrent connections).
 */
export const connectionPerRequest: CodeCheck = {
  rules: [CONNECTION_PER_REQUEST],
  families: ['js', 'python', 'go', 'java'],
  run(context) {
    for (const factory of connectionFactories(
      context.file,
      context.index.calls,
    )) {
      if (
        !context.touches(factory.node) ||
        !context.inRequestHandler(factory.node)
      )
        continue;
      const pool = factory.kind === 'pool';
      context.report(
        draftFinding(
          CONNECTION_PER_REQUEST,
          context.file.path,
          headLines(factory.node),
          {
            title: pool
              ? `\`${factory.label}\` builds a new pool on every request`
              : `\`${factory.label}\` opens a new database connection on every request`,
            body: pool
              ? 'Each request creates its own pool or client with its own connections, pays the connect/TLS/auth handshake again, and usually never closes them. Under load the open connections pile up until the database hits its connection limit and refuses every client.'
              : "Each request pays a full connect/TLS/auth handshake, and nothing caps how many connections concurrent requests open at once, so a traffic spike exceeds the database's connection limit.",
            fix: 'Create the pool or client once at startup (module scope, an application factory, or dependency injection) and reuse it in handlers; take a connection from that pool per request.',
          },
          { severity: pool ? 'high' : 'medium' },
        ),
      );
    }
  },
};
