import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { scanSecrets } from '../../../../src/analyzers/secrets/secretlint-scan.ts';

describe('secret scanning in a long-running server', () => {
  it('keeps no profiling marks, so memory does not grow with every scanned file', async () => {
    const before = performance.getEntriesByType('mark').length;
    for (let i = 0; i < 50; i++)
      await scanSecrets(`src/file-${i}.ts`, `export const value${i} = ${i};\n`);
    expect(performance.getEntriesByType('mark').length).toBe(before);
  });
});
