/** A set of line numbers with range queries, for "does this node touch a changed line?". */
export interface LineSet {
  readonly size: number;
  has(line: number): boolean;
  /** The first line of the set within [start, end], if any. */
  firstIn(start: number, end: number): number | undefined;
  intersects(start: number, end: number): boolean;
}

export function lineSet(lines: Iterable<number>): LineSet {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const members = new Set(sorted);
  const firstIn = (start: number, end: number): number | undefined => {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (sorted[mid]! < start) low = mid + 1;
      else high = mid;
    }
    const candidate = sorted[low];
    return candidate !== undefined && candidate <= end ? candidate : undefined;
  };
  return {
    size: sorted.length,
    has: (line) => members.has(line),
    firstIn,
    intersects: (start, end) => firstIn(start, end) !== undefined,
  };
}
