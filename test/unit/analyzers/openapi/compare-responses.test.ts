import { describe, expect, it } from 'vitest';
import { breaking, diffSpecs, ids, yaml } from './builder.ts';

/** GET /invoices/{id} whose 200 response has the given schema (indented for the slot). */
const invoice = (schema: string, openapi = '3.0.3', responses = '') => yaml`
  openapi: ${openapi}
  info: {title: Invoices, version: '1'}
  paths:
    /invoices/{id}:
      get:
        parameters:
          - {name: id, in: path, required: true, schema: {type: string}}
        responses:
          '200':
            description: ok
            content:
              application/json:
                schema:
${schema}
${responses}
`;

const object = (properties: string, required = '[id, total]') =>
  `                  type: object\n                  required: ${required}\n                  properties:\n${properties}`;
const id = '                    id: {type: string}';
const total = (extra = '') =>
  `                    total: {type: integer${extra}}`;
const memo = (extra = '') => `                    memo: {type: string${extra}}`;

describe('response properties', () => {
  it('reports a required property removed, and an optional one as a warning', async () => {
    expect(
      breaking(
        await diffSpecs(
          invoice(object(`${id}\n${total()}`)),
          invoice(object(id, '[id]')),
        ),
      ),
    ).toEqual(['response-required-property-removed']);
    const optional = await diffSpecs(
      invoice(object(`${id}\n${total()}\n${memo()}`)),
      invoice(object(`${id}\n${total()}`)),
    );
    expect(breaking(optional)).toEqual(['response-optional-property-removed']);
    expect(optional[0]).toMatchObject({
      level: 'warning',
      side: 'base',
      facts: { property: 'memo', status: '200' },
    });
  });

  it('reports a property that is no longer guaranteed, or may now be null', async () => {
    expect(
      breaking(
        await diffSpecs(
          invoice(object(`${id}\n${total()}`)),
          invoice(object(`${id}\n${total()}`, '[id]')),
        ),
      ),
    ).toEqual(['response-property-became-optional']);
    expect(
      breaking(
        await diffSpecs(
          invoice(object(`${id}\n${total()}`)),
          invoice(object(`${id}\n${total(', nullable: true')}`)),
        ),
      ),
    ).toEqual(['response-property-became-nullable']);
  });

  it('reads OpenAPI 3.1 nullability from the type list', async () => {
    const before = invoice(
      object(`${id}\n                    total: {type: integer}`),
      '3.1.0',
    );
    const after = invoice(
      object(`${id}\n                    total: {type: [integer, 'null']}`),
      '3.1.0',
    );
    expect(breaking(await diffSpecs(before, after))).toEqual([
      'response-property-became-nullable',
    ]);
  });

  it('adding properties or requiring more is safe for readers', async () => {
    const changes = await diffSpecs(
      invoice(object(`${id}\n${total()}`, '[id]')),
      invoice(object(`${id}\n${total()}\n${memo()}`)),
    );
    expect(breaking(changes)).toEqual([]);
    expect(ids(changes)).toEqual([
      'response-optional-property-added',
      'response-property-became-required',
    ]);
  });

  it('judges type changes from the reader side', async () => {
    const widened = await diffSpecs(
      invoice(object(`${id}\n${total(', format: int32')}`)),
      invoice(object(`${id}\n${total(', format: int64')}`)),
    );
    expect(breaking(widened)).toEqual(['response-property-type-generalized']);
    const narrowed = await diffSpecs(
      invoice(object(`${id}\n                    total: {type: number}`)),
      invoice(object(`${id}\n${total()}`)),
    );
    expect(ids(narrowed)).toEqual(['response-property-type-specialized']);
    expect(breaking(narrowed)).toEqual([]);
    expect(
      breaking(
        await diffSpecs(
          invoice(object(`${id}\n${total()}`)),
          invoice(object(`${id}\n                    total: {type: string}`)),
        ),
      ),
    ).toEqual(['response-property-type-changed']);
  });

  it('reports an enum value added to a response as a warning, and loosened limits', async () => {
    const status = (values: string) =>
      object(
        `${id}\n${total()}\n                    status: {type: string, enum: [${values}]}`,
      );
    const added = await diffSpecs(
      invoice(status('open, paid')),
      invoice(status('open, paid, refunded')),
    );
    expect(added.map((c) => [c.id, c.level, c.facts.value])).toEqual([
      ['response-property-enum-value-added', 'warning', 'refunded'],
    ]);
    expect(
      breaking(
        await diffSpecs(
          invoice(object(`${id}\n${total(', maximum: 100')}`)),
          invoice(object(`${id}\n${total(', maximum: 1000')}`)),
        ),
      ),
    ).toEqual(['response-property-max-increased']);
    expect(
      breaking(
        await diffSpecs(
          invoice(object(`${id}\n${memo(', maxLength: 10')}`)),
          invoice(object(`${id}\n${memo()}`)),
        ),
      ),
    ).toEqual(['response-property-max-length-unset']);
  });
});

describe('statuses, media types and headers', () => {
  const withCreated = `          '404': {description: missing}`;

  it('reports a success status removed but not an error status', async () => {
    const base = invoice(object(`${id}\n${total()}`), '3.0.3', withCreated);
    const noSuccess = base.replace(/'200':/, "'203':");
    expect(breaking(await diffSpecs(base, noSuccess))).toEqual([
      'response-success-status-removed',
    ]);
    const noError = base.replace(withCreated.trim(), '');
    expect(breaking(await diffSpecs(base, noError))).toEqual([]);
    expect(ids(await diffSpecs(base, noError))).toEqual([
      'response-non-success-status-removed',
    ]);
  });

  it('reports a response media type removed and a required header removed', async () => {
    const base = invoice(object(`${id}\n${total()}`)).replace(
      /^( +)application\/json:/m,
      '$1text/csv:\n$1  schema: {type: string}\n$1application/json:',
    );
    expect(
      breaking(await diffSpecs(base, invoice(object(`${id}\n${total()}`)))),
    ).toEqual(['response-media-type-removed']);
    const withHeader = invoice(object(`${id}\n${total()}`)).replace(
      /^( +)description: ok/m,
      '$1description: ok\n$1headers:\n$1  X-Rate-Limit: {required: true, schema: {type: integer}}',
    );
    expect(
      breaking(
        await diffSpecs(withHeader, invoice(object(`${id}\n${total()}`))),
      ),
    ).toEqual(['required-response-header-removed']);
  });
});
