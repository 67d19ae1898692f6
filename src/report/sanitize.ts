/**
 * Untrusted text (model output, anything a pull request controls) becomes inert markdown here:
 * no raw HTML, no HTML comments that could forge our hidden markers, no images, no notifying
 * mentions, and a bounded length. Code spans and fenced blocks keep their content literal.
 */

/** Default cap for a block of untrusted markdown. */
export const DEFAULT_MAX_MARKDOWN = 8000;
/** Default cap for one line of untrusted text, e.g. a title. */
export const DEFAULT_MAX_INLINE = 300;

const TRUNCATED_BLOCK = '\n\n_(truncated)_';
const TRUNCATED_INLINE = '…';

// C0 controls except tab and newline, DEL, C1 controls, and bidi overrides that can disguise text.
const CONTROL =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Removes characters that can hide or reorder text, or drive a terminal. Keeps tabs and newlines. */
export function stripControlCharacters(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL, '');
}

/** Sanitizes a block of untrusted markdown; see the module comment for what that means. */
export function sanitizeMarkdown(
  text: string,
  maxLength = DEFAULT_MAX_MARKDOWN,
): string {
  return capped(
    stripControlCharacters(text).trim(),
    maxLength,
    sanitizeBlock,
    TRUNCATED_BLOCK,
  );
}

/** Sanitizes untrusted text for use inside one line (titles, list items): whitespace collapses to spaces. */
export function sanitizeInline(
  text: string,
  maxLength = DEFAULT_MAX_INLINE,
): string {
  const flat = stripControlCharacters(text).replace(/\s+/g, ' ').trim();
  return capped(flat, maxLength, escapeInline, TRUNCATED_INLINE);
}

/**
 * Wraps text in a code span whose fence is longer than any backtick run inside, so the text can
 * neither close the span early nor inject markup.
 */
export function inlineCode(text: string, maxLength = 500): string {
  let flat = stripControlCharacters(text).replace(/\s+/g, ' ');
  if (flat.length > maxLength)
    flat = `${sliceCodePoints(flat, maxLength - 1)}…`;
  flat = breakCommentOpeners(flat);
  if (flat === '') return '` `';
  const fence = '`'.repeat(longestRun(flat, '`') + 1);
  // CommonMark strips one space from each side when both are present, and a fence next to a
  // backtick in the content would merge with it; padding with a space on both sides avoids both.
  const pad =
    flat.startsWith('`') ||
    flat.endsWith('`') ||
    (flat.startsWith(' ') && flat.endsWith(' ') && flat.trim() !== '');
  return pad ? `${fence} ${flat} ${fence}` : `${fence}${flat}${fence}`;
}

/** Runs `render` on a prefix of `text` short enough that the rendered result, with a note, fits. */
function capped(
  text: string,
  maxLength: number,
  render: (text: string) => string,
  note: string,
): string {
  // Rendering never shrinks text by much, so input over twice the cap cannot fit; cutting it first bounds the work.
  const bounded =
    text.length > maxLength * 2 ? sliceCodePoints(text, maxLength * 2) : text;
  if (bounded === text) {
    const full = render(text);
    if (full.length <= maxLength) return full;
  }
  const budget = Math.max(0, maxLength - note.length);
  let cut = Math.min(bounded.length, budget);
  // Escaping only grows text, so shrink the input until the output fits.
  for (;;) {
    const out = render(sliceCodePoints(bounded, cut).trimEnd());
    if (out.length <= budget || cut === 0)
      return `${out.length <= budget ? out : ''}${note}`.slice(0, maxLength);
    cut = Math.min(cut - 1, Math.floor((cut * budget) / out.length));
  }
}

/** A trailing backslash would escape whatever markup follows the text, so it is escaped itself. */
function escapeInline(text: string): string {
  const out = escapeLine(text);
  let trailing = 0;
  while (out[out.length - 1 - trailing] === '\\') trailing++;
  return trailing % 2 === 1 ? `${out}\\` : out;
}

