import type { Facts } from '../diff/change.ts';
import { allRuleLevels } from './catalog.ts';
import type { SubjectKind } from './subjects.ts';
import { reportedSeverity, ruleText } from './texts.ts';

/** Stand-in facts, so a page can quote the finding text a rule produces. */
const SAMPLE: Facts = {
  property: 'name',
  parameter: 'limit',
  location: 'query',
  status: '200',
  mediaType: 'application/json',
  header: 'X-Rate-Limit',
  value: 'example',
  from: 'the old value',
  to: 'the new value',
  detail: 'an unreadable value',
};

/** Property names the hand-written examples use, so a page's text and example agree. */
const PAGE_FACTS: Record<string, Facts> = {
  'new-required-request-header-property': {
    property: 'region',
    parameter: 'X-Client',
    location: 'header',
  },
  'request-header-property-became-required': {
    property: 'region',
    parameter: 'X-Client',
    location: 'header',
  },
  'request-header-property-became-enum': {
    property: 'region',
    parameter: 'X-Client',
    location: 'header',
  },
  'new-required-request-property': { property: 'owner' },
  'new-required-request-property-with-default': { property: 'currency' },
  'request-property-became-required': { property: 'owner' },
  'request-property-became-required-with-default': { property: 'currency' },
  'request-property-removed': { property: 'nickname' },
  'response-required-property-removed': { property: 'total' },
  'response-optional-property-removed': { property: 'nickname' },
  'response-property-became-optional': { property: 'total' },
  'response-required-property-became-not-write-only': { property: 'password' },
  'request-property-deprecated-sunset-invalid': {
    property: 'nickname',
    detail: '"later"',
  },
  'response-property-deprecated-sunset-invalid': {
    property: 'nickname',
    detail: '"later"',
  },
  'request-property-sunset-date-too-small': {
    property: 'nickname',
    value: '2020-01-01',
  },
  'response-property-sunset-date-too-small': {
    property: 'nickname',
    value: '2020-01-01',
  },
  'request-parameter-property-type-changed': {
    property: 'id',
    parameter: 'filter',
    from: 'number',
    to: 'string',
  },
  'request-parameter-property-type-specialized': {
    property: 'id',
    parameter: 'filter',
    from: 'string',
    to: 'number',
  },
  'request-parameter-default-value-changed': { from: '20', to: '50' },
  'request-parameter-default-value-added': { to: '50' },
  'request-parameter-default-value-removed': { from: '20' },
  'required-response-header-removed': { header: 'X-Rate-Limit' },
  'optional-response-header-removed': { header: 'X-Request-Id' },
};

/** Values for the page's text read off the rule's own example, e.g. `maxLength: 100` → `50`. */
function factsFromExample(before: string, after: string): Facts {
  const facts: Facts = {};
  const number = (text: string) =>
    /(?:^|\n)\s*[A-Za-z]+:\s*(-?\d+(?:\.\d+)?)\s*$/m.exec(text)?.[1];
  const type = (text: string) =>
    /(?:^|\n)type:\s*([a-z]+)\s*$/m.exec(text)?.[1];
  const [numberBefore, numberAfter] = [number(before), number(after)];
  if (numberBefore !== undefined || numberAfter !== undefined) {
    facts.from = numberBefore;
    facts.to = numberAfter;
  }
  const [typeBefore, typeAfter] = [type(before), type(after)];
  if (typeBefore && typeAfter && typeBefore !== typeAfter) {
    facts.from = typeBefore;
    facts.to = typeAfter;
  }
  return facts;
}

function indent(text: string, spaces: number): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `${' '.repeat(spaces)}${line}`))
    .join('\n');
}

/** Places a schema fragment where the rule's subject lives in a spec. */
function inContext(fragment: string, kind: SubjectKind | undefined): string {
  switch (kind) {
    case 'request-body':
      return `requestBody:\n  content:\n    application/json:\n      schema:\n${indent(fragment, 8)}`;
    case 'request-property':
      return `requestBody:\n  content:\n    application/json:\n      schema:\n        type: object\n        properties:\n          name:\n${indent(fragment, 12)}`;
    case 'response-body':
      return `responses:\n  '200':\n    content:\n      application/json:\n        schema:\n${indent(fragment, 10)}`;
    case 'response-property':
      return `responses:\n  '200':\n    content:\n      application/json:\n        schema:\n          type: object\n          properties:\n            name:\n${indent(fragment, 14)}`;
    case 'request-parameter':
      return `parameters:\n  - name: limit\n    in: query\n    schema:\n${indent(fragment, 6)}`;
    case 'request-parameter-property':
      return `parameters:\n  - name: filter\n    in: query\n    style: deepObject\n    schema:\n      type: object\n      properties:\n        name:\n${indent(fragment, 10)}`;
    default:
      return fragment;
  }
}

/** The Markdown page of one rule. */
export function renderRulePage(id: string): string {
  const text = ruleText(id);
  const severity = reportedSeverity(id);
  const level = allRuleLevels().get(id);
  if (!text || !severity || !level)
    throw new Error(`no page for rule ${id}: it produces no findings`);
  const facts: Facts = {
    ...SAMPLE,
    ...factsFromExample(text.example.before, text.example.after),
    ...PAGE_FACTS[id],
  };
  if (facts.from === undefined) facts.from = SAMPLE.from;
  if (facts.to === undefined) facts.to = SAMPLE.to;
  const surfaced =
    level === 'info'
      ? ' oasdiff files this change as informational; it is reported because it decides who may call the endpoint.'
      : '';
  return [
    `# api-contract/${id}`,
    '',
    `${text.summary}. Severity: **${severity}**.`,
    '',
    '## What it detects',
    '',
    `${text.summary}, in an OpenAPI 3.0/3.1 or Swagger 2.0 document the pull request changes. The two versions are compared with every \`$ref\` resolved, so a change in a shared component is reported once, naming each affected operation.`,
    '',
    '## Why it matters',
    '',
    text.body(facts),
    '',
    '## Example',
    '',
    'Before:',
    '',
    '```yaml',
    inContext(text.example.before, text.kind),
    '```',
    '',
    'After (flagged):',
    '',
    '```yaml',
    inContext(text.example.after, text.kind),
    '```',
    '',
    '## Fix',
    '',
    text.fix(facts),
    '',
    '## Reference',
    '',
    `Same id and meaning as oasdiff's \`${id}\` check (oasdiff level: ${level}).${surfaced}`,
    '',
  ].join('\n');
}
