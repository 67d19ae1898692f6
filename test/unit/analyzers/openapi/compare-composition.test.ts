import { describe, expect, it } from 'vitest';
import { breaking, diffSpecs, ids, yaml } from './builder.ts';

/** POST /payments taking and returning `Payment`, with the given component schemas. */
const payments = (components: string) => yaml`
  openapi: 3.0.3
  info: {title: Payments, version: '1'}
  paths:
    /payments:
      post:
        requestBody:
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Payment'}
        responses:
          '201':
            description: created
            content:
              application/json:
                schema: {$ref: '#/components/schemas/Payment'}
  components:
    schemas:
${components}
`;

describe('allOf', () => {
  const flat = `      Payment:
        type: object
        required: [id, amount]
        properties:
          id: {type: string}
          amount: {type: integer}`;
  const split = `      Base:
        type: object
        required: [id]
        properties:
          id: {type: string}
      Payment:
        allOf:
          - $ref: '#/components/schemas/Base'
          - type: object
            required: [amount]
            properties:
              amount: {type: integer}`;

  it('does not report properties that moved into an allOf member as removed', async () => {
    expect(breaking(await diffSpecs(payments(flat), payments(split)))).toEqual(
      [],
    );
    expect(breaking(await diffSpecs(payments(split), payments(flat)))).toEqual(
      [],
    );
  });

  it('does not report a member that only restates what the schema already says', async () => {
    const restated = `      Ids:
        type: object
        properties:
          id: {type: string}
      Payment:
        type: object
        required: [id, amount]
        allOf:
          - $ref: '#/components/schemas/Ids'
        properties:
          id: {type: string}
          amount: {type: integer}`;
    expect(
      breaking(await diffSpecs(payments(flat), payments(restated))),
    ).toEqual([]);
  });

  it('reports a member that adds requirements', async () => {
    const withCurrency = `${flat}
        allOf:
          - type: object
            required: [currency]
            properties:
              currency: {type: string}`;
    expect(
      breaking(await diffSpecs(payments(flat), payments(withCurrency))),
    ).toEqual(['request-body-all-of-added']);
  });

  it('sees a property removed from inside a member', async () => {
    const smaller = split
      .replace(
        '          id: {type: string}',
        '          reference: {type: string}',
      )
      .replace('required: [id]', 'required: [reference]');
    expect(
      breaking(await diffSpecs(payments(split), payments(smaller))),
    ).toEqual([
      'new-required-request-property',
      'request-property-removed',
      'response-required-property-removed',
    ]);
  });
});

describe('oneOf and anyOf', () => {
  const methods = (
    members: string,
  ) => `      Card: {type: object, required: [pan], properties: {pan: {type: string}}}
      Iban: {type: object, required: [iban], properties: {iban: {type: string}}}
      Cash: {type: object, properties: {amount: {type: integer}}}
      Payment:
        type: object
        properties:
          method:
            oneOf:
${members}`;
  const card = "              - $ref: '#/components/schemas/Card'";
  const iban = "              - $ref: '#/components/schemas/Iban'";
  const cash = "              - $ref: '#/components/schemas/Cash'";

  it('matches members by reference, not by position', async () => {
    expect(
      ids(
        await diffSpecs(
          payments(methods(`${card}\n${iban}`)),
          payments(methods(`${iban}\n${card}`)),
        ),
      ),
    ).toEqual([]);
  });

  it('reports a removed alternative for senders and an added one for readers', async () => {
    const changes = await diffSpecs(
      payments(methods(`${card}\n${iban}`)),
      payments(methods(`${card}\n${iban}\n${cash}`)),
    );
    expect(breaking(changes)).toEqual(['response-property-one-of-added']);
    expect(
      changes.find((c) => c.id === 'response-property-one-of-added')?.facts,
    ).toMatchObject({ property: 'method', value: 'Cash' });
    expect(
      breaking(
        await diffSpecs(
          payments(methods(`${card}\n${iban}`)),
          payments(methods(card)),
        ),
      ),
    ).toEqual(['request-property-one-of-removed']);
  });

  it('matches inline members by content and title', async () => {
    const inline = (a: string, b: string) => `      Payment:
        type: object
        properties:
          ref:
            anyOf:
              - ${a}
              - ${b}`;
    const str = '{type: string, title: Code}';
    const num = '{type: integer, title: Number}';
    expect(
      ids(
        await diffSpecs(payments(inline(str, num)), payments(inline(num, str))),
      ),
    ).toEqual([]);
    const longer = '{type: string, title: Code, maxLength: 5}';
    expect(
      breaking(
        await diffSpecs(
          payments(inline(str, num)),
          payments(inline(longer, num)),
        ),
      ),
    ).toEqual(['request-property-max-length-set']);
  });

  it('pairs edited inline alternatives by the properties they share', async () => {
    const shapes = (cardExtra: string, ibanExtra: string) => `      Payment:
        type: object
        properties:
          method:
            oneOf:
              - type: object
                properties:
                  pan: {type: string}
                  expiry: {type: string${cardExtra}}
              - type: object
                properties:
                  iban: {type: string}
                  bic: {type: string${ibanExtra}}`;
    const changes = await diffSpecs(
      payments(shapes('', '')),
      payments(shapes(', maxLength: 5', ', maxLength: 11')),
    );
    expect(breaking(changes)).toEqual([
      'request-property-max-length-set',
      'request-property-max-length-set',
    ]);
    expect(changes.map((c) => c.facts.property).sort()).toEqual([
      'method/oneOf[#0]/expiry',
      'method/oneOf[#1]/bic',
    ]);
  });

  it('reports a body restructured into a oneOf once, not as removed properties', async () => {
    const wrapped = `      Payment:
        oneOf:
          - type: object
            required: [id]
            properties:
              id: {type: string}
          - type: object
            required: [amount]
            properties:
              amount: {type: integer}`;
    const flat = `      Payment:
        type: object
        required: [id, amount]
        properties:
          id: {type: string}
          amount: {type: integer}`;
    expect(
      breaking(await diffSpecs(payments(flat), payments(wrapped))),
    ).toEqual([
      'request-body-wrapped-in-one-of',
      'response-body-wrapped-in-one-of',
    ]);
  });
});

describe('shared components', () => {
  it('classifies a change in a shared schema once per operation and media type that uses it', async () => {
    const payment = (type: string) => `      Payment:
        type: object
        properties:
          amount: {type: ${type}}`;
    const changes = await diffSpecs(
      payments(payment('integer')),
      payments(payment('string')),
    );
    expect(ids(changes)).toEqual([
      'request-property-type-changed',
      'response-property-type-changed',
    ]);
    // Both point at the one line that changed, in the component.
    expect(changes.map((c) => c.location?.pointer)).toEqual([
      '/components/schemas/Payment/properties/amount/type',
      '/components/schemas/Payment/properties/amount/type',
    ]);
  });
});
