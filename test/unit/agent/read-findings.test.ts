import type Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { readFindings } from '../../../src/agent/read-findings.ts';
import {
  chunkFile,
  chunkOf,
  deletedFile,
  handlerFile,
  recordingLogger,
  toolMessage,
} from './fixtures.ts';

const chunk = chunkOf([
  handlerFile,
  deletedFile,
  chunkFile('src/api/accounts.ts', '@@ -1,1 +1,1 @@\n-a\n+b', {
    status: 'renamed',
    previousPath: 'src/api/old-accounts.ts',
  }),
]);

function message(
  input: unknown,
  extra: Record<string, unknown> = {},
): Anthropic.Message {
  return toolMessage(input, extra) as unknown as Anthropic.Message;
}

const valid = {
  path: 'src/api/users.ts',
  line: 11,
  category: 'security',
  severity: 'critical',
  title: 'SQL injection through the id parameter',
  body: 'The id is interpolated into the SQL text.',
};

describe('readFindings', () => {
  it('maps a valid item to a model draft finding on the head side', () => {
    const result = readFindings(
      message({
        findings: [
          {
            ...valid,
            end_line: 12,
            fix: 'Use a bound parameter.',
            confidence: 0.9,
          },
        ],
        summary: ' Injection. ',
      }),
      chunk,
      recordingLogger(),
    );
    expect(result).toEqual({
      droppedItems: 0,
      summary: 'Injection.',
      findings: [
        {
          lens: 'security',
          severity: 'critical',
          ruleId: 'security/model',
          source: 'model',
          path: 'src/api/users.ts',
          lines: { start: 11, end: 12, side: 'RIGHT' },
          title: 'SQL injection through the id parameter',
          body: 'The id is interpolated into the SQL text.',
          fix: 'Use a bound parameter.',
          confidence: 0.9,
        },
      ],
    });
  });

  it('anchors findings in deleted files on the base side and maps an old path to the renamed file', () => {
    const result = readFindings(
      message({
        findings: [
          {
            ...valid,
            path: 'db/migrations/001_users.sql',
            line: 2,
            category: 'schema',
            severity: 'high',
          },
          {
            ...valid,
            path: 'src/api/old-accounts.ts',
            line: 1,
            category: 'api-contract',
            severity: 'medium',
          },
        ],
      }),
      chunk,
      recordingLogger(),
    );
    expect(result.findings.map((f) => [f.path, f.lines, f.ruleId])).toEqual([
      [
        'db/migrations/001_users.sql',
        { start: 2, end: 2, side: 'LEFT' },
        'schema/model',
      ],
      [
        'src/api/accounts.ts',
        { start: 1, end: 1, side: 'RIGHT' },
        'api-contract/model',
      ],
    ]);
  });

  it('drops and counts invalid items one by one while keeping the valid ones', () => {
    const logger = recordingLogger();
    const result = readFindings(
      message({
        findings: [
          valid,
          { ...valid, severity: 'blocker' },
          { ...valid, category: 'style' },
          { ...valid, line: 'eleven' },
          { ...valid, line: 0 },
          { ...valid, line: 5_000_000 },
          { ...valid, title: '   ' },
          { ...valid, path: 'src/not-in-this-chunk.ts' },
          'not an object',
          null,
          { ...valid, line: 13, title: 'Second valid one' },
        ],
      }),
      chunk,
      logger,
    );
    expect(result.droppedItems).toBe(9);
    expect(result.findings.map((f) => f.title)).toEqual([
      'SQL injection through the id parameter',
      'Second valid one',
    ]);
    const warning = logger.entries.find(
      (e) => e.level === 'warn' && e.msg === 'dropped invalid model findings',
    );
    expect(warning?.obj).toMatchObject({ dropped: 9 });
  });

  it('repairs harmless deviations: long text, stray confidence, numbers as strings, nulls, reversed ranges', () => {
    const result = readFindings(
      message({
        findings: [
          {
            ...valid,
            line: '12',
            end_line: 10,
            title: 't'.repeat(300),
            body: 'b'.repeat(5000),
            confidence: 85,
            fix: null,
          },
          {
            ...valid,
            path: './src/api/users.ts',
            end_line: null,
            confidence: '0.7',
            fix: '  ',
          },
        ],
      }),
      chunk,
      recordingLogger(),
    );
    expect(result.droppedItems).toBe(0);
    const [first, second] = result.findings;
    expect(first!.lines).toEqual({ start: 12, end: 12, side: 'RIGHT' });
    expect(first!.title).toHaveLength(200);
    expect(first!.title.endsWith('…')).toBe(true);
    expect(first!.body).toHaveLength(4000);
    expect(first!.confidence).toBe(1);
    expect(first).not.toHaveProperty('fix');
    expect(second).toMatchObject({
      path: 'src/api/users.ts',
      confidence: 0.7,
      lines: { start: 11, end: 11, side: 'RIGHT' },
    });
    expect(second).not.toHaveProperty('fix');
  });

  it('skips findings the model itself rates below 0.5 without counting them as invalid', () => {
    const logger = recordingLogger();
    const result = readFindings(
      message({
        findings: [
          { ...valid, confidence: 0.3 },
          { ...valid, confidence: 0.5 },
          valid,
        ],
      }),
      chunk,
      logger,
    );
    expect(result.findings).toHaveLength(2);
    expect(result.droppedItems).toBe(0);
    expect(logger.entries.find((e) => e.level === 'info')?.obj).toMatchObject({
      count: 1,
    });
  });

  it('throws when the model did not call the tool, so the chunk counts as not reviewed', () => {
    expect(() =>
      readFindings(
        message(undefined, {
          content: [{ type: 'text', text: 'Looks good to me!' }],
          stop_reason: 'end_turn',
        }),
        chunk,
        recordingLogger(),
      ),
    ).toThrow(/could not be read: it did not call report_findings/);
  });

  it('throws when the tool input is not an object with a findings list: a string, unparsed JSON, a list', () => {
    expect(() =>
      readFindings(
        message('{"findings": [{"path": "src/a.ts",'),
        chunk,
        recordingLogger(),
      ),
    ).toThrow(/could not be read: the report_findings input was a string/);
    expect(() =>
      readFindings(message({ findings: 'none' }), chunk, recordingLogger()),
    ).toThrow(/without a findings list/);
    expect(() =>
      readFindings(message(['a']), chunk, recordingLogger()),
    ).toThrow(/a list, not an object/);
  });

  it('ignores calls to other tools and a summary that is not text', () => {
    const result = readFindings(
      message(undefined, {
        content: [
          {
            type: 'tool_use',
            id: 'a',
            name: 'something_else',
            input: { findings: [valid] },
          },
          {
            type: 'tool_use',
            id: 'b',
            name: 'report_findings',
            input: { findings: [valid], summary: 42 },
          },
        ],
      }),
      chunk,
      recordingLogger(),
    );
    expect(result.findings).toHaveLength(1);
    expect(result).not.toHaveProperty('summary');
  });

  it('throws when the answer was cut off by the output limit, so the chunk counts as not reviewed', () => {
    expect(() =>
      readFindings(
        message({ findings: [valid] }, { stop_reason: 'max_tokens' }),
        chunk,
        recordingLogger(),
      ),
    ).toThrow(/max_output_tokens/);
  });
});
