import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatJson } from '../../../src/report/format-json.ts';
import { coverage, finding, result, usage } from './build-result.ts';

const Side = z.enum(['LEFT', 'RIGHT']);
const ReportSchema = z.strictObject({
  version: z.literal(1),
  headSha: z.string(),
  gate: z.strictObject({
    conclusion: z.string(),
    reason: z.string(),
    blockingIds: z.array(z.string()),
  }),
  counts: z.strictObject({
    critical: z.int(),
    high: z.int(),
    medium: z.int(),
    low: z.int(),
    total: z.int(),
  }),
  findings: z.array(
    z.strictObject({
      id: z.string(),
      fingerprint: z.string(),
      ruleId: z.string(),
      lens: z.enum([
        'api-contract',
        'schema',
        'failure-mode',
        'security',
        'performance',
      ]),
      severity: z.enum(['critical', 'high', 'medium', 'low']),
      source: z.enum(['analyzer', 'model']),
      path: z.string(),
      lines: z
        .strictObject({ start: z.int(), end: z.int(), side: Side })
        .nullable(),
      placement: z.union([
        z.strictObject({
          kind: z.literal('inline'),
          line: z.int(),
          startLine: z.int().nullable(),
          side: Side,
          movedFrom: z.int().nullable(),
        }),
        z.strictObject({ kind: z.literal('file'), reason: z.string() }),
      ]),
      title: z.string(),
      body: z.string(),
      fix: z.string().nullable(),
      confidence: z.number().nullable(),
      related: z.array(
        z.strictObject({ path: z.string(), line: z.int(), note: z.string() }),
      ),
      evidence: z.array(
        z.strictObject({
          path: z.string(),
          line: z.int(),
          endLine: z.int().nullable(),
        }),
      ),
      state: z.enum(['open', 'suppressed']),
      suppression: z
        .strictObject({ by: z.literal('verification'), reason: z.string() })
        .nullable(),
    }),
  ),
  coverage: z.strictObject({
    complete: z.boolean(),
    unlistedFiles: z.int(),
    files: z.array(
      z.strictObject({
        path: z.string(),
        status: z.enum(['reviewed', 'partial', 'not-reviewed', 'out-of-scope']),
        reasons: z.array(z.string()),
      }),
    ),
    notes: z.array(
      z.strictObject({
        source: z.string(),
        message: z.string(),
        path: z.string().nullable(),
        line: z.int().nullable(),
      }),
    ),
    model: z.strictObject({
      status: z.string(),
      detail: z.string().nullable(),
      chunksTotal: z.int(),
      chunksReviewed: z.int(),
    }),
  }),
  usage: z.strictObject({
    model: z.string().nullable(),
    requests: z.int(),
    inputTokens: z.int(),
    outputTokens: z.int(),
    cacheReadTokens: z.int(),
    cacheCreationTokens: z.int(),
    costUsd: z.number().nullable(),
  }),
  summaries: z.array(z.string()),
  changeMap: z.strictObject({
    dataModel: z.array(
      z.strictObject({ path: z.string(), changes: z.array(z.string()) }),
    ),
    api: z.array(
      z.strictObject({
        text: z.string(),
        path: z.string(),
        line: z.int().optional(),
      }),
    ),
    outboundCalls: z.array(
      z.strictObject({
        text: z.string(),
        path: z.string(),
        line: z.int().optional(),
        timeout: z.boolean(),
        retry: z.boolean(),
      }),
    ),
    config: z.array(
      z.strictObject({
        text: z.string(),
        path: z.string(),
        line: z.int().optional(),
      }),
    ),
    messaging: z.array(
      z.strictObject({
        text: z.string(),
        path: z.string(),
        line: z.int().optional(),
      }),
    ),
    narrative: z.array(z.string()),
  }),
});

describe('formatJson', () => {
  const findings = [
    finding({
      id: 'aaaa0001',
      fix: 'Add a default.',
      related: [{ path: 'a.ts', line: 1, note: 'n' }],
    }),
    finding({
      id: 'aaaa0002',
      severity: 'low',
      source: 'model',
      ruleId: 'schema/model',
      confidence: 0.5,
      lines: undefined,
      placement: { kind: 'file', reason: 'about the file as a whole' },
    }),
  ];
  const report = result({
    findings,
    summaries: ['Adds a column.'],
    coverage: coverage({ notes: [{ source: 'sql', message: 'm' }] }),
    usage: usage({ costUsd: undefined }),
  });

  it('matches the documented version-1 shape, with nulls for absent values', () => {
    const parsed = ReportSchema.parse(JSON.parse(formatJson(report)));
    expect(parsed.counts).toEqual({
      critical: 0,
      high: 1,
      medium: 0,
      low: 1,
      total: 2,
    });
    expect(parsed.gate).toEqual({
      conclusion: 'failure',
      reason: '1 finding at or above the gate severity (high).',
      blockingIds: ['aaaa0001'],
    });
    expect(parsed.findings[0]!.placement).toEqual({
      kind: 'inline',
      line: 10,
      startLine: null,
      side: 'RIGHT',
      movedFrom: null,
    });
    expect(parsed.findings[1]).toMatchObject({
      lines: null,
      fix: null,
      confidence: 0.5,
      related: [],
      placement: { kind: 'file', reason: 'about the file as a whole' },
    });
    expect(parsed.coverage.notes).toEqual([
      { source: 'sql', message: 'm', path: null, line: null },
    ]);
    expect(parsed.usage.costUsd).toBeNull();
  });

  it('is pretty, stable and key-ordered', () => {
    const text = formatJson(report);
    expect(text).toBe(formatJson(structuredClone(report)));
    expect(text.endsWith('}\n')).toBe(true);
    expect(
      text.startsWith(
        '{\n  "version": 1,\n  "headSha": "0123456789abcdef0123456789abcdef01234567",\n  "gate": {',
      ),
    ).toBe(true);
    expect(Object.keys(JSON.parse(text))).toEqual([
      'version',
      'headSha',
      'gate',
      'counts',
      'findings',
      'coverage',
      'usage',
      'summaries',
      'changeMap',
    ]);
    expect(Object.keys(JSON.parse(text).findings[0])).toEqual([
      'id',
      'fingerprint',
      'ruleId',
      'lens',
      'severity',
      'source',
      'path',
      'lines',
      'placement',
      'title',
      'body',
      'fix',
      'confidence',
      'related',
      'evidence',
      'state',
      'suppression',
    ]);
  });

  it('does not depend on the key order of its input', () => {
    const shuffled = findings.map(
      (f) => Object.fromEntries(Object.entries(f).reverse()) as typeof f,
    );
    expect(
      formatJson({
        ...report,
        findings: shuffled,
        gate: { ...report.gate, blocking: [shuffled[0]!] },
      }),
    ).toBe(formatJson(report));
  });
});
