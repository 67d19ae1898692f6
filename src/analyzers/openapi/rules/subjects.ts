import type { Facts } from '../diff/change.ts';

/** What part of the contract a generic rule id talks about. */
export type SubjectKind =
  | 'request-body'
  | 'request-property'
  | 'response-body'
  | 'response-property'
  | 'request-parameter'
  | 'request-parameter-property';

export interface ParsedId {
  kind: SubjectKind;
  /** The rest of the id, e.g. `max-length-decreased`. */
  family: string;
}

/** Splits a generic id into its subject and family; undefined for ids that have their own text. */
export function parseGenericId(id: string): ParsedId | undefined {
  for (const kind of [
    'request-parameter-property',
    'request-parameter',
    'request-body',
    'request-property',
    'response-body',
    'response-property',
  ] as const) {
    if (id.startsWith(`${kind}-`))
      return { kind, family: id.slice(kind.length + 1) };
  }
  return undefined;
}

export function directionOf(kind: SubjectKind): 'request' | 'response' {
  return kind.startsWith('request') ? 'request' : 'response';
}

/** "request property", "the response body", ... for one-line summaries. */
export function kindPhrase(kind: SubjectKind): string {
  switch (kind) {
    case 'request-body':
      return 'request body';
    case 'request-property':
      return 'request property';
    case 'response-body':
      return 'response body';
    case 'response-property':
      return 'response property';
    case 'request-parameter':
      return 'request parameter';
    case 'request-parameter-property':
      return 'request parameter property';
  }
}

const code = (text: string | undefined) => (text ? `\`${text}\`` : '');

/** The concrete thing a finding is about, e.g. "request property `address/zip`". */
export function subjectOf(kind: SubjectKind, facts: Facts): string {
  const status = facts.status ? ` of the ${facts.status} response` : '';
  switch (kind) {
    case 'request-body':
      return 'the request body';
    case 'request-property':
      return `request property ${code(facts.property)}`;
    case 'response-body':
      return `the body${status}`;
    case 'response-property':
      return `response property ${code(facts.property)}${status}`;
    case 'request-parameter':
      return `the ${facts.location ?? ''} parameter ${code(facts.parameter)}`.replace(
        '  ',
        ' ',
      );
    case 'request-parameter-property':
      return `property ${code(facts.property)} of the ${facts.location ?? ''} parameter ${code(facts.parameter)}`.replace(
        '  ',
        ' ',
      );
  }
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Sender for requests, reader for responses: who a change hurts. */
export function clients(kind: SubjectKind): string {
  return directionOf(kind) === 'request'
    ? 'Clients that send'
    : 'Clients that read';
}
