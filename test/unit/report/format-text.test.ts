import { describe, expect, it } from 'vitest';
import { formatText } from '../../../src/report/format-text.ts';
import { coverage, finding, result } from './build-result.ts';

describe('formatText', () => {
  const findings = [
    finding({
      id: 'aaaa0001',
      severity: 'high',
      path: 'db/1.sql',
      lines: { start: 10, end: 10, side: 'RIGHT' },
      fix: 'Add a default.\nThen backfill.',
    }),
    finding({
      id: 'aaaa0002',
      severity: 'medium',
      source: 'model',
      ruleId: 'security/model',
      lens: 'security',
      confidence: 0.7,
      path: 'src/api.ts',
      lines: { start: 30, end: 32, side: 'RIGHT' },
      title: 'Token logged',
      body: 'The token reaches the log.\nMask it.',
    }),
    finding({
      id: 'aaaa0003',
      severity: 'low',
      path: 'db/1.sql',
      lines: { start: 2, end: 2, side: 'LEFT' },
      ruleId: 'schema/dropped-index',
      title: 'Index dropped',
      body: '',
    }),
  ];

  it('groups findings by file with the body indented, then coverage, model and the verdict', () => {
    const cov = coverage({
      complete: false,
      files: [
        { path: 'db/1.sql', status: 'reviewed', reasons: [] },
        {
          path: 'big.bin',
          status: 'not-reviewed',
          reasons: ['no diff available'],
        },
        {
          path: 'README.md',
          status: 'out-of-scope',
          reasons: ['not backend code'],
        },
      ],
      notes: [
        {
          source: 'sql',
          message: 'could not analyse',
          path: 'db/2.sql',
          line: 4,
        },
      ],
    });
    expect(formatText(result({ findings, coverage: cov }))).toBe(
      [
        'db/1.sql (removed line 2)  low       schema/dropped-index  Index dropped',
        '    id aaaa0003',
        'db/1.sql:10  high      schema/adding-not-nullable-field  NOT NULL column without a default',
        '    Existing rows have no value for `email`, so the migration fails on a non-empty table.',
        '    Fix: Add a default.',
        '    Then backfill.',
        '    id aaaa0001',
        '',
        'src/api.ts:30-32  medium    security/model  Token logged',
        '    The token reaches the log.',
        '    Mask it.',
        '    id aaaa0002 · AI finding, confidence 70%',
        '',
        'Coverage: 1 reviewed · 0 partially reviewed · 1 not reviewed · 1 out of scope (3 changed files)',
        '  not reviewed  big.bin: no diff available',
        '  note  sql: could not analyse (db/2.sql:4)',
        'AI review completed (1 of 1 chunk).',
        'Usage: claude-sonnet-5-5 · 1 request · 12,345 input, 678 output, 9,000 cache-read, 0 cache-write tokens · ≈ $0.0523',
        'Gate failed: 1 finding at or above the gate severity (high). (1 high, 1 medium, 1 low)',
        '',
      ].join('\n'),
    );
  });

  it('says when there are no findings', () => {
    const out = formatText(result());
    expect(out.startsWith('No findings.\n\nCoverage: 1 reviewed')).toBe(true);
    expect(
      out.endsWith(
        'Gate passed: No findings at or above the gate severity (high). (no findings)\n',
      ),
    ).toBe(true);
  });

  it('colours only when asked', () => {
    expect(formatText(result({ findings }))).not.toContain('\u001b[');
    const coloured = formatText(result({ findings }), { color: true });
    expect(coloured).toContain('\u001b[31mhigh    \u001b[39m');
    expect(coloured).toContain(
      '\u001b[31m\u001b[1mGate failed\u001b[22m\u001b[39m',
    );
  });

  it('strips terminal escape sequences from untrusted text', () => {
    const out = formatText(
      result({
        findings: [
          finding({
            title: 'evil \u001b]0;pwned\u0007 title',
            body: '\u001b[2J cleared',
          }),
        ],
      }),
    );
    expect(out).not.toMatch(/[\u0000-\u0008\u000B-\u001F]/);
    expect(out).toContain('evil ]0;pwned title');
  });
});
