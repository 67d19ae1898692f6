import { describe, expect, it } from 'vitest';
import type { Finding, Placement } from '../../../src/core/finding.ts';
import {
  reviewComment,
  splitFindings,
} from '../../../src/github/review/review-comments.ts';

function finding(
  id: string,
  placement: Placement,
  severity: Finding['severity'] = 'high',
): Finding {
  return {
    id,
    fingerprint: id.padEnd(64, '0'),
    placement,
    lens: 'security',
    severity,
    ruleId: 'security/model',
    source: 'model',
    path: 'src/orders.ts',
    title: `finding ${id}`,
    body: 'body',
  };
}

describe('reviewComment', () => {
  it('anchors a single line by line and side', () => {
    expect(
      reviewComment(
        finding('a', { kind: 'inline', line: 12, side: 'RIGHT' }),
        'text',
      ),
    ).toEqual({ path: 'src/orders.ts', body: 'text', line: 12, side: 'RIGHT' });
  });

  it('anchors a range with start_line and start_side on the same side', () => {
    expect(
      reviewComment(
        finding('a', { kind: 'inline', startLine: 4, line: 9, side: 'LEFT' }),
        'text',
      ),
    ).toEqual({
      path: 'src/orders.ts',
      body: 'text',
      line: 9,
      side: 'LEFT',
      start_line: 4,
      start_side: 'LEFT',
    });
  });

  it('refuses a file-level finding', () => {
    expect(() =>
      reviewComment(finding('a', { kind: 'file', reason: 'whole file' }), 'x'),
    ).toThrow(/no inline anchor/);
  });
});

describe('splitFindings', () => {
  it('keeps inline findings inline up to the cap and lists file-level and overflow ones in the body', () => {
    const inline = Array.from({ length: 4 }, (_, i) =>
      finding(`i${i}`, { kind: 'inline', line: i + 1, side: 'RIGHT' }),
    );
    const fileLevel = finding('f', { kind: 'file', reason: 'whole file' });
    const split = splitFindings([inline[0]!, fileLevel, ...inline.slice(1)], 3);
    expect(split.inline.map((f) => f.id)).toEqual(['i0', 'i1', 'i2']);
    expect(split.inBody.map((f) => f.id)).toEqual(['f', 'i3']);
  });
});
