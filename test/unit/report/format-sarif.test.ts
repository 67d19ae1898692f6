import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRule, type RuleDescriptor } from '../../../src/core/rules.ts';
import { formatSarif, relativeUri } from '../../../src/report/format-sarif.ts';
import { coverage, finding, result } from './build-result.ts';

// The parts of the SARIF 2.1.0 schema this log uses. Like the schema, objects allow no keys it does not define.
const Level = z.enum(['none', 'note', 'warning', 'error']);
const Message = z.strictObject({ text: z.string().min(1) });
const PhysicalLocation = z.strictObject({
  artifactLocation: z.strictObject({
    uri: z
      .string()
      .min(1)
      .refine(
        (u) => !u.startsWith('/') && !/^[a-z]+:/i.test(u),
        'relative URI',
      ),
    uriBaseId: z.string(),
  }),
  region: z
    .strictObject({ startLine: z.int().min(1), endLine: z.int().min(1) })
    .refine((r) => r.endLine >= r.startLine),
});
const Location = z.strictObject({ physicalLocation: PhysicalLocation });
const Rule = z.strictObject({
  id: z.string().min(1),
  shortDescription: Message,
  helpUri: z.url().optional(),
  defaultConfiguration: z.strictObject({ level: Level }),
  properties: z.looseObject({
    tags: z.array(z.string()).refine((t) => new Set(t).size === t.length),
  }),
});
const Result = z.strictObject({
  ruleId: z.string(),
  ruleIndex: z.int().min(-1),
  level: Level,
  message: Message,
  locations: z.array(Location).min(1),
  relatedLocations: z
    .array(
      z.strictObject({
        id: z.int().min(-1),
        physicalLocation: PhysicalLocation,
        message: Message,
      }),
    )
    .optional(),
  partialFingerprints: z.record(z.string(), z.string()),
  properties: z.looseObject({}),
});
const SarifLog = z.strictObject({
  $schema: z.url(),
  version: z.literal('2.1.0'),
  runs: z
    .array(
      z.strictObject({
        tool: z.strictObject({
          driver: z.strictObject({
            name: z.string(),
            version: z.string(),
            informationUri: z.url(),
            rules: z.array(Rule),
          }),
        }),
        invocations: z.array(
          z.strictObject({
            executionSuccessful: z.boolean(),
            toolExecutionNotifications: z.array(
              z.strictObject({
                level: Level,
                message: Message,
                locations: z.array(Location).optional(),
              }),
            ),
          }),
        ),
        results: z.array(Result),
        columnKind: z.enum(['utf16CodeUnits', 'unicodeCodePoints']),
      }),
    )
    .length(1),
});

const DOCS = 'https://docs.example/architect';
const rules: RuleDescriptor[] = [
  defineRule({
    id: 'schema/adding-not-nullable-field',
    severity: 'high',
    title: 'Adding a NOT NULL column without a default',
    appliesTo: { fileKinds: ['sql-migration'] },
  }),
  defineRule({
    id: 'security/hardcoded-secret',
    severity: 'critical',
    title: 'Secret committed to the repository',
    appliesTo: { fileKinds: ['any-text'] },
  }),
];

