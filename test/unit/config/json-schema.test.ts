import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../../src/analyzers/index.ts';
import { configJsonSchema } from '../../../src/config/parse-config.ts';

describe('published config JSON Schema', () => {
  it('matches the zod schema (run `npm run schema` after changing it)', () => {
    const published = JSON.parse(
      readFileSync(
        new URL('../../../schema/architect.schema.json', import.meta.url),
        'utf8',
      ),
    );
    const { $id, title, ...rest } = published;
    expect($id).toBe('architect.schema.json');
    expect(title).toBe('Backend Architect configuration');
    expect(rest).toEqual(configJsonSchema(allRules().map((rule) => rule.id)));
  });

  it('lists every rule id for `rules` and `overrides[].rules` keys, so editors complete them', () => {
    const ids = allRules().map((rule) => rule.id);
    const schema = configJsonSchema(ids) as {
      properties: Record<
        string,
        {
          propertyNames?: { enum: string[] };
          items?: {
            properties: { rules: { propertyNames?: { enum: string[] } } };
          };
        }
      >;
    };
    expect(schema.properties.rules!.propertyNames!.enum).toContain(
      'schema/ban-drop-column',
    );
    expect(schema.properties.rules!.propertyNames!.enum).toHaveLength(
      new Set(ids).size,
    );
    expect(
      schema.properties.overrides!.items!.properties.rules.propertyNames!.enum,
    ).toContain('security/sql-injection');
  });
});
