import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/config/schema.ts';
import type { Finding } from '../../../src/core/finding.ts';
import { decideGate } from '../../../src/core/gate.ts';
import {
  explanationText,
  helpText,
} from '../../../src/report/command-replies.ts';
import {
  pullRequestCheckOutput,
  summaryCommentBody,
  type PullRequestReport,
} from '../../../src/report/pull-request-report.ts';

const HEAD = 'abcdef1'.padEnd(40, '0');

function finding(
  id: string,
  severity: Finding['severity'],
  title = `Finding ${id}`,
): Finding {
  return {
    lens: 'security',
    severity,
    ruleId: 'security/model',
    source: 'model',
    path: 'src/a.ts',
    lines: { start: 3, end: 3, side: 'RIGHT' },
    title,
    body: 'Body.',
    id,
    fingerprint: id.padEnd(64, '0'),
    placement: { kind: 'inline', line: 3, side: 'RIGHT' },
  };
}

function report(over: Partial<PullRequestReport> = {}): PullRequestReport {
  const open = over.open ?? [
    finding('aaaaaaa1', 'high'),
    finding('aaaaaaa2', 'medium'),
  ];
  const waivers = over.waivers ?? [];
  return {
    headSha: HEAD,
    gate: decideGate(
      open,
      { modelNotConfigured: false },
      DEFAULT_CONFIG,
      new Set(waivers.map((w) => w.fingerprint)),
    ),
    gateSeverity: 'high',
    completeness: 'complete',
    open,
    waivers,
    fixedNow: [],
    fixedRecently: [],
    coverageMarkdown: '### Coverage\n\n1 reviewed',
    coverageLine: '1 reviewed',
    modelLine: 'AI review completed (1 of 1 chunk).',
    configProblems: [],
    summaries: [],
    cost: {
      usd: 0.0123,
      priced: true,
      requests: 3,
      inputTokens: 3000,
      outputTokens: 300,
    },
    reviews: 2,
    checkRunUrl: 'https://github.com/acme/api/runs/9',
    ...over,
  };
}

describe('pull request report', () => {
  it('titles the check run by the open, unwaived findings and the gate', () => {
    expect(pullRequestCheckOutput(report()).title).toBe(
      '1 high, 1 medium — gate failed (high)',
    );
    const waived = report({
      waivers: [
        {
          id: 'aaaaaaa1',
          fingerprint: 'aaaaaaa1'.padEnd(64, '0'),
          title: 'Finding aaaaaaa1',
          by: 'alice',
          reason: 'accepted',
        },
      ],
    });
    expect(pullRequestCheckOutput(waived).title).toBe(
      '1 medium (1 waived) — passed',
    );
    expect(
      pullRequestCheckOutput(
        report({
          open: [],
          completeness: 'pending',
          gate: decideGate(
            [],
            { modelNotConfigured: false, pending: 'held' },
            DEFAULT_CONFIG,
          ),
        }),
      ).title,
    ).toBe('No findings — AI review awaits a maintainer');
  });

  it('lists every open finding in the details, waived ones marked, and the running cost', () => {
    const waived = report({
      waivers: [
        {
          id: 'aaaaaaa1',
          fingerprint: 'aaaaaaa1'.padEnd(64, '0'),
          title: 'Finding aaaaaaa1',
          by: 'alice',
          reason: 'accepted <b>risk</b>',
        },
      ],
    });
    const output = pullRequestCheckOutput(waived);
    expect(output.text).toMatch(/^## Open findings \(2\)/);
    expect(output.text!.indexOf('Finding aaaaaaa2')).toBeLessThan(
      output.text!.indexOf('_Waived._'),
    );
    expect(output.summary).toContain('### Waived (1)');
    expect(output.summary).toContain('accepted &lt;b&gt;risk&lt;/b&gt;');
    expect(output.summary).toContain(
      'Cost so far on this pull request: ≈ $0.0123 for 3 model requests',
    );
  });

  it('renders the summary comment with open, waived and fixed findings and no live mention of the waiver`s author', () => {
    const body = summaryCommentBody(
      report({
        waivers: [
          {
            id: 'aaaaaaa2',
            fingerprint: 'aaaaaaa2'.padEnd(64, '0'),
            title: 'Finding aaaaaaa2',
            by: 'alice',
            reason: 'ok',
          },
        ],
        fixedRecently: [
          {
            id: 'bbbbbbbb',
            title: 'Old <script>',
            severity: 'high',
            sha: 'f00dcafe'.padEnd(40, '0'),
          },
        ],
      }),
    );
    expect(body.startsWith('## Backend Architect')).toBe(true);
    expect(body).toContain('[Check run](https://github.com/acme/api/runs/9)');
    expect(body).toContain('**Open findings: 1**');
    expect(body).toContain('waived by @\u200Dalice: ok');
    expect(body).toContain(
      '`bbbbbbbb` Old &lt;script&gt; — fixed in `f00dcaf`',
    );
    expect(body).not.toContain('<!--');
  });

  it('keeps the summary comment well under GitHub`s limit, leaving room for the state', () => {
    const many = Array.from({ length: 400 }, (_, i) =>
      finding(i.toString(16).padStart(8, '0'), 'low', 'x'.repeat(300)),
    );
    expect(
      summaryCommentBody(report({ open: many })).length,
    ).toBeLessThanOrEqual(65_535 - 45_000);
  });
});

describe('command replies', () => {
  it('lists every command, with the problem first when there was one', () => {
    const help = helpText('Unknown command `deploy`.');
    expect(help.startsWith('⚠️ Unknown command `deploy`.')).toBe(true);
    for (const command of [
      '/architect review',
      '/architect review <lens>',
      '/architect explain',
      '/architect ignore <finding-id> <reason>',
      '/architect unignore <finding-id>',
      '/architect config',
      '/architect help',
    ]) {
      expect(help).toContain(`\`${command}\``);
    }
  });

  it('renders an explanation with everything the model wrote sanitized', () => {
    const text = explanationText({
      id: 'aaaaaaa1',
      title: 'T',
      body: 'Because <img src=x> @octocat',
      fix: 'Do this',
      summary: 'In short',
      stillReported: true,
      usage: 'fake · 1 request',
    });
    expect(text).toContain('**Explanation of `aaaaaaa1`**');
    expect(text).not.toContain('<img');
    expect(text).not.toMatch(/(^|[^\u200D])@octocat/);
    expect(
      explanationText({
        id: 'x',
        title: 'T',
        stillReported: false,
        usage: 'u',
      }),
    ).toContain('no longer reports this problem');
  });
});
