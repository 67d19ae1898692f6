import { describe, expect, it } from 'vitest';
import { breaking, diffSpecs, ids, yaml } from './builder.ts';

/** A POST /orders operation with the given parameters and request body schema (YAML, indented for the slot). */
const orders = (parameters: string, schema: string, bodyExtra = '') => yaml`
  openapi: 3.0.3
  info: {title: Orders, version: '1'}
  paths:
    /orders:
      post:
        parameters:
${parameters}
        requestBody:${bodyExtra}
          content:
            application/json:
              schema:
${schema}
        responses:
          '201': {description: created}
`;

const noParams = '          []';
const limitParam = (extra = '') =>
  `          - name: limit\n            in: query\n            schema: {type: integer${extra}}`;
const body = (properties: string, required = '[sku]') =>
  `                type: object\n                required: ${required}\n                properties:\n${properties}`;
const sku = (extra = '') => `                  sku: {type: string${extra}}`;
const note = (extra = '') => `                  note: {type: string${extra}}`;

describe('request parameters', () => {
  it('reports a new required parameter, but not a new optional one', async () => {
    const required =
      '          - {name: tenant, in: header, required: true, schema: {type: string}}';
    const optional =
      '          - {name: tenant, in: header, schema: {type: string}}';
    expect(
      breaking(
        await diffSpecs(
          orders(noParams, body(sku())),
          orders(required, body(sku())),
        ),
      ),
    ).toEqual(['new-required-request-parameter']);
    const changes = await diffSpecs(
      orders(noParams, body(sku())),
      orders(optional, body(sku())),
    );
    expect(ids(changes)).toEqual(['new-optional-request-parameter']);
    expect(breaking(changes)).toEqual([]);
  });

  it('reports a parameter that became required, and one removed', async () => {
    const required =
      '          - name: limit\n            in: query\n            required: true\n            schema: {type: integer}';
    expect(
      breaking(
        await diffSpecs(
          orders(limitParam(), body(sku())),
          orders(required, body(sku())),
        ),
      ),
    ).toEqual(['request-parameter-became-required']);
    expect(
      breaking(
        await diffSpecs(
          orders(limitParam(), body(sku())),
          orders(noParams, body(sku())),
        ),
      ),
    ).toEqual(['request-parameter-removed']);
  });

  it('reports tightened bounds, but not loosened ones', async () => {
    const before = orders(
      limitParam(', maximum: 100, minimum: 1'),
      body(sku()),
    );
    expect(
      breaking(
        await diffSpecs(
          before,
          orders(limitParam(', maximum: 50, minimum: 1'), body(sku())),
        ),
      ),
    ).toEqual(['request-parameter-max-decreased']);
    expect(
      breaking(
        await diffSpecs(
          before,
          orders(limitParam(', maximum: 100, minimum: 5'), body(sku())),
        ),
      ),
    ).toEqual(['request-parameter-min-increased']);
    expect(
      breaking(
        await diffSpecs(
          before,
          orders(limitParam(', maximum: 500, minimum: 0'), body(sku())),
        ),
      ),
    ).toEqual([]);
    expect(
      breaking(
        await diffSpecs(
          orders(limitParam(), body(sku())),
          orders(limitParam(', maximum: 100'), body(sku())),
        ),
      ),
    ).toEqual(['request-parameter-max-set']);
  });

  it('reports enum values removed and a parameter newly restricted to an enum', async () => {
    const status = (values: string) =>
      `          - name: status\n            in: query\n            schema:\n              type: string${values}`;
    expect(
      breaking(
        await diffSpecs(
          orders(status(''), body(sku())),
          orders(status('\n              enum: [open, paid]'), body(sku())),
        ),
      ),
    ).toEqual(['request-parameter-became-enum']);
    const changes = await diffSpecs(
      orders(status('\n              enum: [open, paid, void]'), body(sku())),
      orders(status('\n              enum: [open, paid, draft]'), body(sku())),
    );
    expect(breaking(changes)).toEqual(['request-parameter-enum-value-removed']);
    expect(
      changes.find((c) => c.id === 'request-parameter-enum-value-removed')
        ?.facts,
    ).toMatchObject({ value: 'void', parameter: 'status', location: 'query' });
  });

  it('judges a type change by whether old values are still accepted', async () => {
    expect(
      ids(
        await diffSpecs(
          orders(limitParam(), body(sku())),
          orders(
            '          - name: limit\n            in: query\n            schema: {type: number}',
            body(sku()),
          ),
        ),
      ),
    ).toEqual(['request-parameter-type-generalized']);
    expect(
      breaking(
        await diffSpecs(
          orders(
            '          - name: limit\n            in: query\n            schema: {type: string}',
            body(sku()),
          ),
          orders(limitParam(), body(sku())),
        ),
      ),
    ).toEqual(['request-parameter-type-changed']);
  });

  it('pairs header parameters case-insensitively', async () => {
    const header = (name: string) =>
      `          - {name: ${name}, in: header, schema: {type: string}}`;
    expect(
      ids(
        await diffSpecs(
          orders(header('X-Tenant'), body(sku())),
          orders(header('x-tenant'), body(sku())),
        ),
      ),
    ).toEqual([]);
  });
});

