import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Node,
} from 'yaml';

/** One parsed YAML or JSON file: its plain value and where each node sits in the text. */
export interface SourceFile {
  path: string;
  value: unknown;
  /** 1-based line of the node at a JSON pointer, or of its nearest ancestor the text shows. */
  lineOf(pointer: string): number | undefined;
}

/** Thrown for text that is not well-formed YAML or JSON; the message names the line. */
export class SourceSyntaxError extends Error {
  override name = 'SourceSyntaxError';
}

export function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function childPointer(
  pointer: string,
  segment: string | number,
): string {
  return `${pointer}/${escapePointerSegment(String(segment))}`;
}

/**
 * Parses YAML (JSON is a subset) and records the line of every mapping key and sequence item, so a
 * change found in the parsed value can be shown on the line that holds it.
 */
export function parseSourceFile(path: string, text: string): SourceFile {
  // JSON parses an order of magnitude faster natively than through the YAML parser, which matters
  // for the large generated specs JSON is typical for. Anything JSON.parse rejects goes to YAML.
  if (/^\s*[{[]/.test(text)) {
    try {
      const value: unknown = JSON.parse(text);
      return sourceOf(path, value, indexJsonLines(text));
    } catch {
      // Not strict JSON: the YAML parser accepts more and reports errors with a line.
    }
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const error = document.errors[0];
  if (error) {
    const line =
      error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line;
    throw new SourceSyntaxError(
      line === undefined
        ? error.message
        : `line ${line}: ${firstLine(error.message)}`,
    );
  }
  const lines = new Map<string, number>();
  const lineAt = (offset: number | undefined): number | undefined =>
    offset === undefined ? undefined : lineCounter.linePos(offset).line;
  if (document.contents) {
    const rootLine = lineAt(document.contents.range?.[0]);
    if (rootLine !== undefined) lines.set('', rootLine);
    indexLines(document.contents, '', lines, lineAt);
  }
  return sourceOf(path, document.toJS({ maxAliasCount: 1000 }), lines);
}

function sourceOf(
  path: string,
  value: unknown,
  lines: Map<string, number>,
): SourceFile {
  return {
    path,
    value,
    lineOf(pointer) {
      let current = pointer;
      for (;;) {
        const line = lines.get(current);
        if (line !== undefined) return line;
        if (current === '') return undefined;
        current = current.slice(0, current.lastIndexOf('/'));
      }
    },
  };
}

function indexLines(
  node: Node,
  pointer: string,
  lines: Map<string, number>,
  lineAt: (offset: number | undefined) => number | undefined,
): void {
  // An explicit stack: spec files nest deeply enough that recursion is a needless risk.
  const stack: Array<[Node, string]> = [[node, pointer]];
  while (stack.length > 0) {
    const [current, at] = stack.pop()!;
    if (isMap(current)) {
      for (const pair of current.items) {
        const key = pair.key;
        const name = isScalar(key) ? String(key.value) : String(key);
        const child = childPointer(at, name);
        const line = lineAt(isScalar(key) ? key.range?.[0] : undefined);
        if (line !== undefined && !lines.has(child)) lines.set(child, line);
        if (pair.value && !isAlias(pair.value) && !isScalar(pair.value))
          stack.push([pair.value as Node, child]);
      }
    } else if (isSeq(current)) {
      current.items.forEach((item, index) => {
        const child = childPointer(at, index);
        const itemNode = item as Node;
        const line = lineAt(itemNode.range?.[0]);
        if (line !== undefined) lines.set(child, line);
        if (!isAlias(itemNode) && !isScalar(itemNode))
          stack.push([itemNode, child]);
      });
    }
  }
}

interface JsonFrame {
  array: boolean;
  pointer: string;
  /** Object: the key being read or last read. Array: the index of the current element. */
  key: string;
  index: number;
  expectKey: boolean;
  /** Array: whether the current element's line is recorded. */
  placed: boolean;
}

/**
 * One pass over JSON text recording the line of every object key and array element. The text is
 * known to be valid JSON (JSON.parse accepted it), so the scan only tracks structure.
 */
function indexJsonLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const stack: JsonFrame[] = [];
  let line = 1;
  const childOf = (frame: JsonFrame) =>
    childPointer(frame.pointer, frame.array ? frame.index : frame.key);
  const valueStarts = () => {
    const top = stack[stack.length - 1];
    if (top?.array && !top.placed) {
      lines.set(childOf(top), line);
      top.placed = true;
    }
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
    } else if (c === 34) {
      const start = i;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
      const top = stack[stack.length - 1];
      if (top && !top.array && top.expectKey) {
        top.key = JSON.parse(text.slice(start, i + 1)) as string;
        top.expectKey = false;
        lines.set(childOf(top), line);
      } else valueStarts();
    } else if (c === 123 || c === 91) {
      valueStarts();
      const top = stack[stack.length - 1];
      const pointer = top ? childOf(top) : '';
      if (!top) lines.set('', line);
      stack.push({
        array: c === 91,
        pointer,
        key: '',
        index: 0,
        expectKey: c === 123,
        placed: false,
      });
    } else if (c === 125 || c === 93) {
      stack.pop();
    } else if (c === 44) {
      const top = stack[stack.length - 1];
      if (top?.array) {
        top.index++;
        top.placed = false;
      } else if (top) top.expectKey = true;
    } else if (c !== 32 && c !== 9 && c !== 13 && c !== 58) {
      valueStarts();
    }
  }
  return lines;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
