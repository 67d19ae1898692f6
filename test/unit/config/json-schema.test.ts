import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../../src/config/parse-config.ts';

describe('published config JSON Schema', () => {
  it('matches the zod schema (run `npm run schema` after changing it)', () => {
    const published = JSON.parse(readFileSync(new URL('../../../schema/architect.schema.json', import.meta.url), 'utf8'));
    const { $id, title, ...rest } = published;
    expect($id).toBe('architect.schema.json');
    expect(title).toBe('Backend Architect configuration');
    expect(rest).toEqual(configJsonSchema());
  });
});
