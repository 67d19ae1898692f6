import { inputFor } from '../../../support/change-set.ts';
import { describe, expect, it } from 'vitest';
import { createFailureModeAnalyzer } from '../../../../src/analyzers/failure-modes/index.ts';
import { createPerformanceAnalyzer } from '../../../../src/analyzers/performance/index.ts';
import { createRouteAnalyzer } from '../../../../src/analyzers/routes/index.ts';
import { headCodeAnalyzer } from '../../../../src/analyzers/code/code-analyzer.ts';
import { lineSet } from '../../../../src/analyzers/code/line-set.ts';
import {
  changeSetOf,
  runAnalyzer,
  summarise,
} from '../failure-modes/change-set-builder.ts';
import { defineRule } from '../../../../src/core/rules.ts';

describe('headCodeAnalyzer', () => {
  it('notes a syntax error and still checks the declarations that parse', async () => {
    const head = [
      'export function broken() {',
      '  const total = ;',
      '}',
      '',
      'export async function ok() {',
      '  await fetch(URL);',
      '}',
    ].join('\n');
    const output = await runAnalyzer(createFailureModeAnalyzer(), [
      { path: 'src/mixed.ts', head },
    ]);
    expect(output.notes).toHaveLength(1);
    expect(output.notes[0]).toMatchObject({
      source: 'failure-modes',
      path: 'src/mixed.ts',
      line: 2,
      message: expect.stringMatching(
        /^could not analyse: syntax error at line 2/,
      ),
    });
    expect(summarise(output.findings)).toEqual([
      'failure-mode/http-call-without-timeout@6:medium',
    ]);
  });

  it('notes a file whose contents cannot be read instead of passing it silently', async () => {
    const { changeSet, files } = changeSetOf([
      { path: 'src/big.ts', head: 'await fetch(URL);\n' },
    ]);
    changeSet.contents = { read: async () => undefined };
    const output = await createFailureModeAnalyzer().analyze(
      inputFor(changeSet, files),
    );
    expect(output.findings).toEqual([]);
    expect(output.notes).toEqual([
      {
        source: 'failure-modes',
        path: 'src/big.ts',
        message: expect.stringContaining(
          'could not analyse: the head contents are not available',
        ),
      },
    ]);
  });

  it('isolates a failing check: the others still report and the failure becomes a note', async () => {
    const rule = defineRule({
      id: 'failure-mode/test',
      severity: 'low',
      title: 'A test rule',
      appliesTo: { languages: ['typescript'] },
    });
    const analyzer = headCodeAnalyzer(
      'test',
      ['failure-mode'],
      [
        {
          rules: [rule],
          families: ['js'],
          run: () => {
            throw new Error('boom');
          },
        },
        {
          rules: [rule],
          families: ['js'],
          run: (context) =>
            context.report({
              lens: 'failure-mode',
              severity: 'low',
              ruleId: 'failure-mode/test',
              source: 'analyzer',
              path: context.file.path,
              title: 't',
              body: 'b',
            }),
        },
      ],
    );
    const output = await runAnalyzer(analyzer, [
      { path: 'src/a.ts', head: 'export const a = 1;\n' },
    ]);
    expect(output.notes).toEqual([
      { source: 'test', path: 'src/a.ts', message: 'could not analyse: boom' },
    ]);
    expect(output.findings.map((f) => f.ruleId)).toEqual(['failure-mode/test']);
  });

  it('skips removed files, unknown languages and files without added lines', async () => {
    const output = await runAnalyzer(createFailureModeAnalyzer(), [
      { path: 'src/gone.ts', base: 'await fetch(URL);\n' },
      { path: 'README.md', head: 'fetch(URL)\n' },
      {
        path: 'src/trimmed.ts',
        base: 'await fetch(URL);\nconst x = 1;\n',
        head: 'await fetch(URL);\n',
      },
    ]);
    expect(output).toEqual({ findings: [], notes: [] });
  });

  it('skips test files', async () => {
    const head =
      'export async function load() {\n  try { await fetch(URL); } catch {}\n}\n';
    const paths = [
      'src/load.test.ts',
      'test/helpers/load.ts',
      'pkg/load_test.go',
      'tests/test_load.py',
      'src/test/java/LoadTest.java',
    ];
    const output = await runAnalyzer(
      createFailureModeAnalyzer(),
      paths.map((path) => ({ path, head })),
    );
    expect(output).toEqual({ findings: [], notes: [] });
  });

  it('stops when the review is aborted', async () => {
    const { changeSet, files } = changeSetOf([
      { path: 'src/a.ts', head: 'await fetch(URL);\n' },
    ]);
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(
      createFailureModeAnalyzer().analyze(
        inputFor(changeSet, files, { signal: controller.signal }),
      ),
    ).rejects.toThrow('cancelled');
  });
});

describe('lineSet', () => {
  it('answers range queries', () => {
    const lines = lineSet([9, 3, 5, 5]);
    expect(lines.size).toBe(3);
    expect(lines.firstIn(4, 8)).toBe(5);
    expect(lines.firstIn(6, 8)).toBeUndefined();
    expect(lines.intersects(9, 20)).toBe(true);
    expect(lines.intersects(10, 20)).toBe(false);
    expect(lines.has(3)).toBe(true);
  });
});

describe('shared reads and parses', () => {
  it('reads each file once per revision however many analyzers look at it', async () => {
    const base =
      "import { Router } from 'express';\nconst router = Router();\nrouter.get('/a', show);\n";
    const head = `${base}router.post('/b', async (req, res) => { await fetch(URL); for (const x of xs) await Order.findOne({ id: x }); });\n`;
    const { changeSet, files } = changeSetOf([
      { path: 'src/routes.ts', base, head },
    ]);
    const reads: string[] = [];
    const inner = changeSet.contents;
    changeSet.contents = {
      read: async (revision, path, signal) => {
        reads.push(`${revision}:${path}`);
        return inner.read(revision, path, signal);
      },
    };
    const input = inputFor(changeSet, files);
    const outputs = await Promise.all(
      [
        createFailureModeAnalyzer(),
        createPerformanceAnalyzer(),
        createRouteAnalyzer(),
      ].map((analyzer) => analyzer.analyze(input)),
    );
    expect(reads.sort()).toEqual(['base:src/routes.ts', 'head:src/routes.ts']);
    expect(
      outputs.flatMap((o) => o.findings.map((f) => f.ruleId)).sort(),
    ).toEqual([
      'failure-mode/http-call-without-timeout',
      'performance/query-in-loop',
      'security/route-without-authorization',
    ]);
  });
});
