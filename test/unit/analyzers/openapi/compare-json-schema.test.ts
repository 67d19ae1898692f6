import { describe, expect, it } from 'vitest';
import { breaking, diffSpecs, yaml } from './builder.ts';

/** OpenAPI 3.1: the same schema as request body (property `doc`) and as response body. */
const spec = (schema: string) => yaml`
  openapi: 3.1.0
  info: {title: Docs, version: '1'}
  paths:
    /docs:
      put:
        requestBody:
          content:
            application/json:
              schema:
                type: object
                properties:
                  doc: {$ref: '#/components/schemas/Doc'}
        responses:
          '200':
            description: ok
            content:
              application/json:
                schema: {$ref: '#/components/schemas/Doc'}
  components:
    schemas:
      Doc:
${schema}
`;

const loose = `        type: object
        properties:
          tags:
            type: array
            items: {type: string}
            prefixItems: [{type: string}, {type: integer}]
          blob: {type: string, contentMediaType: application/xml, contentEncoding: base64}
          kind: {type: string}`;

const strict = `        type: object
        properties:
          tags:
            type: array
            items: {type: string}
            prefixItems: [{type: string}]
            contains: {const: main}
            minContains: 2
          blob: {type: string, contentMediaType: application/json, contentEncoding: base32, contentSchema: {type: object}}
          kind: {type: string, const: pdf}
        propertyNames: {pattern: '^[a-z]+$'}
        unevaluatedProperties: false
        patternProperties:
          '^x-': {type: string}
        dependentSchemas:
          blob: {required: [kind]}
        dependentRequired:
          kind: [blob]
        if: {required: [kind]}
        then: {required: [blob]}
        else: {required: [tags]}`;

describe('JSON Schema 2020-12 keywords (OpenAPI 3.1)', () => {
  it('reports every new constraint on what clients send', async () => {
    const request = breaking(await diffSpecs(spec(loose), spec(strict))).filter(
      (id) => id.startsWith('request-'),
    );
    expect(request).toEqual([
      'request-property-const-added',
      'request-property-contains-added',
      'request-property-content-encoding-changed',
      'request-property-content-media-type-changed',
      'request-property-content-schema-added',
      'request-property-dependent-required-added',
      'request-property-dependent-schema-added',
      'request-property-else-added',
      'request-property-if-added',
      'request-property-min-contains-increased',
      'request-property-pattern-property-added',
      'request-property-prefix-items-removed',
      'request-property-property-names-added',
      'request-property-then-added',
      'request-property-unevaluated-properties-added',
    ]);
  });

  it('reports every guarantee responses no longer give', async () => {
    const response = breaking(
      await diffSpecs(spec(strict), spec(loose)),
    ).filter((id) => id.startsWith('response-'));
    expect(response).toEqual([
      'response-body-dependent-required-removed',
      'response-body-dependent-schema-removed',
      'response-body-else-removed',
      'response-body-if-removed',
      'response-body-pattern-property-removed',
      'response-body-property-names-removed',
      'response-body-then-removed',
      'response-body-unevaluated-properties-removed',
      'response-property-const-removed',
      'response-property-contains-removed',
      'response-property-content-encoding-changed',
      'response-property-content-media-type-changed',
      'response-property-content-schema-removed',
      'response-property-min-contains-decreased',
      'response-property-prefix-items-added',
    ]);
  });

  it('reports nothing for an unchanged 3.1 document', async () => {
    expect(await diffSpecs(spec(strict), spec(strict))).toEqual([]);
  });
});
