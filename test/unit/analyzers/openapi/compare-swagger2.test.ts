import { describe, expect, it } from 'vitest';
import { breaking, diffSpecs, ids, yaml } from './builder.ts';

const swagger = (
  queryExtra: string,
  bodyProps: string,
  responseProps: string,
  consumes = '[application/json]',
) => yaml`
  swagger: '2.0'
  info: {title: Legacy, version: '1'}
  consumes: ${consumes}
  produces: [application/json]
  paths:
    /users:
      post:
        parameters:
          - name: dryRun
            in: query
            type: boolean${queryExtra}
          - name: user
            in: body
            required: true
            schema:
              type: object
              required: [name]
              properties:
${bodyProps}
        responses:
          '201':
            description: created
            schema:
              $ref: '#/definitions/User'
  definitions:
    User:
      type: object
      required: [id]
      properties:
${responseProps}
`;

const name = '                name: {type: string}';
const email = (extra = '') => `                email: {type: string${extra}}`;
const userId = '        id: {type: integer}';
const nick = '        nickname: {type: string}';

describe('Swagger 2.0 documents', () => {
  it('reads inline parameter keywords as the parameter schema', async () => {
    expect(
      breaking(
        await diffSpecs(
          swagger('', name, userId),
          swagger('\n            required: true', name, userId),
        ),
      ),
    ).toEqual(['request-parameter-became-required']);
    expect(
      breaking(
        await diffSpecs(
          swagger('', name, userId),
          swagger('', name, userId).replace('type: boolean', 'type: integer'),
        ),
      ),
    ).toEqual(['request-parameter-type-changed']);
  });

  it('reads the body parameter as the request body for every consumed media type', async () => {
    expect(
      breaking(
        await diffSpecs(
          swagger('', `${name}\n${email()}`, userId),
          swagger('', `${name}\n${email(', maxLength: 40')}`, userId),
        ),
      ),
    ).toEqual(['request-property-max-length-set']);
    const both = await diffSpecs(
      swagger(
        '',
        `${name}\n${email()}`,
        userId,
        '[application/json, application/xml]',
      ),
      swagger('', name, userId, '[application/json, application/xml]'),
    );
    expect(ids(both)).toEqual([
      'request-property-removed',
      'request-property-removed',
    ]);
    expect(both.map((c) => c.facts.mediaType).sort()).toEqual([
      'application/json',
      'application/xml',
    ]);
  });

  it('reads response schemas and definitions', async () => {
    const changes = await diffSpecs(
      swagger('', name, `${userId}\n${nick}`),
      swagger('', name, userId),
    );
    expect(breaking(changes)).toEqual(['response-optional-property-removed']);
    expect(changes[0]?.location).toEqual({
      path: 'openapi.yaml',
      pointer: '/definitions/User/properties/nickname',
    });
  });

  it('turns form parameters into a form body', async () => {
    const form = (required: boolean) => yaml`
      swagger: '2.0'
      info: {title: Legacy, version: '1'}
      paths:
        /login:
          post:
            consumes: [application/x-www-form-urlencoded]
            parameters:
              - {name: user, in: formData, type: string, required: true}
              - {name: otp, in: formData, type: string, required: ${required}}
            responses:
              '204': {description: ok}
    `;
    expect(breaking(await diffSpecs(form(false), form(true)))).toEqual([
      'request-property-became-required',
    ]);
  });
});