describe('request bodies', () => {
  it('reports a new required property, with or without a default', async () => {
    expect(
      breaking(
        await diffSpecs(
          orders(noParams, body(sku())),
          orders(noParams, body(`${sku()}\n${note()}`, '[sku, note]')),
        ),
      ),
    ).toEqual(['new-required-request-property']);
    expect(
      breaking(
        await diffSpecs(
          orders(noParams, body(sku())),
          orders(
            noParams,
            body(`${sku()}\n${note(', default: none')}`, '[sku, note]'),
          ),
        ),
      ),
    ).toEqual(['new-required-request-property-with-default']);
    expect(
      breaking(
        await diffSpecs(
          orders(noParams, body(sku())),
          orders(noParams, body(`${sku()}\n${note()}`)),
        ),
      ),
    ).toEqual([]);
  });

  it('reports a property that became required, and a removed property as a warning', async () => {
    const before = orders(noParams, body(`${sku()}\n${note()}`));
    expect(
      breaking(
        await diffSpecs(
          before,
          orders(noParams, body(`${sku()}\n${note()}`, '[sku, note]')),
        ),
      ),
    ).toEqual(['request-property-became-required']);
    const removed = await diffSpecs(before, orders(noParams, body(sku())));
    expect(breaking(removed)).toEqual(['request-property-removed']);
    expect(removed[0]).toMatchObject({
      level: 'warning',
      side: 'base',
      facts: { property: 'note' },
    });
  });

  it('ignores read-only properties in requests', async () => {
    const before = orders(
      noParams,
      body(`${sku()}\n${note(', readOnly: true')}`),
    );
    expect(
      breaking(await diffSpecs(before, orders(noParams, body(sku())))),
    ).toEqual([]);
    expect(
      breaking(
        await diffSpecs(
          before,
          orders(
            noParams,
            body(`${sku()}\n${note(', readOnly: true')}`, '[sku, note]'),
          ),
        ),
      ),
    ).toEqual([]);
  });

  it('reports tightened string limits and patterns on properties', async () => {
    const before = orders(noParams, body(sku(', maxLength: 64')));
    expect(
      breaking(
        await diffSpecs(before, orders(noParams, body(sku(', maxLength: 32')))),
      ),
    ).toEqual(['request-property-max-length-decreased']);
    expect(
      breaking(
        await diffSpecs(
          before,
          orders(noParams, body(sku(', maxLength: 128'))),
        ),
      ),
    ).toEqual([]);
    expect(
      breaking(
        await diffSpecs(
          before,
          orders(noParams, body(sku(', maxLength: 64, pattern: "^[A-Z]+$"'))),
        ),
      ),
    ).toEqual(['request-property-pattern-added']);
    expect(
      breaking(
        await diffSpecs(
          before,
          orders(noParams, body(sku(', maxLength: 64, minLength: 3'))),
        ),
      ),
    ).toEqual(['request-property-min-length-increased']);
  });

  it('reports type changes and enum values removed on properties', async () => {
    expect(
      breaking(
        await diffSpecs(
          orders(noParams, body(sku())),
          orders(noParams, body('                  sku: {type: integer}')),
        ),
      ),
    ).toEqual(['request-property-type-changed']);
    const enumOf = (values: string) =>
      body(`                  sku: {type: string, enum: [${values}]}`);
    expect(
      breaking(
        await diffSpecs(
          orders(noParams, enumOf('a, b')),
          orders(noParams, enumOf('a')),
        ),
      ),
    ).toEqual(['request-property-enum-value-removed']);
    expect(
      breaking(
        await diffSpecs(
          orders(noParams, enumOf('a')),
          orders(noParams, enumOf('a, b')),
        ),
      ),
    ).toEqual([]);
  });

  it('reports a property that no longer accepts null', async () => {
    expect(
      breaking(
        await diffSpecs(
          orders(noParams, body(sku(', nullable: true'))),
          orders(noParams, body(sku())),
        ),
      ),
    ).toEqual(['request-property-became-not-nullable']);
    expect(
      breaking(
        await diffSpecs(
          orders(noParams, body(sku())),
          orders(noParams, body(sku(', nullable: true'))),
        ),
      ),
    ).toEqual([]);
  });

  it('reports a body that became required, and a media type removed', async () => {
    expect(
      breaking(
        await diffSpecs(
          orders(noParams, body(sku())),
          orders(noParams, body(sku()), '\n          required: true'),
        ),
      ),
    ).toEqual(['request-body-became-required']);
    const twoTypes = orders(noParams, body(sku())).replace(
      /^( +)application\/json:/m,
      '$1application/xml:\n$1  schema: {type: object}\n$1application/json:',
    );
    expect(
      breaking(await diffSpecs(twoTypes, orders(noParams, body(sku())))),
    ).toEqual(['request-body-media-type-removed']);
  });
});