describe('formatSarif', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.ARCHITECT_DOCS_URL;
    process.env.ARCHITECT_DOCS_URL = DOCS;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.ARCHITECT_DOCS_URL;
    else process.env.ARCHITECT_DOCS_URL = saved;
  });

  const findings = [
    finding({
      id: 'aaaa0001',
      fingerprint: 'f1',
      severity: 'critical',
      path: 'db/1.sql',
      lines: { start: 12, end: 14, side: 'RIGHT' },
      fix: 'Add a default.',
    }),
    finding({
      id: 'aaaa0002',
      fingerprint: 'f2',
      severity: 'medium',
      source: 'model',
      lens: 'security',
      ruleId: 'security/model',
      confidence: 0.9,
      path: 'src/my app/[id].ts',
      lines: undefined,
      placement: { kind: 'file', reason: 'about the file as a whole' },
      title: 'Token logged',
      body: 'The token reaches the log.',
      related: [{ path: 'src/log.ts', line: 8, note: 'the logger' }],
    }),
    finding({
      id: 'aaaa0003',
      fingerprint: 'f3',
      severity: 'low',
      ruleId: 'performance/unbounded-query',
      lens: 'performance',
      lines: { start: 5, end: 5, side: 'LEFT' },
    }),
  ];
  const cov = coverage({
    complete: false,
    files: [{ path: 'big.sql', status: 'not-reviewed', reasons: ['no diff'] }],
    notes: [
      {
        source: 'sql',
        message: 'could not analyse',
        path: 'db/2.sql',
        line: 3,
      },
    ],
    model: {
      status: 'partial',
      detail: 'timeout',
      chunksTotal: 2,
      chunksReviewed: 1,
    },
  });
  const parse = (): z.infer<typeof SarifLog> =>
    SarifLog.parse(
      JSON.parse(
        formatSarif(result({ findings, coverage: cov }), {
          rules,
          toolVersion: '0.1.0',
        }),
      ),
    );

  it('is a valid SARIF 2.1.0 log by the schema’s essential rules', () => {
    const log = parse();
    expect(log.runs[0]!.tool.driver).toMatchObject({
      name: 'Backend Architect',
      version: '0.1.0',
      informationUri: 'https://github.com/backend-architect/backend-architect',
    });
  });

  it('describes every rule, adding entries for model rules and unknown analyzer rules', () => {
    const driverRules = parse().runs[0]!.tool.driver.rules;
    expect(driverRules.map((r) => r.id)).toEqual([
      'schema/adding-not-nullable-field',
      'security/hardcoded-secret',
      'performance/unbounded-query',
      'security/model',
    ]);
    expect(driverRules[0]).toEqual({
      id: 'schema/adding-not-nullable-field',
      shortDescription: { text: 'Adding a NOT NULL column without a default' },
      helpUri: `${DOCS}/docs/rules/schema/adding-not-nullable-field.md`,
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['schema'] },
    });
    expect(driverRules[1]!.properties).toEqual({
      tags: ['security'],
      'security-severity': '9.5',
    });
    expect(driverRules[2]).toMatchObject({
      shortDescription: { text: 'performance/unbounded-query' },
      helpUri: `${DOCS}/docs/rules/performance/unbounded-query.md`,
    });
    expect(driverRules[3]).toEqual({
      id: 'security/model',
      shortDescription: { text: 'Security finding from the AI review' },
      defaultConfiguration: { level: 'warning' },
      properties: { tags: ['security'], 'security-severity': '5.5' },
    });
  });

  it('reports each finding with level, message, location and fingerprint', () => {
    const log = parse();
    const [critical, model, removed] = log.runs[0]!.results;
    const rulesById = log.runs[0]!.tool.driver.rules.map((r) => r.id);
    expect(critical).toEqual({
      ruleId: 'schema/adding-not-nullable-field',
      ruleIndex: 0,
      level: 'error',
      message: {
        text: 'NOT NULL column without a default\n\nExisting rows have no value for `email`, so the migration fails on a non-empty table.\n\nFix: Add a default.',
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'db/1.sql', uriBaseId: '%SRCROOT%' },
            region: { startLine: 12, endLine: 14 },
          },
        },
      ],
      partialFingerprints: { 'backendArchitect/v1': 'f1' },
      properties: {
        id: 'aaaa0001',
        lens: 'schema',
        severity: 'critical',
        source: 'analyzer',
      },
    });
    expect(rulesById[model!.ruleIndex]).toBe('security/model');
    expect(model).toMatchObject({
      level: 'warning',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'src/my%20app/%5Bid%5D.ts' },
            region: { startLine: 1, endLine: 1 },
          },
        },
      ],
      relatedLocations: [
        {
          id: 1,
          message: { text: 'the logger' },
          physicalLocation: { region: { startLine: 8, endLine: 8 } },
        },
      ],
      properties: { confidence: 0.9, source: 'model' },
    });
    expect(removed).toMatchObject({
      level: 'note',
      ruleIndex: 2,
      locations: [
        { physicalLocation: { region: { startLine: 1, endLine: 1 } } },
      ],
    });
    expect(removed!.message.text).toContain(
      'About removed line 5 of the base revision.',
    );
  });

  it('reports coverage gaps as tool notifications', () => {
    const notes = parse().runs[0]!.invocations[0]!.toolExecutionNotifications;
    expect(notes.map((n) => n.message.text)).toEqual([
      'AI review incomplete (1 of 2 chunks): timeout',
      'Not reviewed: no diff',
      'sql: could not analyse',
    ]);
    expect(notes[2]!.locations![0]!.physicalLocation.region).toEqual({
      startLine: 3,
      endLine: 3,
    });
  });

  it('is valid with no findings', () => {
    const log = SarifLog.parse(
      JSON.parse(formatSarif(result(), { rules: [], toolVersion: '1.0.0' })),
    );
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.tool.driver.rules).toEqual([]);
  });
});

describe('relativeUri', () => {
  it('encodes segments and drops leading ./ and /', () => {
    expect(relativeUri('./src/a b/c#d.ts')).toBe('src/a%20b/c%23d.ts');
    expect(relativeUri('/abs/x.ts')).toBe('abs/x.ts');
    expect(relativeUri('win\\path.ts')).toBe('win/path.ts');
  });
});
