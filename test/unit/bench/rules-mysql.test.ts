import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  corpusDir,
  PRECISION_TARGET,
  RECALL_TARGET,
  runMysqlRulesBench,
} from '../../../bench/rules-mysql.ts';

const corpus = corpusDir();

describe.skipIf(!existsSync(join(corpus, 'cases.json')))(
  'strong_migrations corpus',
  () => {
    it('meets the precision and recall targets on the claimed checks, and each false positive is a known difference', async () => {
      const report = await runMysqlRulesBench(corpus);
      expect(report.scored).toBeGreaterThan(200);
      const total = report.checks.reduce(
        (t, s) => ({ tp: t.tp + s.tp, fp: t.fp + s.fp, fn: t.fn + s.fn }),
        { tp: 0, fp: 0, fn: 0 },
      );
      expect(total.tp / (total.tp + total.fp)).toBeGreaterThanOrEqual(
        PRECISION_TARGET,
      );
      expect(total.tp / (total.tp + total.fn)).toBeGreaterThanOrEqual(
        RECALL_TARGET,
      );
      expect(report.misses).toEqual([]);
      expect(report.falsePositives).toEqual([
        // remove_index without CONCURRENTLY is reported by default; strong_migrations makes that check opt-in.
        'check_down/change#1 [postgresql] require-concurrent-index-deletion@6',
        // The NOT NULL check was added by an earlier migration the corpus does not carry (a real app's db/schema.rb would).
        'readme/setting-not-null-on-an-existing-column/good#2 [postgresql] adding-not-nullable-field@4',
      ]);
    });
  },
);

it('fails clearly when the corpus is missing', async () => {
  await expect(
    runMysqlRulesBench('/nonexistent/mysql-migrations'),
  ).rejects.toThrow(/mysql-migrations corpus not found/);
});
