/** How much a change matters to existing clients, in oasdiff's terms. */
export type Level = 'error' | 'warning' | 'info';

export const LEVEL_RANK: Record<Level, number> = {
  info: 0,
  warning: 1,
  error: 2,
};

/** What a message about a change can say; every field is optional and already rendered. */
export interface Facts {
  /** Property path (`items/address/zip`) or another name of the changed schema part. */
  property?: string;
  parameter?: string;
  /** Where a parameter lives: path, query, header, cookie. */
  location?: string;
  status?: string;
  mediaType?: string;
  header?: string;
  from?: string;
  to?: string;
  /** A single value the change is about: an enum value, a date, a pattern. */
  value?: string;
  /** Extra words for the message, e.g. a parser error. */
  detail?: string;
}

/** A file and a JSON pointer inside it. */
export interface Location {
  path: string;
  pointer: string;
}

/** One classified difference between two versions of an API description. */
export interface ApiChange {
  id: string;
  level: Level;
  /** The operation it affects, when it affects one. */
  operation?: { method: string; path: string };
  /** The side that shows the change: `head` for what now is, `base` for what was removed. */
  side: 'base' | 'head';
  /** Where the change shows in the spec's source (undefined when no node could be traced). */
  location?: Location;
  facts: Facts;
}
