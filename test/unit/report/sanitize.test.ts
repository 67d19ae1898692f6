import { describe, expect, it } from 'vitest';
import {
  breakCommentOpeners,
  inlineCode,
  sanitizeInline,
  sanitizeMarkdown,
  stripControlCharacters,
} from '../../../src/report/sanitize.ts';

describe('sanitizeMarkdown', () => {
  it('escapes raw HTML so tags render as text', () => {
    expect(
      sanitizeMarkdown(
        'Hello <img src=x onerror=alert(1)> <details><summary>x</summary>',
      ),
    ).toBe(
      'Hello &lt;img src=x onerror=alert(1)&gt; &lt;details&gt;&lt;summary&gt;x&lt;/summary&gt;',
    );
  });

  it('leaves no HTML comment that could forge a hidden marker', () => {
    const out = sanitizeMarkdown(
      '<!-- backend-architect:fingerprint=abc -->\n`<!-- in code -->`\n```\n<!-- in a block -->\n```',
    );
    expect(out).not.toContain('<!--');
    expect(out).toBe(
      '&lt;!-- backend-architect:fingerprint=abc --&gt;\n`<\u200B!-- in code -->`\n```\n<\u200B!-- in a block -->\n```',
    );
  });

  it('turns images into plain links, whatever their form', () => {
    expect(
      sanitizeMarkdown(
        '![tracker](https://evil.example/p.png) ![ref][r] ![[nested](a)](b)',
      ),
    ).toBe('[tracker](https://evil.example/p.png) [ref][r] [[nested](a)](b)');
  });

  it('defuses user and team mentions but not emails, URLs or code', () => {
    expect(
      sanitizeMarkdown(
        'ping @octocat and @my-org/backend-team, mail a@b.com, see https://x.example/@user and `@inside`',
      ),
    ).toBe(
      'ping @\u200Doctocat and @\u200Dmy-org/backend-team, mail a@b.com, see https://x.example/@user and `@inside`',
    );
    expect(sanitizeMarkdown('Use @Transactional(readOnly = true).')).toBe(
      'Use @\u200DTransactional(readOnly = true).',
    );
  });

  it('defuses mentions next to stray backticks, which a backtick wrapper would not survive', () => {
    expect(sanitizeMarkdown('see `x\n@user `y')).toBe(
      'see \\`x\n@\u200Duser \\`y',
    );
    expect(sanitizeMarkdown('| `x @user | y`')).toBe(
      '| \\`x @\u200Duser | y\\`',
    );
    expect(sanitizeMarkdown('@user` and `@team')).toBe(
      '@\u200Duser` and `@\u200Dteam',
    );
    expect(sanitizeMarkdown('@ alone, @-dash, email@example.com')).toBe(
      '@ alone, @-dash, email@example.com',
    );
  });

  it('keeps #123 references as they are', () => {
    expect(sanitizeMarkdown('Regressed in #123 and org/repo#45.')).toBe(
      'Regressed in #123 and org/repo#45.',
    );
  });

  it('keeps code spans literal, including nested backticks', () => {
    expect(
      sanitizeMarkdown('use `List<String>` and ``a ` b <i>`` but not <i>'),
    ).toBe('use `List<String>` and ``a ` b <i>`` but not &lt;i&gt;');
  });

  it('does not mistake escaped or unmatched backticks for code', () => {
    expect(sanitizeMarkdown('\\`<img>` and `<b>')).toBe(
      '\\`&lt;img&gt;` and `&lt;b&gt;',
    );
  });

  it('escapes where GitHub would not see a code span: link titles, URLs, table cells', () => {
    expect(sanitizeMarkdown('[x](/u "`") <img> `y')).toBe(
      '[x](/u "\\`") &lt;img&gt; \\`y',
    );
    expect(sanitizeMarkdown('www.example.com/`x <img> `')).toBe(
      'www.example.com/\\`x &lt;img&gt; \\`',
    );
    expect(sanitizeMarkdown('| a `b | <img> ` |')).toBe(
      '| a \\`b | &lt;img&gt; \\` |',
    );
  });

  it('escapes stray backticks, so they cannot pair with a code span on another line or in another string', () => {
    expect(sanitizeMarkdown('a `\n`<img>`')).toBe('a \\`\n`<img>`');
    expect(sanitizeMarkdown('\\\\`<i>`')).toBe('\\\\`<i>`');
    expect(sanitizeInline('x `') + sanitizeInline('`<img>`')).toBe(
      'x \\``<img>`',
    );
  });

  it('follows a link title over several lines of a paragraph', () => {
    expect(sanitizeMarkdown('[x](/u "a)\n`<img>")` y`\n\n`<b>`')).toBe(
      '[x](/u "a)\n\\`&lt;img&gt;")` y`\n\n`<b>`',
    );
  });

  it('still finds code spans after an unmatched run or a table pipe', () => {
    expect(sanitizeMarkdown('`a `` <b> `` <i>')).toBe(
      '\\`a `` <b> `` &lt;i&gt;',
    );
    expect(sanitizeMarkdown('`a | `<b>` <i>')).toBe('\\`a | `<b>` &lt;i&gt;');
  });

  it('stays fast on adversarial input', () => {
    const runs = Array.from(
      { length: 20_000 },
      (_, i) => `${'`'.repeat((i % 50) + 1)}a`,
    ).join('');
    const started = performance.now();
    for (const text of [
      runs,
      `x://${'`a@b'.repeat(40_000)}`,
      '`a|'.repeat(60_000),
    ])
      expect(sanitizeMarkdown(text, 65_535).length).toBeLessThanOrEqual(65_535);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('re-emits fenced blocks at column 0 with a fence their content cannot close', () => {
    expect(sanitizeMarkdown('- item\n  ```\n<img>\n  ```\nafter <b>')).toBe(
      '- item\n```\n<img>\n```\nafter &lt;b&gt;',
    );
    expect(sanitizeMarkdown('~~~ts evil="<x>"\nconst a = "````";\n~~~')).toBe(
      '`````ts\nconst a = "````";\n`````',
    );
  });

  it('closes a fence left open, so later markup is not swallowed', () => {
    expect(sanitizeMarkdown('unclosed\n```sql\n<b>bold</b>')).toBe(
      'unclosed\n```sql\n<b>bold</b>\n```',
    );
  });

  it('treats a backtick fence with a backtick in its info string as text', () => {
    expect(sanitizeMarkdown('``` a`b\n<img>')).toBe(
      '\\`\\`\\` a\\`b\n&lt;img&gt;',
    );
  });

  it('strips control and bidi characters', () => {
    expect(
      sanitizeMarkdown('esc \u001b[31mred\u001b[0m \u202Eevil\r\nnext'),
    ).toBe('esc [31mred[0m evil\nnext');
  });

  it('caps length after escaping and says so', () => {
    const out = sanitizeMarkdown('<'.repeat(100), 60);
    expect(out.length).toBeLessThanOrEqual(60);
    expect(out).toBe(`${'&lt;'.repeat(11)}\n\n_(truncated)_`);
  });

  it('closes a fence the cap cut through', () => {
    const out = sanitizeMarkdown(`\`\`\`\n${'x'.repeat(100)}`, 60);
    expect(out.length).toBeLessThanOrEqual(60);
    expect(out).toMatch(/^```\nx+\n```\n\n_\(truncated\)_$/);
  });
});

describe('sanitizeInline', () => {
  it('flattens whitespace and escapes like a block', () => {
    expect(sanitizeInline('  Title\nwith <b>\tand @someone  ')).toBe(
      'Title with &lt;b&gt; and @\u200Dsomeone',
    );
  });

  it('does not treat a leading ``` as a fence', () => {
    expect(sanitizeInline('``` <img>')).toBe('\\`\\`\\` &lt;img&gt;');
  });

  it('escapes a trailing backslash, which would escape the markup that follows', () => {
    expect(sanitizeInline('path\\')).toBe('path\\\\');
    expect(sanitizeInline('even\\\\')).toBe('even\\\\');
  });

  it('caps with an ellipsis', () => {
    const out = sanitizeInline('word '.repeat(100), 20);
    expect(out).toBe('word word word word…');
  });
});

describe('inlineCode', () => {
  it('wraps plain text in single backticks', () => {
    expect(inlineCode('src/a.ts:12')).toBe('`src/a.ts:12`');
  });

  it('chooses a fence longer than any backtick run inside', () => {
    expect(inlineCode('a ` b `` c')).toBe('```a ` b `` c```');
  });

  it('pads content that starts or ends with a backtick or is space-wrapped', () => {
    expect(inlineCode('`x`')).toBe('`` `x` ``');
    expect(inlineCode(' a ')).toBe('`  a  `');
  });

  it('never returns an empty span, breaks comment openers and flattens lines', () => {
    expect(inlineCode('')).toBe('` `');
    expect(inlineCode('x<!--y')).toBe('`x<\u200B!--y`');
    expect(inlineCode('a\nb')).toBe('`a b`');
  });

  it('caps length', () => {
    expect(inlineCode('abcdefghij', 5)).toBe('`abcd…`');
  });
});

describe('helpers', () => {
  it('stripControlCharacters keeps tabs and newlines', () => {
    expect(stripControlCharacters('a\tb\nc\u0007\u009b')).toBe('a\tb\nc');
  });

  it('breakCommentOpeners breaks every opener', () => {
    expect(breakCommentOpeners('<!--a--><!--b-->')).toBe(
      '<\u200B!--a--><\u200B!--b-->',
    );
  });
});
