import { describe, expect, it } from 'vitest';
import { createOpenApiAnalyzer } from '../../../../src/analyzers/openapi/index.ts';
import { analyzerInput, TODAY, yaml } from './builder.ts';

const analyzer = createOpenApiAnalyzer({ now: () => TODAY });

const petstore = (petSchema: string, extraOperation = '') => yaml`
  openapi: 3.0.3
  info: {title: Pets, version: '1'}
  paths:
    /pets:
      get:
        responses:
          '200':
            description: ok
            content:
              application/json:
                schema:
                  type: array
                  items: {$ref: '#/components/schemas/Pet'}
${extraOperation}
    /pets/{id}:
      get:
        parameters:
          - {name: id, in: path, required: true, schema: {type: string}}
        responses:
          '200':
            description: ok
            content:
              application/json:
                schema: {$ref: '#/components/schemas/Pet'}
  components:
    schemas:
      Pet:
${petSchema}
`;

const pet = (extra = '') => `        type: object
        required: [id, name]
        properties:
          id: {type: string}
          name: {type: string}${extra}`;

const createPet = `      post:
        requestBody:
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
        responses:
          '201': {description: created}`;

describe('openapi analyzer', () => {
  it('reports a response property removed at its base line, once for every operation that shares it', async () => {
    const base = petstore(pet('\n          tag: {type: string}'));
    const head = petstore(pet());
    const { findings, notes } = await analyzer.analyze(
      analyzerInput(
        {
          base: { 'api/openapi.yaml': base },
          head: { 'api/openapi.yaml': head },
        },
        [{ path: 'api/openapi.yaml' }],
      ),
    );
    expect(notes).toEqual([]);
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding).toMatchObject({
      lens: 'api-contract',
      source: 'analyzer',
      ruleId: 'api-contract/response-optional-property-removed',
      severity: 'medium',
      path: 'api/openapi.yaml',
      lines: {
        start: base.split('\n').findIndex((l) => l.includes('tag:')) + 1,
        side: 'LEFT',
      },
    });
    expect(finding!.body).toContain('`GET /pets`');
    expect(finding!.body).toContain('`GET /pets/{id}`');
    expect(finding!.fix).toMatch(/deprecated/);
  });

  it('says once what a shared schema change breaks: lesser changes on the same line are named in the most severe one', async () => {
    // Pet is both the POST body and the GET response: removing a required property is a response
    // break (high) and a request change (medium), both anchored on the removed line.
    const base = petstore(pet(), createPet);
    const head = petstore(
      pet()
        .replace('required: [id, name]', 'required: [id]')
        .replace('\n          name: {type: string}', ''),
      createPet,
    );
    const { findings } = await analyzer.analyze(
      analyzerInput(
        { base: { 'openapi.yaml': base }, head: { 'openapi.yaml': head } },
        [{ path: 'openapi.yaml' }],
      ),
    );
    const nameLine =
      base.split('\n').findIndex((l) => l.includes('name: {type: string}')) + 1;
    const onNameLine = findings.filter(
      (f) => f.lines?.start === nameLine && f.lines.side === 'LEFT',
    );
    expect(onNameLine.map((f) => [f.ruleId, f.severity])).toEqual([
      ['api-contract/response-required-property-removed', 'high'],
    ]);
    expect(onNameLine[0]!.body).toMatch(
      /Also on this line: .*`api-contract\/request-property-removed`, medium/,
    );
  });

  it('reports a request property replaced by a new required one as one break, naming the old one', async () => {
    const signIn = (credentials: string) => yaml`
      openapi: 3.0.3
      info: {title: Auth, version: '1'}
      paths:
        /signin:
          post:
            requestBody:
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      sso:
${credentials}
            responses:
              '200': {description: ok}
    `;
    const base = signIn(`                        type: object
                        properties:
                          idpId: {type: integer}
                          code: {type: string}`);
    const head = signIn(`                        type: object
                        required: [idpName]
                        properties:
                          idpName: {type: string}
                          code: {type: string}`);
    const { findings } = await analyzer.analyze(
      analyzerInput(
        { base: { 'openapi.yaml': base }, head: { 'openapi.yaml': head } },
        [{ path: 'openapi.yaml' }],
      ),
    );
    expect(findings.map((f) => f.ruleId)).toEqual([
      'api-contract/new-required-request-property',
    ]);
    expect(findings[0]!.body).toContain('It takes the place of `idpId`');

    // Removed without a required replacement, the removal is its own finding.
    const optional = signIn(`                        type: object
                        properties:
                          idpName: {type: string}
                          code: {type: string}`);
    const { findings: alone } = await analyzer.analyze(
      analyzerInput(
        { base: { 'openapi.yaml': base }, head: { 'openapi.yaml': optional } },
        [{ path: 'openapi.yaml' }],
      ),
    );
    expect(alone.map((f) => f.ruleId)).toEqual([
      'api-contract/request-property-removed',
    ]);
  });

  it('reports a tightened request property on the head line of the keyword', async () => {
    const base = petstore(pet(), createPet);
    const head = petstore(
      pet().replace(
        'name: {type: string}',
        'name:\n            type: string\n            maxLength: 20',
      ),
      createPet,
    );
    const { findings } = await analyzer.analyze(
      analyzerInput(
        { base: { 'openapi.yaml': base }, head: { 'openapi.yaml': head } },
        [{ path: 'openapi.yaml' }],
      ),
    );
    expect(
      findings.map((f) => [
        f.ruleId,
        f.severity,
        f.lines?.side,
        f.lines?.start,
      ]),
    ).toEqual([
      [
        'api-contract/request-property-max-length-set',
        'medium',
        'RIGHT',
        head.split('\n').findIndex((l) => l.includes('maxLength: 20')) + 1,
      ],
    ]);
    expect(findings[0]!.title).toBe(
      'Request property `name` now has a maximum length of 20',
    );
    expect(findings[0]!.body).toContain('400');
  });

  it('reports a removed endpoint as high severity and stays quiet on additions', async () => {
    const base = petstore(pet(), createPet);
    const removed = await analyzer.analyze(
      analyzerInput(
        {
          base: { 'openapi.yaml': base },
          head: { 'openapi.yaml': petstore(pet()) },
        },
        [{ path: 'openapi.yaml' }],
      ),
    );
    expect(
      removed.findings.map((f) => [f.ruleId, f.severity, f.lines?.side]),
    ).toEqual([
      ['api-contract/api-removed-without-deprecation', 'high', 'LEFT'],
    ]);
    const added = await analyzer.analyze(
      analyzerInput(
        {
          base: { 'openapi.yaml': petstore(pet()) },
          head: { 'openapi.yaml': base },
        },
        [{ path: 'openapi.yaml' }],
      ),
    );
    expect(added.findings).toEqual([]);
  });

  it('follows a renamed spec and reports base-side lines under the new name', async () => {
    const base = petstore(pet('\n          tag: {type: string}'));
    const { findings } = await analyzer.analyze(
      analyzerInput(
        {
          base: { 'old/openapi.yaml': base },
          head: { 'new/openapi.yaml': petstore(pet()) },
        },
        [{ path: 'new/openapi.yaml', previousPath: 'old/openapi.yaml' }],
      ),
    );
    expect(findings.map((f) => [f.path, f.lines?.side])).toEqual([
      ['new/openapi.yaml', 'LEFT'],
    ]);
  });

  it('reports the endpoints of a deleted spec as one finding', async () => {
    const { findings } = await analyzer.analyze(
      analyzerInput(
        { base: { 'openapi.yaml': petstore(pet(), createPet) }, head: {} },
        [{ path: 'openapi.yaml' }],
      ),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'api-contract/api-path-removed-without-deprecation',
      severity: 'high',
      title:
        '3 endpoints removed with the spec file, without prior deprecation',
    });
  });

  it('notes a spec it cannot parse, with the line, and goes on with the other files', async () => {
    const broken =
      'openapi: 3.0.3\ninfo: {title: x, version: "1"}\npaths:\n  /a: [\n';
    const input = analyzerInput(
      {
        base: {
          'a.yaml': petstore(pet()),
          'b.yaml': petstore(pet('\n          tag: {type: string}')),
        },
        head: { 'a.yaml': broken, 'b.yaml': petstore(pet()) },
      },
      [{ path: 'a.yaml' }, { path: 'b.yaml' }],
    );
    const { findings, notes } = await analyzer.analyze(input);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      source: 'openapi',
      path: 'a.yaml',
      line: 5,
    });
    expect(notes[0]!.message).toMatch(/^could not analyse \(head\): /);
    expect(findings.map((f) => f.path)).toEqual(['b.yaml']);
  });

  it('notes an unresolvable reference instead of guessing', async () => {
    const head = petstore(pet()).replace(
      "items: {$ref: '#/components/schemas/Pet'}",
      "items: {$ref: './missing.yaml#/Pet'}",
    );
    const { findings, notes } = await analyzer.analyze(
      analyzerInput(
        {
          base: { 'openapi.yaml': petstore(pet()) },
          head: { 'openapi.yaml': head },
        },
        [{ path: 'openapi.yaml' }],
      ),
    );
    expect(findings).toEqual([]);
    expect(notes.map((n) => n.message)).toEqual([
      expect.stringContaining('missing.yaml'),
    ]);
  });

  it('follows a changed schema file to the unchanged spec that uses it', async () => {
    const root = yaml`
      openapi: 3.0.3
      info: {title: Pets, version: '1'}
      paths:
        /pets/{id}:
          get:
            responses:
              '200':
                description: ok
                content:
                  application/json:
                    schema: {$ref: './schemas/pet.yaml#/Pet'}
    `;
    const petFile = (extra: string) =>
      `Pet:\n  type: object\n  required: [id${extra}]\n  properties:\n    id: {type: string}\n    name: {type: string}\n`;
    const input = analyzerInput(
      {
        base: {
          'api/openapi.yaml': root,
          'api/schemas/pet.yaml': petFile(', name'),
        },
        head: { 'api/openapi.yaml': root, 'api/schemas/pet.yaml': petFile('') },
      },
      [{ path: 'api/schemas/pet.yaml' }],
    );
    const { findings, notes } = await analyzer.analyze(input);
    expect(notes).toEqual([]);
    expect(
      findings.map((f) => [f.ruleId, f.path, f.lines?.side, f.lines?.start]),
    ).toEqual([
      [
        'api-contract/response-property-became-optional',
        'api/schemas/pet.yaml',
        'RIGHT',
        3,
      ],
    ]);
  });

  it('says when a spec could not be read instead of passing it as checked', async () => {
    const input = analyzerInput(
      { base: { 'openapi.yaml': petstore(pet()) }, head: {} },
      [{ path: 'openapi.yaml', status: 'modified' }],
    );
    expect(await analyzer.analyze(input)).toEqual({
      findings: [],
      notes: [
        {
          source: 'openapi',
          path: 'openapi.yaml',
          message:
            'not checked for API changes: the head version could not be read (binary, missing or over the size limit)',
        },
      ],
    });
    const replaced = analyzerInput(
      {
        base: { 'openapi.yaml': petstore(pet()) },
        head: { 'openapi.yaml': 'todo: rewrite\n' },
      },
      [{ path: 'openapi.yaml' }],
    );
    expect(
      (await analyzer.analyze(replaced)).notes.map((n) => n.message),
    ).toEqual(['not compared: the file no longer holds an OpenAPI document']);
  });

  it('ignores YAML and JSON files that are not API descriptions, and other files', async () => {
    const input = analyzerInput(
      {
        base: {
          'config.yaml': 'replicas: 1\n',
          'package.json': '{"name": "a"}',
          'main.go': 'package main\n',
        },
        head: {
          'config.yaml': 'replicas: 2\n',
          'package.json': '{"name": "b"}',
          'main.go': 'package app\n',
        },
      },
      [{ path: 'config.yaml' }, { path: 'package.json' }, { path: 'main.go' }],
    );
    expect(await analyzer.analyze(input)).toEqual({ findings: [], notes: [] });
  });

  it('does nothing when the api-contract lens is off, and stops when aborted', async () => {
    const revisions = {
      base: { 'openapi.yaml': petstore(pet(), createPet) },
      head: { 'openapi.yaml': petstore(pet()) },
    };
    expect(
      await analyzer.analyze(
        analyzerInput(revisions, [{ path: 'openapi.yaml' }], {
          lenses: ['security'],
        }),
      ),
    ).toEqual({ findings: [], notes: [] });
    const controller = new AbortController();
    controller.abort(new Error('review cancelled'));
    await expect(
      analyzer.analyze(
        analyzerInput(revisions, [{ path: 'openapi.yaml' }], {
          signal: controller.signal,
        }),
      ),
    ).rejects.toThrow('review cancelled');
  });

  it('surfaces a removed security requirement for review', async () => {
    const secured = (security: string) =>
      yaml`
        openapi: 3.0.3
        info: {title: Admin, version: '1'}
        paths:
          /admin/users:
            delete:
              security: ${security}
              responses:
                '204': {description: deleted}
        components:
          securitySchemes:
            bearer: {type: http, scheme: bearer}
      `;
    const { findings } = await analyzer.analyze(
      analyzerInput(
        {
          base: { 'openapi.yaml': secured('[{bearer: []}]') },
          head: { 'openapi.yaml': secured('[]') },
        },
        [{ path: 'openapi.yaml' }],
      ),
    );
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['api-contract/api-security-removed', 'medium'],
    ]);
  });
});
