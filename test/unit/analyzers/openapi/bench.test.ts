import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DELIBERATE_DIFFERENCES,
  defaultCorpusDir,
  runOpenApiBench,
} from '../../../../bench/rules-openapi.ts';
import { TODAY } from './builder.ts';

const corpus = defaultCorpusDir();

describe.skipIf(!existsSync(join(corpus, 'cases.json')))(
  'oasdiff corpus',
  () => {
    it('meets the recall and precision targets, and every miss is a known, deliberate difference', async () => {
      const table = await runOpenApiBench(corpus, TODAY);
      expect(table.casesScored).toBeGreaterThan(300);
      expect(table.total.recall).toBeGreaterThanOrEqual(0.9);
      expect(table.total.precision).toBeGreaterThanOrEqual(0.95);
      const unexplained = table.outcomes.filter(
        (o) => !o.exact && DELIBERATE_DIFFERENCES[o.id] === undefined,
      );
      expect(unexplained).toEqual([]);
    });
  },
);

it('fails clearly when the corpus is missing', async () => {
  await expect(
    runOpenApiBench('/nonexistent/openapi-breaking'),
  ).rejects.toThrow(/OpenAPI corpus not found/);
});
