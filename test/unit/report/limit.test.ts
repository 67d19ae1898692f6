import { describe, expect, it } from 'vitest';
import {
  bulletList,
  fitBlocks,
  limitMarkdown,
  truncateUtf8,
} from '../../../src/report/limit.ts';

describe('fitBlocks', () => {
  it('joins everything when it fits', () => {
    expect(fitBlocks(['a', 'b'], 10, (n) => `${n} more`)).toBe('a\n\nb');
  });

  it('drops whole blocks from the end and counts them', () => {
    const out = fitBlocks(
      ['a'.repeat(10), 'b'.repeat(10), 'c'.repeat(10)],
      30,
      (n) => `+${n}`,
    );
    expect(out).toBe(`${'a'.repeat(10)}\n\n${'b'.repeat(10)}\n\n+1`);
    expect(
      fitBlocks(
        ['a'.repeat(10), 'b'.repeat(10), 'c'.repeat(10)],
        25,
        (n) => `+${n}`,
      ),
    ).toBe(`${'a'.repeat(10)}\n\n+2`);
  });
});

describe('limitMarkdown', () => {
  it('returns short text unchanged', () => {
    expect(limitMarkdown('short', 100)).toBe('short');
  });

  it('cuts at a line and closes an open fence and details block', () => {
    const text = `<details>\n<summary>x</summary>\n\n\`\`\`\`\n${'line\n'.repeat(400)}\`\`\`\`\n</details>`;
    const out = limitMarkdown(text, 1000, '_(cut)_');
    expect(out.length).toBeLessThanOrEqual(1000);
    expect(out.endsWith('line\n\n````\n\n</details>\n\n_(cut)_')).toBe(true);
  });
});

describe('bulletList', () => {
  it('caps items by count and length', () => {
    expect(bulletList(['a', 'b', 'c'], 2, 1000)).toBe(
      '- a\n- b\n- …and 1 more',
    );
    expect(bulletList(['x'.repeat(50), 'y'.repeat(50), 'z'], 10, 100)).toBe(
      `- ${'x'.repeat(50)}\n- …and 2 more`,
    );
    expect(bulletList(['a', 'b'], 2, 1000)).toBe('- a\n- b');
  });
});

describe('truncateUtf8', () => {
  it('never splits a character', () => {
    expect(truncateUtf8('€€€', 7)).toBe('€…');
    expect(truncateUtf8('€€', 6)).toBe('€€');
  });
});
