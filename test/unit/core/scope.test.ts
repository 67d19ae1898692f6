import { describe, expect, it } from 'vitest';
import { scopeMatcher } from '../../../src/core/scope.ts';

const defaults = { use_defaults: true, include: [], exclude: [] };

describe('scopeMatcher', () => {
  it('keeps API descriptions and schemas under generated folders in scope', () => {
    const inScope = scopeMatcher(defaults);
    expect(inScope('proto/gen/openapi.yaml')).toBe(true);
    expect(inScope('api/generated/swagger.json')).toBe(true);
    expect(inScope('gen/schema.graphql')).toBe(true);
    expect(inScope('internal/gen/service.proto')).toBe(true);
  });

  it('leaves the generated code around them out', () => {
    const inScope = scopeMatcher(defaults);
    expect(inScope('proto/gen/api/v1/memo_service.pb.go')).toBe(false);
    expect(inScope('proto/gen/api/v1/memo_service.pb.gw.go')).toBe(false);
    expect(inScope('src/generated/client.ts')).toBe(false);
    expect(inScope('server/api.gen.go')).toBe(false);
  });

  it('does not bring back vendored descriptions or what the team excludes', () => {
    expect(
      scopeMatcher(defaults)('vendor/github.com/x/y/gen/openapi.yaml'),
    ).toBe(false);
    expect(
      scopeMatcher({ ...defaults, exclude: ['proto/gen/**'] })(
        'proto/gen/openapi.yaml',
      ),
    ).toBe(false);
    expect(
      scopeMatcher({
        use_defaults: false,
        include: ['**/*.yaml'],
        exclude: ['**/gen/**'],
      })('proto/gen/openapi.yaml'),
    ).toBe(false);
  });

  it('still reviews ordinary backend code and skips documentation', () => {
    const inScope = scopeMatcher(defaults);
    expect(inScope('server/router/api.go')).toBe(true);
    expect(inScope('docs/openapi.yaml')).toBe(false);
  });
});
