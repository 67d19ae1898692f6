import { describe, expect, it } from 'vitest';
import { defaultAnalyzers } from '../../../src/analyzers/index.ts';
import {
  createMigrationAnalyzer,
  MIGRATIONS_ANALYZER,
} from '../../../src/analyzers/migrations/index.ts';
import {
  createOpenApiAnalyzer,
  OPENAPI_ANALYZER_NAME,
} from '../../../src/analyzers/openapi/index.ts';
import { parsePatch } from '../../../src/core/diff/parse-patch.ts';
import type { Analyzer } from '../../../src/core/ports.ts';
import { addedFile, changeSet, inputFor } from '../../support/change-set.ts';

const byName = (name: string): Analyzer =>
  defaultAnalyzers().find((a) => a.name === name)!;

describe('analyzers loaded when a review needs them', () => {
  it('have the names and lenses of the analyzers they load', () => {
    expect([
      byName(OPENAPI_ANALYZER_NAME).lenses,
      byName(MIGRATIONS_ANALYZER).lenses,
    ]).toEqual([
      createOpenApiAnalyzer().lenses,
      createMigrationAnalyzer().lenses,
    ]);
  });

  it('find what the loaded analyzers find on the files they read', async () => {
    const spec = [
      'openapi: 3.0.3',
      'info: { title: t, version: "1" }',
      'paths:',
      '  /orders:',
      '    get:',
      '      responses:',
      "        '200': { description: ok }",
    ];
    const base = [
      'openapi: 3.0.3',
      'info: { title: t, version: "1" }',
      'paths:',
      '  /orders:',
      '    get:',
      '      responses:',
      "        '200': { description: ok }",
      '  /refunds:',
      '    get:',
      '      responses:',
      "        '200': { description: ok }",
    ];
    const migration = ['CREATE INDEX orders_customer ON orders (customer_id);'];
    const files = [
      {
        path: 'api/openapi.yaml',
        status: 'modified' as const,
        additions: 0,
        deletions: 4,
        patch: `@@ -7,4 +7,0 @@\n${base
          .slice(7)
          .map((l) => `-${l}`)
          .join('\n')}`,
      },
      addedFile('db/migrations/001.sql', migration),
    ];
    const set = changeSet(files, {
      base: { 'api/openapi.yaml': `${base.join('\n')}\n` },
      head: {
        'api/openapi.yaml': `${spec.join('\n')}\n`,
        'db/migrations/001.sql': `${migration.join('\n')}\n`,
      },
    });
    const input = inputFor(
      set,
      files.map((file) => ({ file, hunks: parsePatch(file.patch) })),
    );
    const lazy = await Promise.all([
      byName(OPENAPI_ANALYZER_NAME).analyze(input),
      byName(MIGRATIONS_ANALYZER).analyze(input),
    ]);
    const eager = await Promise.all([
      createOpenApiAnalyzer().analyze(input),
      createMigrationAnalyzer().analyze(input),
    ]);
    expect(lazy).toEqual(eager);
    expect(lazy.map((output) => output.findings.length > 0)).toEqual([
      true,
      true,
    ]);
  });

  it('find nothing, without loading, when no file is theirs', async () => {
    const files = [addedFile('src/app.ts', ['export const x = 1;'])];
    const input = inputFor(
      changeSet(files, { head: { 'src/app.ts': 'export const x = 1;\n' } }),
      files.map((file) => ({ file, hunks: parsePatch(file.patch) })),
    );
    expect(await byName(OPENAPI_ANALYZER_NAME).analyze(input)).toEqual({
      findings: [],
      notes: [],
    });
    expect(await byName(MIGRATIONS_ANALYZER).analyze(input)).toEqual({
      findings: [],
      notes: [],
    });
  });
});
