import { describe, expect, it } from 'vitest';
import { createGraphqlAnalyzer } from '../../../../src/analyzers/graphql/index.ts';
import {
  revisionsInput,
  type ChangedPath,
  type Revisions,
} from '../../../support/revisions.ts';

// gqlgen style: root.graphql declares Query and Mutation, each resolver file extends them.
const ROOT = `type Query {
  siteInfo: SiteInfo!
}

type Mutation {
  initialSetup(username: String!): Boolean!
}
`;

const SITE_INFO = `type SiteInfo {
  initialSetup: Boolean!
  thumbnailMethod: ThumbnailFilter!
}
`;

const THUMBNAILS = `enum ThumbnailFilter {
  NearestNeighbor
  Lanczos
}

extend type Mutation {
  setThumbnailDownsampleMethod(method: ThumbnailFilter!): ThumbnailFilter!
}
`;

const DIR = 'api/graphql/resolvers';

async function run(revisions: Revisions, changed: ChangedPath[]) {
  return createGraphqlAnalyzer().analyze(revisionsInput(revisions, changed));
}

const summary = (
  findings: Awaited<ReturnType<typeof run>>['findings'],
): string[] =>
  findings
    .map(
      (f) =>
        `${f.ruleId} ${f.path}:${f.lines?.start ?? '-'}${f.lines?.side === 'LEFT' ? 'L' : ''} ${f.title}`,
    )
    .sort();

