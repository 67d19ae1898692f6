/** GitHub's limit on a check run's `output.summary` and `output.text`, and on comment bodies. */
export const GITHUB_TEXT_LIMIT = 65535;

/**
 * Joins as many blocks as fit in `maxLength`, in order, and says how many were left out. Whole
 * blocks are dropped rather than cut, so no markup is left half-open.
 */
export function fitBlocks(
  blocks: readonly string[],
  maxLength: number,
  omitted: (count: number) => string,
  separator = '\n\n',
): string {
  const all = blocks.join(separator);
  if (all.length <= maxLength) return all;
  const reserve = omitted(blocks.length).length + separator.length;
  const kept: string[] = [];
  let length = 0;
  for (const block of blocks) {
    const added = (kept.length > 0 ? separator.length : 0) + block.length;
    if (length + added + reserve > maxLength) break;
    kept.push(block);
    length += added;
  }
  return limitMarkdown(
    [...kept, omitted(blocks.length - kept.length)].join(separator),
    maxLength,
  );
}

/**
 * A last guard on length: cuts at a line break, closes a fenced block or `<details>` the cut left
 * open, and appends a note. Sections should normally fit through `fitBlocks` first.
 */
export function limitMarkdown(
  markdown: string,
  maxLength: number,
  note = '_(truncated to fit GitHub’s size limit)_',
): string {
  if (markdown.length <= maxLength) return markdown;
  // Room for the note and the closers we may add: a fence (at most a few dozen backticks) and </details> tags.
  let budget = Math.max(0, maxLength - note.length - 400);
  for (;;) {
    const head = cutAtLine(markdown, budget);
    const closers = openConstructClosers(head);
    const out = [head, ...closers, note]
      .filter((part) => part !== '')
      .join('\n\n');
    if (out.length <= maxLength || budget === 0) return out.slice(0, maxLength);
    budget = Math.max(0, budget - (out.length - maxLength) - 1);
  }
}

function cutAtLine(text: string, length: number): string {
  if (text.length <= length) return text;
  const slice = text.slice(0, length);
  const newline = slice.lastIndexOf('\n');
  return (newline > 0 ? slice.slice(0, newline) : slice).trimEnd();
}

/** Closing lines for a code fence and any `<details>` left open in our own markup. */
function openConstructClosers(markdown: string): string[] {
  let fence: string | undefined;
  let details = 0;
  for (const line of markdown.split('\n')) {
    if (fence !== undefined) {
      if (
        line.startsWith(fence) &&
        line.slice(fence.length).replace(/`/g, '').trim() === ''
      )
        fence = undefined;
      continue;
    }
    const open = /^(`{3,})/.exec(line);
    if (open) {
      fence = open[1];
      continue;
    }
    details +=
      (line.match(/<details[\s>]/g) ?? []).length -
      (line.match(/<\/details>/g) ?? []).length;
  }
  const closers: string[] = [];
  if (fence !== undefined) closers.push(fence);
  for (let i = 0; i < details; i++) closers.push('</details>');
  return closers;
}

/** Cuts text to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(
  text: string,
  maxBytes: number,
  suffix = '…',
): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const room = maxBytes - Buffer.byteLength(suffix, 'utf8');
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > room) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end) + suffix;
}

/**
 * A markdown bullet list of at most `maxItems` items and `maxLength` characters, ending with
 * "…and N more" when items were left out.
 */
export function bulletList(
  items: readonly string[],
  maxItems: number,
  maxLength: number,
): string {
  const reserve = 40; // room for the "…and N more" line
  const lines: string[] = [];
  let length = 0;
  for (const [index, item] of items.entries()) {
    if (lines.length >= maxItems) break;
    const line = `- ${item}`;
    const added = (lines.length > 0 ? 1 : 0) + line.length;
    if (length + added + (index === items.length - 1 ? 0 : reserve) > maxLength)
      break;
    lines.push(line);
    length += added;
  }
  if (lines.length < items.length)
    lines.push(`- …and ${items.length - lines.length} more`);
  return lines.join('\n');
}