/** Cuts at `length` UTF-16 units without splitting a surrogate pair. */
function sliceCodePoints(text: string, length: number): string {
  if (length >= text.length) return text;
  const code = text.charCodeAt(length - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length);
}

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;

/**
 * Fenced blocks are re-emitted at column 0 with our own fence, so how GitHub nests the untrusted
 * text in lists or quotes can never make a line code for us and markup for GitHub.
 */
function sanitizeBlock(text: string): string {
  const out: string[] = [];
  const lines = text.split('\n');
  let tail = noTail();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const open = FENCE_OPEN.exec(line);
    // A backtick fence whose info string has a backtick is an inline code span, not a fence.
    if (!open || (open[2]!.startsWith('`') && open[3]!.includes('`'))) {
      // A blank line ends the paragraph, and with it any link tail.
      if (line.trim() === '') tail = noTail();
      out.push(escapeLine(line, tail));
      continue;
    }
    tail = noTail();
    const indent = open[1]!.length;
    const marker = open[2]!;
    const closer = new RegExp(
      `^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`,
    );
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !closer.test(lines[j]!); j++)
      body.push(dedent(lines[j]!, indent));
    out.push(...codeBlock(body, infoLanguage(open[3]!)));
    i = j;
  }
  return out.join('\n');
}

function codeBlock(lines: string[], language: string): string[] {
  const content = lines.map(breakCommentOpeners);
  const fence = '`'.repeat(
    Math.max(3, longestRun(content.join('\n'), '`') + 1),
  );
  return [`${fence}${language}`, ...content, fence];
}

/** Only a plain language name survives from an info string. */
function infoLanguage(info: string): string {
  const word = info.trim().split(/\s+/)[0] ?? '';
  return /^[A-Za-z0-9_+.#-]{1,30}$/.test(word) ? word : '';
}

function dedent(line: string, indent: number): string {
  let i = 0;
  while (i < indent && line[i] === ' ') i++;
  return line.slice(i);
}

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;
/** A user or team mention as GitHub recognises one; sticky, so it matches at `lastIndex` only. */
const MENTION = /@[A-Za-z0-9][A-Za-z0-9_-]*(?:\/[A-Za-z0-9][A-Za-z0-9_-]*)?/y;
/**
 * Goes between `@` and the name. Invisible, and unlike wrapping the mention in backticks it cannot
 * be undone by a stray backtick elsewhere in the paragraph pairing with ours.
 */
export const MENTION_BREAK = '\u200D';

/**
 * Where a link's tail — `(destination "title")` or `[label]` — is open. GitHub takes backticks in
 * there as part of the link, and a title may run over several lines of a paragraph.
 */
interface LinkTail {
  close: '' | ')' | ']';
  depth: number;
  quote: string;
}

function noTail(): LinkTail {
  return { close: '', depth: 0, quote: '' };
}

/**
 * Escapes one line outside fenced blocks, leaving code spans literal. Every backtick that does not
 * open or close a span we recognise is escaped, so GitHub can pair backticks only as we did — also
 * across lines and across sanitized strings joined in one paragraph. A span is recognised only
 * where GitHub would agree: not in a link tail, not in a URL the autolinker takes, and never
 * across a `|` that a table would split on.
 */
function escapeLine(line: string, tail: LinkTail = noTail()): string {
  let out = '';
  const inUrl = urlPrefixes(line);
  const closers = new CloserSearch(line);
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    const next = line[i + 1];
    if (c === '\\' && next !== undefined && ASCII_PUNCTUATION.test(next)) {
      // An escaped character is literal text for GitHub, so it needs no more than its own escape.
      out += next === '<' ? '&lt;' : next === '>' ? '&gt;' : `\\${next}`;
      i += 2;
      continue;
    }
    if (c === '`') {
      const run = runLength(line, i, '`');
      const close =
        tail.close === '' && !inUrl[i] ? closers.find(i + run, run) : -1;
      if (close >= 0) {
        out +=
          line.slice(i, i + run) +
          breakCommentOpeners(line.slice(i + run, close)) +
          line.slice(close, close + run);
        i = close + run;
      } else {
        out += '\\`'.repeat(run);
        i += run;
      }
      continue;
    }
    trackLinkTail(tail, c, next);
    if (c === '<') out += '&lt;';
    else if (c === '>') out += '&gt;';
    // Every image starts with `![`; dropping the `!` leaves a plain link that loads nothing.
    else if (c === '!' && next === '[') out += '';
    else if (
      c === '@' &&
      !/[A-Za-z0-9_]/.test(line[i - 1] ?? ' ') &&
      !inUrl[i]
    ) {
      MENTION.lastIndex = i;
      out += MENTION.test(line) ? `@${MENTION_BREAK}` : c;
    } else out += c;
    i++;
  }
  return out;
}

