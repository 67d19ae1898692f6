import { describe, expect, it } from 'vitest';
import {
  failedOutput,
  skippedOutput,
  summaryMarkdown,
} from '../../../src/report/check-run-output.ts';
import { GITHUB_TEXT_LIMIT, limitMarkdown } from '../../../src/report/limit.ts';
import { coverage, finding, result, usage } from './build-result.ts';

const noProblems = { configProblems: [] };

describe('summaryMarkdown', () => {
  it('tabulates findings by lens and severity', () => {
    const findings = [
      finding({ lens: 'security', severity: 'critical' }),
      finding({ lens: 'security', severity: 'medium' }),
      finding({ lens: 'schema', severity: 'high' }),
      finding({ lens: 'performance', severity: 'low' }),
      finding({ lens: 'performance', severity: 'low' }),
    ];
    const summary = summaryMarkdown(result({ findings }), noProblems);
    expect(summary).toContain(
      [
        '| Lens | 🔴 Critical | 🟠 High | 🟡 Medium | 🔵 Low | Total |',
        '|:-----|----:|----:|----:|----:|----:|',
        '| API contract | 0 | 0 | 0 | 0 | 0 |',
        '| Data & schema | 0 | 1 | 0 | 0 | 1 |',
        '| Failure modes | 0 | 0 | 0 | 0 | 0 |',
        '| Security | 1 | 0 | 1 | 0 | 2 |',
        '| Performance | 0 | 0 | 0 | 2 | 2 |',
        '| **Total** | **1** | **1** | **1** | **2** | **5** |',
      ].join('\n'),
    );
    expect(
      summary.startsWith(
        '❌ **Gate failed.** 2 findings at or above the gate severity (high).',
      ),
    ).toBe(true);
  });

  it('reports coverage with reasons, notes, model status and usage', () => {
    const cov = coverage({
      complete: false,
      unlistedFiles: 12,
      files: [
        { path: 'src/a.ts', status: 'reviewed', reasons: [] },
        {
          path: 'src/big.ts',
          status: 'not-reviewed',
          reasons: [
            'no diff available (binary or too large for GitHub to show)',
          ],
        },
        {
          path: 'src/b.ts',
          status: 'partial',
          reasons: ['the model request for this file failed: timeout'],
        },
        {
          path: 'README.md',
          status: 'out-of-scope',
          reasons: ['not backend code under the configured paths'],
        },
      ],
      notes: [
        {
          source: 'sql',
          message: 'could not analyse: syntax error <here>',
          path: 'db/1.sql',
          line: 3,
        },
      ],
      model: {
        status: 'partial',
        detail: 'timeout',
        chunksTotal: 2,
        chunksReviewed: 1,
      },
    });
    const summary = summaryMarkdown(result({ coverage: cov }), {
      configProblems: [],
      durationMs: 83_400,
    });
    expect(summary).toContain(
      [
        '### Coverage',
        '',
        '1 reviewed · 1 partially reviewed · 1 not reviewed · 1 out of scope (4 changed files)',
        '',
        '⚠️ 12 more changed files could not be listed, so they were not reviewed.',
        '',
        '**Not fully reviewed (2)**',
        '',
        '- `src/big.ts` — not reviewed: no diff available (binary or too large for GitHub to show)',
        '- `src/b.ts` — partially reviewed: the model request for this file failed: timeout',
        '',
        '<details>',
        '<summary>Out of scope (1)</summary>',
        '',
        '- `README.md` — not backend code under the configured paths',
        '',
        '</details>',
        '',
        '**Analysis notes (1)**',
        '',
        '- **sql**: could not analyse: syntax error &lt;here&gt; (`db/1.sql:3`)',
        '',
        '### AI review',
        '',
        '⚠️ AI review incomplete: 1 of 2 chunks reviewed (timeout).',
        '',
        'Usage: claude-sonnet-5-5 · 1 request · 12,345 input, 678 output, 9,000 cache-read, 0 cache-write tokens · ≈ $0.0523 · took 83.4 s',
      ].join('\n'),
    );
  });

  it('lists at most 50 files, then says how many more', () => {
    const files = Array.from({ length: 3000 }, (_, i) => ({
      path: `src/f${i}.ts`,
      status: 'not-reviewed' as const,
      reasons: ['over the limit'],
    }));
    const summary = summaryMarkdown(
      result({ coverage: coverage({ files, complete: false }) }),
      noProblems,
    );
    expect(summary).toContain(
      '- `src/f49.ts` — not reviewed: over the limit\n- …and 2950 more',
    );
    expect(summary).not.toContain('src/f50.ts');
  });

  it('says when no model was configured and names the configured model', () => {
    const cov = coverage({
      model: {
        status: 'not-configured',
        detail: 'no ANTHROPIC_API_KEY',
        chunksTotal: 0,
        chunksReviewed: 0,
      },
    });
    const summary = summaryMarkdown(
      result({
        coverage: cov,
        usage: usage({ model: undefined, requests: 0, costUsd: undefined }),
      }),
      {
        configProblems: [],
        model: 'claude-sonnet-5-5',
      },
    );
    expect(summary).toContain(
      'ℹ️ AI review not configured (no ANTHROPIC_API_KEY); only the deterministic analyzers ran.\n\nUsage: claude-sonnet-5-5 · no model requests',
    );
  });

  it('says when a model price is unknown', () => {
    const summary = summaryMarkdown(
      result({ usage: usage({ model: 'claude-new', costUsd: undefined }) }),
      noProblems,
    );
    expect(summary).toContain(
      'Usage: claude-new · 1 request · 12,345 input, 678 output, 9,000 cache-read, 0 cache-write tokens · cost unknown (no price for this model)',
    );
  });

  it('lists configuration problems and says the defaults were used', () => {
    const summary = summaryMarkdown(result(), {
      configProblems: [
        {
          source: '.github/architect.yml',
          path: 'gate.severity',
          message:
            'Invalid option: expected one of "critical"|"high"|"medium"|"low"',
        },
        {
          source: '.github/architect.yml',
          path: '',
          message: 'Unrecognized key: "lense"',
        },
      ],
    });
    expect(summary).toContain(
      [
        '### Configuration problems',
        '',
        '`.github/architect.yml` is not valid, so this review used the default configuration instead:',
        '',
        '- `gate.severity`: Invalid option: expected one of "critical"|"high"|"medium"|"low"',
        '- `(whole file)`: Unrecognized key: "lense"',
      ].join('\n'),
    );
  });

  it('shows the model summaries sanitized', () => {
    const summary = summaryMarkdown(
      result({ summaries: ['Adds <script>x</script> @team'] }),
      noProblems,
    );
    expect(summary).toContain(
      '### Model summary\n\nAdds &lt;script&gt;x&lt;/script&gt; @\u200Dteam',
    );
  });

  it('keeps a summary of an enormous pull request within 65535 characters once limited, and shows at most five model summaries', () => {
    const longPath = `src/${'deep/'.repeat(60)}`;
    const files = Array.from({ length: 3000 }, (_, i) => ({
      path: `${longPath}${i}.ts`,
      status: 'partial' as const,
      reasons: ['r'.repeat(400), 's'.repeat(400)],
    }));
    const notes = Array.from({ length: 500 }, (_, i) => ({
      source: 'sql',
      message: 'm'.repeat(600),
      path: `${longPath}${i}.sql`,
      line: i,
    }));
    const cov = coverage({ files, notes, complete: false });
    const summaries = Array.from({ length: 20 }, () => 'z'.repeat(5000));
    const summary = limitMarkdown(
      summaryMarkdown(result({ coverage: cov, summaries }), noProblems),
      GITHUB_TEXT_LIMIT,
    );
    expect(summary.length).toBeLessThanOrEqual(65_535);
    expect(summary).toContain('### AI review');
    expect(summary).toContain('…and 15 more summaries.');
  });
});

describe('other outputs', () => {
  it('skippedOutput sanitizes the reason', () => {
    expect(skippedOutput('Draft <b>PR</b>')).toEqual({
      title: 'Review skipped',
      summary: 'Draft &lt;b&gt;PR&lt;/b&gt;',
    });
  });

  it('failedOutput sanitizes the error', () => {
    expect(failedOutput('upstream said <!-- x -->')).toEqual({
      title: 'Review failed',
      summary:
        'The review could not be completed: upstream said &lt;!-- x --&gt;\n\nRe-run the check to try again.',
    });
  });
});
