import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  vi,
} from 'vitest';
import { createReviewer } from '../../../src/agent/create-reviewer.ts';
import { defaultRedactor } from '../../../src/analyzers/index.ts';
import { ConfigSchema } from '../../../src/config/schema.ts';
import { reviewChangeSet } from '../../../src/core/review.ts';
import { formatJson } from '../../../src/report/format-json.ts';
import { formatSarif } from '../../../src/report/format-sarif.ts';
import { formatText } from '../../../src/report/format-text.ts';
import { addedFile, changeSet } from '../../support/change-set.ts';
import { FakeModel, isVerification } from '../../support/fake-model.ts';

const model = new FakeModel();
beforeAll(() => model.listen());
afterAll(() => model.close());
beforeEach(() => {
  model.requests.length = 0;
  vi.stubEnv('ANTHROPIC_CUSTOM_HEADERS', '');
});

const lines = [
  'export async function charge(order) {',
  '  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });',
  '  return res.json();',
  '}',
];
const files = [addedFile('src/payments/client.ts', lines)];
const contents = {
  head: { 'src/payments/client.ts': `${lines.join('\n')}\n` },
};

const reported = (title: string, severity: string, line: number) => ({
  path: 'src/payments/client.ts',
  line,
  category: 'failure-mode',
  severity,
  title,
  body: 'details',
  confidence: 0.9,
});

function reviewer() {
  return createReviewer({
    env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: model.url },
    model: 'claude-sonnet-5-5',
    maxOutputTokens: 2000,
    timeoutMs: 10_000,
    maxRetries: 0,
    verifyModel: 'claude-haiku-4-5',
  })!;
}

describe('the verification pass', () => {
  it('drops a scripted false finding, downgrades another, and keeps the drop visible as suppressed', async () => {
    model.setResponder(() => ({
      findings: [
        reported('Payment call has no timeout', 'high', 2),
        reported('Response body is never checked', 'high', 3),
        reported('Order total may be negative', 'medium', 1),
        reported('Log line is long', 'low', 4),
      ],
    }));
    model.setVerdicts((_body, text) => {
      if (text.includes('no timeout'))
        return {
          verdict: 'drop',
          reason: 'the call passes AbortSignal.timeout(5000) on line 2',
        };
      if (text.includes('never checked'))
        return {
          verdict: 'downgrade',
          severity: 'medium',
          reason: 'a failed response throws in res.json()',
        };
      return { verdict: 'keep', reason: 'nothing in the code refutes it' };
    });
    const config = ConfigSchema.parse({ model: { tools: false } });
    const result = await reviewChangeSet(changeSet(files, contents), config, {
      analyzers: [],
      reviewer: reviewer(),
      redactor: defaultRedactor(),
    });

    const verifications = model.requests.filter((r) => isVerification(r.body));
    // One request for the three findings that would be posted; the low one is below comments.min_severity.
    expect(verifications).toHaveLength(1);
    expect(verifications[0]!.body.model).toBe('claude-haiku-4-5');
    const sent = JSON.stringify(verifications[0]!.body.messages);
    expect(sent.match(/<finding n=/g)).toHaveLength(3);
    expect(sent).not.toContain('Log line is long');
    // The verifier sees the code each finding points at, with line numbers.
    expect(sent).toContain(
      '2    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });',
    );

    expect(result.findings.map((f) => [f.title, f.severity])).toEqual([
      ['Order total may be negative', 'medium'],
      ['Response body is never checked', 'medium'],
      ['Log line is long', 'low'],
    ]);
    expect(
      result.findings.find((f) => f.title.includes('never checked'))!
        .verification,
    ).toMatchObject({ verdict: 'downgrade', from: 'high' });
    expect(result.suppressed).toHaveLength(1);
    expect(result.suppressed![0]).toMatchObject({
      title: 'Payment call has no timeout',
      suppressed: {
        by: 'verification',
        reason: expect.stringContaining('AbortSignal.timeout'),
      },
    });
    expect(result.coverage.notes).toEqual(
      expect.arrayContaining([
        {
          source: 'verification',
          message: '1 model finding dropped by verification',
        },
        {
          source: 'verification',
          message: '1 model finding downgraded by verification',
        },
      ]),
    );
    expect(result.verification).toEqual({
      checked: 3,
      dropped: 1,
      downgraded: 1,
      failed: 0,
    });
    expect(result.usage.requests).toBe(2);
    expect(result.gate.conclusion).toBe('success');

    const json = JSON.parse(formatJson(result));
    expect(json.counts.total).toBe(3);
    expect(json.findings.map((f: { state: string }) => f.state)).toEqual([
      'open',
      'open',
      'open',
      'suppressed',
    ]);
    expect(json.findings[3].suppression).toEqual({
      by: 'verification',
      reason: 'the call passes AbortSignal.timeout(5000) on line 2',
    });
    const sarif = JSON.parse(
      formatSarif(result, { rules: [], toolVersion: '0.0.0' }),
    );
    const results = sarif.runs[0].results as Array<{
      suppressions?: Array<{ kind: string }>;
    }>;
    expect(results.filter((r) => r.suppressions)).toHaveLength(1);
    expect(formatText(result)).toContain(
      'Downgraded from high by verification',
    );
  });

  it('keeps a finding when the verifier fails, and says it was not verified', async () => {
    model.setResponder(() => ({
      findings: [reported('Payment call has no timeout', 'high', 2)],
    }));
    model.setVerdicts(() => ({ verdict: 'maybe' as never, reason: '' }));
    const result = await reviewChangeSet(
      changeSet(files, contents),
      ConfigSchema.parse({}),
      { analyzers: [], reviewer: reviewer(), redactor: defaultRedactor() },
    );
    expect(result.findings.map((f) => f.title)).toEqual([
      'Payment call has no timeout',
    ]);
    expect(result.suppressed).toEqual([]);
    expect(result.coverage.notes.map((n) => n.message)).toEqual([
      expect.stringMatching(
        /^1 model finding was not verified .* and kept as reported$/,
      ),
    ]);
  });

  it('does not run with model.verify: false', async () => {
    model.setResponder(() => ({
      findings: [reported('Payment call has no timeout', 'high', 2)],
    }));
    const result = await reviewChangeSet(
      changeSet(files, contents),
      ConfigSchema.parse({ model: { verify: false } }),
      { analyzers: [], reviewer: reviewer(), redactor: defaultRedactor() },
    );
    expect(model.requests.filter((r) => isVerification(r.body))).toHaveLength(
      0,
    );
    expect(result.findings).toHaveLength(1);
  });
});
