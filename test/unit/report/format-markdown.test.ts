import { describe, expect, it } from 'vitest';
import { formatMarkdown } from '../../../src/report/format-markdown.ts';
import { finding, result } from './build-result.ts';

describe('formatMarkdown', () => {
  it('has the summary followed by every finding', () => {
    const findings = [
      finding({ id: 'aaaa0001', path: 'db/1.sql' }),
      finding({
        id: 'aaaa0002',
        severity: 'low',
        path: 'src/<b>.ts',
        title: 'Hi @all',
      }),
    ];
    const out = formatMarkdown(result({ findings }), { durationMs: 500 });
    expect(
      out.startsWith(
        '# Backend Architect review of `0123456789ab`\n\n❌ **Gate failed.**',
      ),
    ).toBe(true);
    expect(out).toContain(
      '| **Total** | **0** | **1** | **0** | **1** | **2** |',
    );
    expect(out).toContain('took 500 ms');
    expect(out).toContain(
      '## Findings (2)\n\n🟠 **High** · Data & schema · `db/1.sql:10`',
    );
    expect(out).toContain(
      '🔵 **Low** · Data & schema · `src/<b>.ts:10`\n\n**Hi @\u200Dall**',
    );
    expect(out.endsWith('ID `aaaa0002`</sub>\n')).toBe(true);
  });

  it('has no findings section when there are none', () => {
    expect(formatMarkdown(result())).not.toContain('## Findings (');
  });
});
