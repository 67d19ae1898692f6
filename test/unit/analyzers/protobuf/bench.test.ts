import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultCorpusDir,
  runProtobufBench,
} from '../../../../bench/rules-protobuf.ts';

const corpus = defaultCorpusDir();

describe.skipIf(!existsSync(join(corpus, 'cases.json')))(
  "buf's breaking-change corpus",
  () => {
    it('matches every expected annotation, and implements every buf rule', {
      timeout: 300_000,
    }, async () => {
      const result = await runProtobufBench(corpus);
      expect(result.cases).toBeGreaterThan(50);
      expect(result.failures).toEqual([]);
      expect(result.total.fp).toBe(0);
      expect(result.total.fn).toBe(0);
      expect(result.implementedRules).toBe(result.upstreamRules);
      expect(result.implementedDefaultRules).toBe(result.defaultRules);
    });
  },
);

it('fails clearly when the corpus is missing', async () => {
  await expect(
    runProtobufBench('/nonexistent/protobuf-breaking'),
  ).rejects.toThrow(/protobuf corpus not found/);
});