describe('graphql analyzer on a schema split over several files', () => {
  it('reports a deleted file that extended Mutation as its removed field and enum, not as a removed Mutation type [+api-contract/graphql-field-removed +api-contract/graphql-type-removed -api-contract/graphql-schema-mutation-type-changed]', async () => {
    const { findings, notes } = await run(
      {
        base: {
          [`${DIR}/root.graphql`]: ROOT,
          [`${DIR}/site_info.graphql`]: SITE_INFO,
          [`${DIR}/thumbnails.graphql`]: THUMBNAILS,
        },
        head: {
          [`${DIR}/root.graphql`]: ROOT,
          [`${DIR}/site_info.graphql`]: SITE_INFO.replace(
            '  thumbnailMethod: ThumbnailFilter!\n',
            '',
          ),
        },
      },
      [
        { path: `${DIR}/site_info.graphql` },
        { path: `${DIR}/thumbnails.graphql` },
      ],
    );
    expect(notes).toEqual([]);
    expect(summary(findings)).toEqual(
      [
        `api-contract/graphql-field-removed ${DIR}/site_info.graphql:3L Field 'thumbnailMethod' was removed from object type 'SiteInfo'`,
        `api-contract/graphql-field-removed ${DIR}/thumbnails.graphql:7L Field 'setThumbnailDownsampleMethod' was removed from object type 'Mutation'`,
        `api-contract/graphql-type-removed ${DIR}/thumbnails.graphql:1L Type 'ThumbnailFilter' was removed`,
      ].sort(),
    );
  });

  it('anchors a value added to an enum on the file that declares it, and leaves unchanged siblings alone [-api-contract/graphql-type-removed -api-contract/graphql-field-removed]', async () => {
    const base = {
      [`${DIR}/root.graphql`]: ROOT,
      [`${DIR}/thumbnails.graphql`]: THUMBNAILS,
    };
    const { findings, notes } = await run(
      {
        base,
        head: {
          ...base,
          [`${DIR}/thumbnails.graphql`]: THUMBNAILS.replace(
            '  Lanczos\n',
            '  Lanczos\n  Box\n',
          ),
        },
      },
      [{ path: `${DIR}/thumbnails.graphql` }],
    );
    expect(notes).toEqual([]);
    expect(summary(findings)).toEqual([
      `api-contract/graphql-enum-value-added ${DIR}/thumbnails.graphql:4 Enum value 'Box' was added to enum 'ThumbnailFilter'`,
    ]);
  });

  it('still reports a removed type declared in a file of the schema [+api-contract/graphql-type-removed]', async () => {
    const { findings } = await run(
      {
        base: {
          [`${DIR}/root.graphql`]: ROOT,
          [`${DIR}/extra.graphql`]: 'type Extra {\n  id: ID!\n}\n',
        },
        head: { [`${DIR}/root.graphql`]: ROOT },
      },
      [{ path: `${DIR}/extra.graphql` }],
    );
    expect(summary(findings)).toEqual([
      `api-contract/graphql-type-removed ${DIR}/extra.graphql:1L Type 'Extra' was removed`,
    ]);
  });

  it('compares files that each define the same type (separate schemas in one folder) one by one, as before [+api-contract/graphql-field-removed]', async () => {
    const a = 'type Query {\n  a: Int\n  b: Int\n}\n';
    const { findings } = await run(
      {
        base: { 'svc/a.graphql': a, 'svc/b.graphql': a },
        head: {
          'svc/a.graphql': a.replace('  b: Int\n', ''),
          'svc/b.graphql': a,
        },
      },
      [{ path: 'svc/a.graphql' }],
    );
    expect(summary(findings)).toEqual([
      "api-contract/graphql-field-removed svc/a.graphql:3L Field 'b' was removed from object type 'Query'",
    ]);
  });

  it('reports a changed mutation root on the file with the schema definition [+api-contract/graphql-schema-mutation-type-changed]', async () => {
    const schema = 'schema {\n  query: Query\n  mutation: Mutation\n}\n\n';
    const { findings } = await run(
      {
        base: {
          [`${DIR}/root.graphql`]: schema + ROOT,
          [`${DIR}/thumbnails.graphql`]: THUMBNAILS,
        },
        head: {
          [`${DIR}/root.graphql`]:
            schema.replace('mutation: Mutation', 'mutation: AdminMutation') +
            ROOT,
          [`${DIR}/thumbnails.graphql`]: THUMBNAILS,
          [`${DIR}/admin.graphql`]:
            'type AdminMutation {\n  reset: Boolean\n}\n',
        },
      },
      [{ path: `${DIR}/root.graphql` }, { path: `${DIR}/admin.graphql` }],
    );
    expect(
      summary(findings).filter((line) =>
        line.includes('graphql-schema-mutation-type-changed'),
      ),
    ).toEqual([
      expect.stringMatching(
        /^api-contract\/graphql-schema-mutation-type-changed api\/graphql\/resolvers\/root\.graphql:1 /,
      ),
    ]);
  });

  it('composes a schema spread over several folders when gqlgen.yml or graphql-config lists them [-api-contract/graphql-type-removed -api-contract/graphql-schema-mutation-type-changed]', async () => {
    const files = {
      'api/schema/root.graphql': ROOT,
      'api/schema/site_info.graphql': SITE_INFO,
      'api/resolvers/thumbnails/thumbnails.graphqls': THUMBNAILS,
    };
    const removeField = (text: string) =>
      text.replace(
        'extend type Mutation {\n  setThumbnailDownsampleMethod(method: ThumbnailFilter!): ThumbnailFilter!\n}\n',
        'extend type Query {\n  thumbnailMethods: [ThumbnailFilter!]!\n}\n',
      );
    const changed = [{ path: 'api/resolvers/thumbnails/thumbnails.graphqls' }];
    const configs: Record<string, string> = {
      'api/gqlgen.yml':
        'schema:\n  - schema/*.graphql\n  - resolvers/**/*.graphqls\n',
      '.graphqlrc.yml':
        'projects:\n  api:\n    schema: ["api/schema/*.graphql", "api/resolvers/**/*.graphqls"]\n',
      'graphql.config.json': '{"schema": ["./api/**/*.{graphql,graphqls}"]}',
    };
    for (const [config, text] of Object.entries(configs)) {
      const { findings, notes } = await run(
        {
          base: { ...files, [config]: text },
          head: {
            ...files,
            [config]: text,
            'api/resolvers/thumbnails/thumbnails.graphqls':
              removeField(THUMBNAILS),
          },
        },
        changed,
      );
      expect(notes, config).toEqual([]);
      // Without the config the file alone would lose its whole `Mutation` extension; with it only the field goes.
      expect(summary(findings), config).toEqual([
        "api-contract/graphql-field-removed api/resolvers/thumbnails/thumbnails.graphqls:7L Field 'setThumbnailDownsampleMethod' was removed from object type 'Mutation'",
      ]);
    }
    // Without a config the folders stay apart: the lone file seems to lose its whole `Mutation`.
    const { findings } = await run(
      {
        base: files,
        head: {
          ...files,
          'api/resolvers/thumbnails/thumbnails.graphqls':
            removeField(THUMBNAILS),
        },
      },
      changed,
    );
    expect(summary(findings)).toEqual([
      "api-contract/graphql-schema-mutation-type-changed api/resolvers/thumbnails/thumbnails.graphqls:- Schema mutation type 'Mutation' was removed.",
      "api-contract/graphql-type-removed api/resolvers/thumbnails/thumbnails.graphqls:6L Type 'Mutation' was removed",
    ]);
  });
});
