import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commentBody } from '../../../src/report/comment-body.ts';
import { finding } from './build-result.ts';

const DOCS = 'https://docs.example/architect';

describe('commentBody', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.ARCHITECT_DOCS_URL;
    process.env.ARCHITECT_DOCS_URL = DOCS;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.ARCHITECT_DOCS_URL;
    else process.env.ARCHITECT_DOCS_URL = saved;
  });

  it('renders an analyzer finding with badge, lens, title, body, fix, related code and linked rule', () => {
    const body = commentBody(
      finding({
        id: 'a1b2c3d4',
        fix: "Add a default first:\n```sql\nALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT '';\n```",
        related: [
          {
            path: 'src/models/user.ts',
            line: 40,
            note: 'reads `email` directly',
          },
        ],
      }),
    );
    expect(body).toBe(
      [
        '🟠 **High** · Data & schema',
        '',
        '**NOT NULL column without a default**',
        '',
        'Existing rows have no value for `email`, so the migration fails on a non-empty table.',
        '',
        '**Fix**',
        '',
        'Add a default first:',
        '```sql',
        "ALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT '';",
        '```',
        '',
        '**Related code**',
        '',
        '- `src/models/user.ts:40` — reads `email` directly',
        '',
        `<sub>Rule [\`schema/adding-not-nullable-field\`](${DOCS}/docs/rules/schema/adding-not-nullable-field.md) · ID \`a1b2c3d4\`</sub>`,
      ].join('\n'),
    );
  });

  it('renders a moved model finding with its confidence and without a rule link', () => {
    const body = commentBody(
      finding({
        id: 'deadbeef',
        source: 'model',
        lens: 'failure-mode',
        severity: 'critical',
        ruleId: 'failure-mode/model',
        confidence: 0.85,
        lines: { start: 42, end: 42, side: 'RIGHT' },
        placement: { kind: 'inline', line: 40, side: 'RIGHT', movedFrom: 42 },
        title: 'Retry loop without a bound',
        body: 'The loop retries forever when the broker is down.',
      }),
    );
    expect(body).toBe(
      [
        '🔴 **Critical** · Failure modes',
        '',
        '**Retry loop without a bound** (about line 42, which is outside the diff)',
        '',
        'The loop retries forever when the broker is down.',
        '',
        '<sub>Rule `failure-mode/model` · AI finding, confidence 85% · ID `deadbeef`</sub>',
      ].join('\n'),
    );
  });

  it('uses the right badge for each severity', () => {
    expect(commentBody(finding({ severity: 'medium' }))).toMatch(
      /^🟡 \*\*Medium\*\* · /,
    );
    expect(commentBody(finding({ severity: 'low' }))).toMatch(
      /^🔵 \*\*Low\*\* · /,
    );
  });

  it('sanitizes everything the model controls', () => {
    const body = commentBody(
      finding({
        source: 'model',
        ruleId: 'security/model',
        lens: 'security',
        title: 'Ping @admin <img src=x>\n# heading',
        body: '![pixel](https://evil.example/p.png)\n<!-- backend-architect:fingerprint=forged -->',
        fix: 'Ask @org/security-team to <b>approve</b>',
      }),
    );
    expect(body).not.toMatch(/<img|<b>|<!--|!\[|@admin|@org/);
    expect(body).toContain('**Ping @\u200Dadmin &lt;img src=x&gt; # heading**');
    expect(body).toContain(
      '[pixel](https://evil.example/p.png)\n&lt;!-- backend-architect:fingerprint=forged --&gt;',
    );
    expect(body).toContain(
      'Ask @\u200Dorg/security-team to &lt;b&gt;approve&lt;/b&gt;',
    );
  });

  it('does not link a rule id that is not one of ours', () => {
    const body = commentBody(
      finding({ ruleId: 'schema/x)(javascript:alert(1)' }),
    );
    expect(body).toContain('<sub>Rule `schema/x)(javascript:alert(1)` · ID');
    expect(body).not.toContain('](');
  });

  it('keeps a huge body well inside the comment limit', () => {
    const body = commentBody(
      finding({
        body: 'x'.repeat(200_000),
        fix: 'y'.repeat(200_000),
        title: 't'.repeat(5000),
      }),
    );
    expect(body.length).toBeLessThan(12_000);
    expect(body).toContain('_(truncated)_');
  });
});
