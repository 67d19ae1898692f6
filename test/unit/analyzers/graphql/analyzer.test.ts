import { describe, expect, it } from 'vitest';
import { createGraphqlAnalyzer } from '../../../../src/analyzers/graphql/index.ts';
import { sdlSources } from '../../../../src/analyzers/graphql/extract.ts';
import {
  revisionsInput,
  type ChangedPath,
  type Revisions,
} from '../../../support/revisions.ts';

const SCHEMA_V1 = `type Query {
  order(id: ID!): Order
  orders(first: Int = 20): [Order!]!
}

type Order {
  id: ID!
  total: Int!
  note: String
  status: Status!
}

enum Status {
  OPEN
  PAID
}
`;

const analyzer = createGraphqlAnalyzer();

async function run(
  revisions: Revisions,
  changed: ChangedPath[] = [{ path: 'schema.graphql' }],
  options = analyzer,
) {
  return options.analyze(revisionsInput(revisions, changed));
}

describe('graphql analyzer', () => {
  it('reports breaking changes as high and dangerous ones as medium, on the element line, and leaves non-breaking ones out', async () => {
    const head = SCHEMA_V1.replace('  note: String\n', '')
      .replace('orders(first: Int = 20)', 'orders(first: Int = 50)')
      .replace('  PAID\n', '  PAID\n  REFUNDED\n')
      .replace('  total: Int!', '  total: Int!\n  currency: String');
    const { findings, notes } = await run({
      base: { 'schema.graphql': SCHEMA_V1 },
      head: { 'schema.graphql': head },
    });
    expect(notes).toEqual([]);
    expect(findings.map((f) => [f.ruleId, f.severity, f.lines]).sort()).toEqual(
      [
        [
          'api-contract/graphql-field-removed',
          'high',
          { start: 9, end: 9, side: 'LEFT' },
        ],
        [
          'api-contract/graphql-field-argument-default-changed',
          'medium',
          { start: 3, end: 3, side: 'RIGHT' },
        ],
        [
          'api-contract/graphql-enum-value-added',
          'medium',
          { start: 16, end: 16, side: 'RIGHT' },
        ],
      ].sort(),
    );
    const removed = findings.find((f) => f.ruleId.endsWith('field-removed'))!;
    expect(removed.title).toBe(
      "Field 'note' was removed from object type 'Order'",
    );
    expect(removed.body).toMatch(/What breaks for clients/);
    expect(removed.fix).toMatch(/@deprecated/);
  });

  it('reports non-breaking changes as low when configured to', async () => {
    const head = SCHEMA_V1.replace(
      '  total: Int!',
      '  total: Int!\n  currency: String',
    );
    const verbose = createGraphqlAnalyzer({ reportNonBreaking: true });
    const { findings } = await run(
      {
        base: { 'schema.graphql': SCHEMA_V1 },
        head: { 'schema.graphql': head },
      },
      undefined,
      verbose,
    );
    expect(findings.map((f) => [f.ruleId, f.severity, f.lines?.start])).toEqual(
      [['api-contract/graphql-field-added', 'low', 9]],
    );
  });

  it('reads SDL from gql-tagged template literals in code, with file line numbers, and skips interpolated ones and operations', async () => {
    const code = (schema: string) =>
      `import gql from 'graphql-tag';\n\nexport const typeDefs = gql\`\n${schema}\`;\n\nexport const QUERY = gql\`query { orders { id } }\`;\nexport const dynamic = gql\`type X { \${field}: Int }\`;\n`;
    const head = SCHEMA_V1.replace('  total: Int!', '  total: Float!');
    const { findings, notes } = await run(
      {
        base: { 'src/schema.ts': code(SCHEMA_V1) },
        head: { 'src/schema.ts': code(head) },
      },
      [{ path: 'src/schema.ts' }],
    );
    expect(notes).toEqual([]);
    expect(findings.map((f) => [f.ruleId, f.path, f.lines?.start])).toEqual([
      ['api-contract/graphql-field-type-changed', 'src/schema.ts', 11],
    ]);
    expect(sdlSources('src/schema.ts', code(SCHEMA_V1))).toHaveLength(2);
  });

  it('compares one part of a larger schema on its own: types defined elsewhere and federation extensions', async () => {
    const subgraph = (fields: string) =>
      `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n\ntype Review @key(fields: "id") {\n  id: ID!\n  author: User!\n${fields}}\n\nextend type Query {\n  reviews(productId: ID!): [Review!]!\n}\n`;
    const { findings, notes } = await run(
      {
        base: {
          'reviews.graphql': subgraph('  body: String!\n  rating: Int\n'),
        },
        head: { 'reviews.graphql': subgraph('  body: String!\n') },
      },
      [{ path: 'reviews.graphql' }],
    );
    expect(notes).toEqual([]);
    expect(findings.map((f) => f.title)).toEqual([
      "Field 'rating' was removed from object type 'Review'",
    ]);
  });

  it('does not report a type that moved to another changed file as removed', async () => {
    const order = 'type Order {\n  id: ID!\n}\n';
    const query = 'type Query {\n  order: Order\n}\n';
    const { findings } = await run(
      {
        base: {
          'a.graphql': `${query}\n${order}`,
          'b.graphql': 'scalar Date\n',
        },
        head: { 'a.graphql': query, 'b.graphql': `scalar Date\n\n${order}` },
      },
      [{ path: 'a.graphql' }, { path: 'b.graphql' }],
    );
    expect(findings).toEqual([]);
  });

  it('says in coverage when a revision does not parse, instead of reporting every type as removed', async () => {
    const { findings, notes } = await run({
      base: { 'schema.graphql': SCHEMA_V1 },
      head: {
        'schema.graphql': SCHEMA_V1.replace('type Order {', 'type Order {{'),
      },
    });
    expect(findings).toEqual([]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ path: 'schema.graphql', line: 6 });
    expect(notes[0]!.message).toMatch(
      /^not checked for schema changes: the head schema does not build/,
    );
  });

  it('ignores .graphql files that hold only operations, and code without SDL', async () => {
    const { findings, notes } = await run(
      {
        base: {
          'ops/orders.graphql': 'query A { orders { id } }\n',
          'src/a.ts': 'export const a = 1;\n',
        },
        head: {
          'ops/orders.graphql': 'query A { orders { id total } }\n',
          'src/a.ts': 'export const a = 2;\n',
        },
      },
      [{ path: 'ops/orders.graphql' }, { path: 'src/a.ts' }],
    );
    expect({ findings, notes }).toEqual({ findings: [], notes: [] });
  });

  it('reports a deleted schema file', async () => {
    const { findings } = await run({
      base: { 'schema.graphql': SCHEMA_V1 },
      head: {},
    });
    expect(findings.map((f) => f.ruleId)).toContain(
      'api-contract/graphql-type-removed',
    );
    expect(findings.every((f) => f.severity === 'high')).toBe(true);
  });
});
