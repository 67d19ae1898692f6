import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultCorpusDir,
  runGraphqlBench,
} from '../../../../bench/rules-graphql.ts';

const corpus = defaultCorpusDir();

describe.skipIf(!existsSync(join(corpus, 'cases.json')))(
  "graphql-inspector's diff corpus",
  () => {
    it('matches every label of the default-rule cases, in both views, and lists the rest', async () => {
      const result = await runGraphqlBench(corpus);
      for (const view of [result.reported, result.all]) {
        expect(view.cases).toBeGreaterThan(100);
        expect(view.failures).toEqual([]);
      }
      expect(result.notScored.every((c) => c.rules.length > 0)).toBe(true);
      expect(result.implementedBreakingTypes).toBe(result.breakingTypes);
      expect(result.implementedTypes).toBe(result.changeTypes);
    });
  },
);

it('fails clearly when the corpus is missing', async () => {
  await expect(
    runGraphqlBench('/nonexistent/graphql-breaking'),
  ).rejects.toThrow(/GraphQL corpus not found/);
});
