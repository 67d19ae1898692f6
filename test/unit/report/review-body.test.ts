import { describe, expect, it } from 'vitest';
import { reviewBody } from '../../../src/report/review-body.ts';
import { coverage, finding, result } from './build-result.ts';

describe('reviewBody', () => {
  it('says the verdict and the counts, and links the check run', () => {
    const findings = [
      finding({ severity: 'high' }),
      finding({ severity: 'high' }),
      finding({ severity: 'low' }),
    ];
    const body = reviewBody(result({ findings }), {
      fileLevel: [],
      checkRunUrl: 'https://github.com/o/r/runs/7',
    });
    expect(body).toBe(
      [
        '**Backend Architect** · ❌ Gate failed: 2 findings at or above the gate severity (high).',
        '',
        'Findings: 🟠 2 high · 🔵 1 low',
        '',
        '[Coverage, usage and every finding in the check run](https://github.com/o/r/runs/7)',
      ].join('\n'),
    );
  });

  it('says so when nothing was found', () => {
    const body = reviewBody(result(), { fileLevel: [] });
    expect(body).toBe(
      '**Backend Architect** · ✅ Gate passed: No findings at or above the gate severity (high).\n\nNo findings.',
    );
  });

  it('warns that a verdict covers only part of the pull request', () => {
    const partial = coverage({
      complete: false,
      files: [
        { path: 'big.sql', status: 'not-reviewed', reasons: ['no diff'] },
      ],
    });
    const body = reviewBody(
      result({ findings: [finding()], coverage: partial }),
      { fileLevel: [] },
    );
    expect(body).toContain(
      '⚠️ Only part of this pull request was reviewed: 1 file was not reviewed.',
    );
  });

  it('ignores a check run URL that could break out of the link', () => {
    const body = reviewBody(result(), {
      fileLevel: [],
      checkRunUrl: 'javascript:alert(1)',
    });
    expect(body).not.toContain('check run');
    expect(
      reviewBody(result(), {
        fileLevel: [],
        checkRunUrl: 'https://x.example/a) [y](z',
      }),
    ).not.toContain('check run');
  });

  it('lists file-level and folded findings with their locations in collapsible sections', () => {
    const whole = finding({
      id: 'file0001',
      severity: 'medium',
      lens: 'api-contract',
      ruleId: 'api-contract/removed-endpoint',
      path: 'openapi.yaml',
      lines: undefined,
      placement: { kind: 'file', reason: 'about the file as a whole' },
      title: 'Endpoint removed',
      body: 'Clients of `GET /users` break.',
    });
    const folded = finding({
      id: 'fold0001',
      severity: 'low',
      path: 'src/app.ts',
      lines: { start: 12, end: 14, side: 'RIGHT' },
      placement: { kind: 'inline', line: 14, startLine: 12, side: 'RIGHT' },
      title: 'Slow <loop>',
      body: 'cc @someone',
    });
    const body = reviewBody(result({ findings: [whole, folded] }), {
      fileLevel: [whole],
      folded: [folded],
    });
    expect(body).toContain(
      [
        '<details open>',
        '<summary>About whole files (1)</summary>',
        '',
        '🟡 **Medium** · API contract · `openapi.yaml`',
        '',
        '**Endpoint removed** — about the file as a whole',
        '',
        'Clients of `GET /users` break.',
      ].join('\n'),
    );
    expect(body).toContain(
      [
        '<details open>',
        '<summary>Could not be placed on the diff (1)</summary>',
        '',
        '🔵 **Low** · Data & schema · `src/app.ts:12-14`',
        '',
        '**Slow &lt;loop&gt;**',
        '',
        'cc @\u200Dsomeone',
      ].join('\n'),
    );
    expect(body.match(/<\/details>/g)).toHaveLength(2);
  });

  it('collapses long sections', () => {
    const many = Array.from({ length: 6 }, () =>
      finding({
        lines: undefined,
        placement: { kind: 'file', reason: 'about the file as a whole' },
      }),
    );
    const body = reviewBody(result({ findings: many }), { fileLevel: many });
    expect(body).toContain(
      '<details>\n<summary>About whole files (6)</summary>',
    );
  });

  it('mentions the model summaries briefly, sanitized', () => {
    const summaries = [
      'Adds a column.\n\nLooks <b>fine</b>.',
      'Two',
      'Three',
      'Four',
    ];
    const body = reviewBody(result({ summaries }), { fileLevel: [] });
    expect(body).toContain(
      '**Summary**\n\n- Adds a column. Looks &lt;b&gt;fine&lt;/b&gt;.\n- Two\n- Three\n- …and 1 more in the check run',
    );
  });

  it('stays within GitHub’s body limit, dropping whole findings with a note', () => {
    const many = Array.from({ length: 40 }, () =>
      finding({
        body: 'b'.repeat(10_000),
        fix: 'f'.repeat(10_000),
        lines: undefined,
        placement: { kind: 'file', reason: 'about the file as a whole' },
      }),
    );
    const body = reviewBody(result({ findings: many }), {
      fileLevel: many,
      folded: many.slice(0, 10),
    });
    expect(body.length).toBeLessThanOrEqual(65_535);
    expect(body).toMatch(
      /_…and \d+ more findings, listed in the check run\._\n\n<\/details>/,
    );
    expect(body.match(/<details/g)).toHaveLength(2);
    expect(body.match(/<\/details>/g)).toHaveLength(2);
  });
});
