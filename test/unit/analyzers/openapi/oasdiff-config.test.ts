import { describe, expect, it } from 'vitest';
import { createOpenApiAnalyzer } from '../../../../src/analyzers/openapi/index.ts';
import { analyzerInput, TODAY, yaml } from './builder.ts';

const analyzer = createOpenApiAnalyzer({ now: () => TODAY });

const spec = (extraPath: string, petExtra: string) => yaml`
  openapi: 3.0.3
  info: {title: Pets, version: '1'}
  paths:
    /pets/{id}:
      get:
        parameters:
          - {name: id, in: path, required: true, schema: {type: string}}
        responses:
          '200':
            description: ok
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    id: {type: string}${petExtra}
${extraPath}
`;
const adminPath = `    /admin/stats:
      get:
        responses:
          '200': {description: ok}`;

// The change: /admin/stats goes away, and Pet loses its optional `tag`.
const base = spec(adminPath, '\n                    tag: {type: string}');
const head = spec('', '');

async function review(settings: Record<string, string>) {
  const output = await analyzer.analyze(
    analyzerInput(
      {
        base: { 'openapi.yaml': base, ...settings },
        head: { 'openapi.yaml': head, ...settings },
      },
      [{ path: 'openapi.yaml' }],
    ),
  );
  return {
    findings: output.findings.map((f) => `${f.ruleId} ${f.severity}`).sort(),
    notes: output.notes.map((n) => n.message),
  };
}

describe("the team's oasdiff config", () => {
  it('without one, both changes are reported', async () => {
    expect((await review({})).findings).toEqual([
      'api-contract/api-path-removed-without-deprecation high',
      'api-contract/response-optional-property-removed medium',
    ]);
  });

  it('leaves out whole endpoints with exclude-elements: [endpoints], and says so', async () => {
    expect(
      await review({
        '.oasdiff.yaml': 'exclude-elements:\n  - endpoints\n  - description\n',
      }),
    ).toEqual({
      findings: ['api-contract/response-optional-property-removed medium'],
      notes: [
        "applied the team's .oasdiff.yaml from the base branch (exclude-elements: endpoints)",
      ],
    });
  });

  it('keeps only the paths match-path matches and drops those unmatch-path matches', async () => {
    expect(
      (await review({ 'oasdiff.yaml': 'match-path: ^/pets\n' })).findings,
    ).toEqual(['api-contract/response-optional-property-removed medium']);
    expect(
      (await review({ '.oasdiff.yaml': "unmatch-path: '^/pets/'\n" })).findings,
    ).toEqual(['api-contract/api-path-removed-without-deprecation high']);
  });

  it('takes check levels from the severity-levels file: none turns a check off', async () => {
    const result = await review({
      '.oasdiff.yaml':
        'severity-levels: ./oasdiff-levels.txt\nerr-ignore: ignore.txt\n',
      'oasdiff-levels.txt':
        '# our levels\nresponse-optional-property-removed none\napi-path-removed-without-deprecation warn\n',
    });
    expect(result).toEqual({
      findings: ['api-contract/api-path-removed-without-deprecation medium'],
      notes: [
        "applied the team's .oasdiff.yaml from the base branch (severity-levels from oasdiff-levels.txt (2)); not applied: err-ignore",
      ],
    });
  });

  it('uses the defaults, saying why, when the config does not parse', async () => {
    const result = await review({ '.oasdiff.yaml': "match-path: '('\n" });
    expect(result.findings).toHaveLength(2);
    expect(result.notes[0]).toMatch(
      /^\.oasdiff\.yaml was not applied: .*; oasdiff's defaults were used$/,
    );
  });
});
