import { describe, expect, it } from 'vitest';
import { breaking, diffSpecs, ids, yaml } from './builder.ts';

const spec = (operations: string, extraPaths = '') => yaml`
  openapi: 3.0.3
  info: {title: Pets, version: '1'}
  paths:
    /pets:
${operations}
    /pets/{petId}:
      get:
        parameters:
          - {name: petId, in: path, required: true, schema: {type: string}}
        responses:
          '200': {description: ok}
${extraPaths}
`;

const listPets = `      get:
        operationId: listPets
        responses:
          '200': {description: ok}`;

describe('removed endpoints', () => {
  it('reports an operation removed without deprecation', async () => {
    const changes = await diffSpecs(
      spec(
        `${listPets}\n      post:\n        responses:\n          '201': {description: created}`,
      ),
      spec(listPets),
    );
    expect(breaking(changes)).toEqual(['api-removed-without-deprecation']);
    expect(changes[0]).toMatchObject({
      side: 'base',
      operation: { method: 'post', path: '/pets' },
      location: { path: 'openapi.yaml', pointer: '/paths/~1pets/post' },
    });
  });

  it('reports every operation of a removed path', async () => {
    const changes = await diffSpecs(
      spec(
        listPets,
        "    /owners:\n      get:\n        responses:\n          '200': {description: ok}",
      ),
      spec(listPets),
    );
    expect(breaking(changes)).toEqual(['api-path-removed-without-deprecation']);
  });

  it('lets a deprecated operation go once its sunset has passed, and not before', async () => {
    const deprecated = (sunset: string) =>
      spec(
        `${listPets}\n      post:\n        deprecated: true\n        x-sunset: "${sunset}"\n        responses:\n          '201': {description: created}`,
      );
    expect(
      breaking(await diffSpecs(deprecated('2026-01-01'), spec(listPets))),
    ).toEqual([]);
    expect(
      breaking(await diffSpecs(deprecated('2027-01-01'), spec(listPets))),
    ).toEqual(['api-removed-before-sunset']);
    expect(
      breaking(await diffSpecs(deprecated('next year'), spec(listPets))),
    ).toEqual(['api-path-sunset-parse']);
  });

  it('treats a deprecated operation without a sunset date as removable', async () => {
    const changes = await diffSpecs(
      spec(
        `${listPets}\n      post:\n        deprecated: true\n        responses:\n          '201': {description: created}`,
      ),
      spec(listPets),
    );
    expect(ids(changes)).toEqual(['api-removed-with-deprecation']);
    expect(breaking(changes)).toEqual([]);
  });

  it('ignores draft and alpha operations, and reports a stability downgrade instead of its details', async () => {
    const alpha = spec(
      `${listPets}\n      post:\n        x-stability-level: alpha\n        responses:\n          '201': {description: created}`,
    );
    expect(breaking(await diffSpecs(alpha, spec(listPets)))).toEqual([]);

    const stable = spec(
      `      get:\n        x-stability-level: stable\n        parameters: [{name: q, in: query, schema: {type: string}}]\n        responses:\n          '200': {description: ok}`,
    );
    const beta = spec(
      `      get:\n        x-stability-level: beta\n        parameters: [{name: q, in: query, required: true, schema: {type: string}}]\n        responses:\n          '200': {description: ok}`,
    );
    expect(breaking(await diffSpecs(stable, beta))).toEqual([
      'api-stability-decreased',
    ]);
  });

  it('matches paths whose parameters were only renamed', async () => {
    const renamed = spec(listPets).replace(/petId/g, 'id');
    expect(ids(await diffSpecs(spec(listPets), renamed))).toEqual([]);
  });

  it('reports nothing for identical documents', async () => {
    expect(await diffSpecs(spec(listPets), spec(listPets))).toEqual([]);
  });

  it('reports a whole document deleted as removed endpoints', async () => {
    expect(breaking(await diffSpecs(spec(listPets), undefined))).toEqual([
      'api-path-removed-without-deprecation',
      'api-path-removed-without-deprecation',
    ]);
    expect(breaking(await diffSpecs(undefined, spec(listPets)))).toEqual([]);
  });
});

describe('deprecation and sunset', () => {
  it('reports a sunset date removed from a deprecated operation, and one moved into the past', async () => {
    const withSunset = (date: string) =>
      spec(
        `      get:\n        deprecated: true\n        x-sunset: "${date}"\n        responses:\n          '200': {description: ok}`,
      );
    const withoutSunset = spec(
      `      get:\n        deprecated: true\n        responses:\n          '200': {description: ok}`,
    );
    expect(
      breaking(await diffSpecs(withSunset('2027-01-01'), withoutSunset)),
    ).toEqual(['sunset-deleted']);
    expect(
      breaking(
        await diffSpecs(withSunset('2027-01-01'), withSunset('2026-01-01')),
      ),
    ).toEqual(['api-sunset-date-changed-too-small']);
    expect(
      breaking(
        await diffSpecs(withSunset('2027-01-01'), withSunset('2028-01-01')),
      ),
    ).toEqual([]);
  });
});
