import type { SchemaDiff } from '../diff/schema-diff.ts';
import type { ChangeSink } from './context.ts';

/** Where a schema sits: the body of a request or response, or a part below it. */
export interface SchemaScope {
  direction: 'request' | 'response';
  /** Left out when the findings are recorded once and replayed for each operation. */
  operation?: { method: string; path: string };
  mediaType: string;
  status?: string;
}

/** One changed schema node as the rules see it. */
export interface Node {
  /** `request-body`, `request-property`, `response-body`, ... : the first part of the rule ids. */
  prefix: string;
  diff: SchemaDiff;
  property: string;
  scope: SchemaScope;
  body: boolean;
}

/** Reports a rule on a node, if the catalog knows the id (generic ids are built from parts). */
export function emit(
  ctx: ChangeSink,
  node: Node,
  id: string,
  side: 'base' | 'head',
  key: string | undefined,
  facts: Record<string, string | undefined>,
): void {
  ctx.emitIfKnown(id, {
    operation: node.scope.operation,
    side,
    nodes: [side === 'head' ? node.diff.head : node.diff.base],
    key,
    facts: {
      property: node.property || undefined,
      mediaType: node.scope.mediaType,
      status: node.scope.status,
      ...facts,
    },
  });
}