/**
 * Follows a link tail from `](` or `][` to its closing bracket. Inside a quoted title a bracket
 * does not close it; when unsure the tail stays open, which only means fewer code spans.
 */
function trackLinkTail(
  tail: LinkTail,
  c: string,
  next: string | undefined,
): void {
  if (tail.close === '') {
    if (c === ']' && (next === '(' || next === '['))
      Object.assign(tail, {
        close: next === '(' ? ')' : ']',
        depth: 0,
        quote: '',
      });
    return;
  }
  if (tail.quote !== '') {
    if (c === tail.quote) tail.quote = '';
  } else if (tail.close === ')' && (c === '"' || c === "'")) tail.quote = c;
  else if (c === (tail.close === ')' ? '(' : '[')) tail.depth++;
  else if (c === tail.close && --tail.depth === 0) tail.close = '';
}

/**
 * For each position, whether the word before it (since the last space or tab) contains `://` or
 * `www.`: GitHub links such a word, so a backtick there is no code span and an `@` no mention.
 */
function urlPrefixes(line: string): boolean[] {
  const flags: boolean[] = [false];
  for (let j = 0; j < line.length; j++) {
    const c = line[j];
    flags.push(
      c === ' ' || c === '\t'
        ? false
        : flags[j]! ||
            (j >= 2 && line.startsWith('://', j - 2)) ||
            (j >= 3 && line.startsWith('www.', j - 3)),
    );
  }
  return flags;
}

/**
 * Finds the closing backtick run of a code span. A failed search for a run length is remembered,
 * so a line full of unmatched backticks costs linear time per distinct run length, not quadratic.
 */
class CloserSearch {
  readonly #line: string;
  /** Per run length: a range of start positions known to find no closer. */
  readonly #dead = new Map<number, { from: number; to: number }>();

  constructor(line: string) {
    this.#line = line;
  }

  /** The start of the next run of exactly `length` backticks at or after `from`, or -1; a `|` ends the search. */
  find(from: number, length: number): number {
    const dead = this.#dead.get(length);
    if (dead && from >= dead.from && from < dead.to) return -1;
    const line = this.#line;
    let i = from;
    while (i < line.length) {
      if (line[i] === '`') {
        const run = runLength(line, i, '`');
        if (run === length) return i;
        i += run;
      } else if (line[i] === '|') break;
      else i++;
    }
    this.#dead.set(length, { from, to: i + 1 });
    return -1;
  }
}

function runLength(text: string, at: number, char: string): number {
  let n = 0;
  while (text[at + n] === char) n++;
  return n;
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  for (let i = 0; i < text.length; ) {
    if (text[i] === char) {
      const run = runLength(text, i, char);
      longest = Math.max(longest, run);
      i += run;
    } else i++;
  }
  return longest;
}

/** Inside code, `<!--` renders as text but would still look like a marker to anything scanning the raw body. */
export function breakCommentOpeners(text: string): string {
  return text.replaceAll('<!--', '<\u200B!--');
}
