import type { Facts } from '../diff/change.ts';

/** Texts for a rule that is not one of the generic schema families. */
export interface StaticText {
  summary: string;
  title(f: Facts): string;
  body(f: Facts): string;
  fix(f: Facts): string;
  /** A spec fragment before and after, for the rule's page. */
  example: { before: string; after: string };
}

const v = (text: string | undefined) => `\`${text ?? 'none'}\``;
const param = (f: Facts) =>
  `${f.location ?? ''} parameter ${v(f.parameter)}`.trim();
const prop = (f: Facts) => v(f.property);
const scheme = (f: Facts) => (f.detail ? ` (${f.detail})` : '');
const status = (f: Facts) => (f.status ? ` from the ${f.status} response` : '');

const removedOperation = (wholePath: boolean): StaticText => ({
  summary: wholePath
    ? 'A path was removed without being deprecated first'
    : 'An operation was removed without being deprecated first',
  title: () =>
    wholePath
      ? 'Endpoint removed (its whole path is gone) without prior deprecation'
      : 'Endpoint removed without prior deprecation',
  body: () =>
    'Every client still calling this endpoint will get 404 (or 405) as soon as this ships. It was never marked `deprecated`, so nobody had a chance to migrate.',
  fix: () =>
    'Restore the operation and mark it `deprecated: true` with an `x-sunset` date; remove it once the date has passed and traffic is gone.',
  example: {
    before: 'paths:\n  /pets/{id}:\n    get:\n      operationId: getPet',
    after: 'paths: {}',
  },
});

const removedBeforeSunset = (wholePath: boolean): StaticText => ({
  summary: wholePath
    ? 'A deprecated path was removed before its sunset date'
    : 'A deprecated operation was removed before its sunset date',
  title: (f) =>
    `Endpoint removed before its announced sunset date (${f.value})`,
  body: (f) =>
    `The operation was deprecated with a promise to keep it until ${f.value}. Clients that planned their migration around that date will get 404 early.`,
  fix: () =>
    'Keep the operation until the sunset date has passed, then remove it.',
  example: {
    before: 'get:\n  deprecated: true\n  x-sunset: "2099-01-01"',
    after: '# operation removed',
  },
});

const sunsetParse: StaticText = {
  summary: 'The sunset date of a deprecated operation cannot be read',
  title: () => 'Unreadable `x-sunset` date on a deprecated operation',
  body: (f) =>
    `The \`x-sunset\` value is not a date (${f.detail ?? 'unparseable'}), so nobody can tell when the operation may go away — and whether removing it now is allowed.`,
  fix: () =>
    'Write the sunset as an ISO date (`x-sunset: "2025-12-31"`) or an RFC 3339 date-time.',
  example: {
    before: 'deprecated: true\nx-sunset: "2099-01-01"',
    after: 'deprecated: true\nx-sunset: "next spring"',
  },
};

export const STATIC_TEXTS: Record<string, StaticText> = {
  'api-path-removed-without-deprecation': removedOperation(true),
  'api-removed-without-deprecation': removedOperation(false),
  'api-path-removed-before-sunset': removedBeforeSunset(true),
  'api-removed-before-sunset': removedBeforeSunset(false),
  'api-path-sunset-parse': sunsetParse,
  'api-deprecated-sunset-parse': {
    ...sunsetParse,
    summary: 'A newly deprecated operation has an unreadable sunset date',
  },
  'api-sunset-date-too-small': {
    summary: 'An operation was deprecated with a sunset date in the past',
    title: (f) =>
      `Operation deprecated with a sunset date already past (${f.value})`,
    body: () =>
      'A sunset date in the past gives clients no time at all to migrate; tooling may treat the endpoint as removable right away.',
    fix: () =>
      'Set `x-sunset` to a date far enough ahead for clients to migrate.',
    example: {
      before: 'get:\n  operationId: listPets',
      after: 'get:\n  deprecated: true\n  x-sunset: "2020-01-01"',
    },
  },
  'sunset-deleted': {
    summary: 'The sunset date of a deprecated operation was removed',
    title: () => 'Sunset date removed from a deprecated operation',
    body: () =>
      'The operation stays deprecated but no longer says until when it is kept. Clients lose the date they planned their migration around.',
    fix: () => 'Keep the `x-sunset` date, or move it later if plans changed.',
    example: {
      before: 'deprecated: true\nx-sunset: "2099-01-01"',
      after: 'deprecated: true',
    },
  },
  'api-sunset-date-changed-too-small': {
    summary: 'The sunset date of a deprecated operation was moved earlier',
    title: (f) => `Sunset date moved earlier, from ${f.from} to ${f.to}`,
    body: (f) =>
      `Clients were told the operation stays until ${f.from}. Pulling it in to ${f.to} — already past — breaks their migration plans.`,
    fix: () => 'Keep the original sunset date or move it later, never earlier.',
    example: {
      before: 'x-sunset: "2099-01-01"',
      after: 'x-sunset: "2020-01-01"',
    },
  },
  'api-invalid-stability-level': {
    summary: 'An operation has an unknown x-stability-level',
    title: (f) => `Unknown \`x-stability-level\`: ${f.detail ?? ''}`.trim(),
    body: () =>
      'The stability level decides which compatibility promises apply to the operation. An unknown value means nobody can tell whether breaking it is allowed.',
    fix: () => 'Use one of draft, alpha, beta or stable.',
    example: {
      before: 'x-stability-level: beta',
      after: 'x-stability-level: experimental',
    },
  },
  'api-stability-decreased': {
    summary: 'The stability level of an operation was lowered',
    title: (f) =>
      `Stability of the operation lowered from ${f.from} to ${f.to}`,
    body: (f) =>
      `Clients built against a ${f.from} operation rely on its compatibility promise. Lowering it to ${f.to} takes that promise back.`,
    fix: () =>
      'Keep the stability level; ship the unstable variant as a new operation instead.',
    example: {
      before: 'x-stability-level: stable',
      after: 'x-stability-level: beta',
    },
  },
  'webhook-removed': {
    summary: 'A webhook was removed',
    title: (f) => `Webhook ${v(f.value)} removed`,
    body: (f) =>
      `Consumers subscribed to ${v(f.value)} will stop receiving its events without notice.`,
    fix: () =>
      'Keep sending the webhook until subscribers have moved, and announce its removal first.',
    example: {
      before: 'webhooks:\n  petCreated: {...}',
      after: 'webhooks: {}',
    },
  },
  'new-request-path-parameter': {
    summary: 'A path parameter was added to an existing operation',
    title: (f) => `New path parameter ${v(f.parameter)}`,
    body: () =>
      'The URL of the operation now has another segment. Every existing client calls the old URL and will get 404.',
    fix: () =>
      'Add the variant as a new path and keep the old one, or pass the new value as an optional query parameter.',
    example: {
      before: '/pets:\n  get: ...',
      after: '/{tenant}/pets:\n  get: ...',
    },
  },
  'new-required-request-parameter': {
    summary: 'A required parameter was added to an existing operation',
    title: (f) => `New required ${param(f)}`,
    body: (f) =>
      `Existing clients do not send the ${param(f)} and will get a 400 validation error.`,
    fix: () =>
      'Make the parameter optional with a server-side default, or add it in a new API version.',
    example: {
      before: 'parameters: []',
      after: 'parameters:\n  - in: query\n    name: tenant\n    required: true',
    },
  },
  'request-parameter-became-required': {
    summary: 'An optional parameter became required',
    title: (f) => `The ${param(f)} became required`,
    body: (f) =>
      `Clients that omit the ${param(f)} — valid until now — will get a 400 validation error.`,
    fix: () =>
      'Keep it optional and apply a server-side default when it is missing.',
    example: {
      before: '- in: query\n  name: limit',
      after: '- in: query\n  name: limit\n  required: true',
    },
  },
  'request-parameter-removed': {
    summary: 'A request parameter was removed without being deprecated first',
    title: (f) => `The ${param(f)} was removed`,
    body: (f) =>
      `Clients that send the ${param(f)} will have it ignored (their filter or option silently stops working) or, with strict validation, rejected.`,
    fix: () =>
      'Mark the parameter `deprecated: true` with an `x-sunset` date first; remove it once that date has passed.',
    example: {
      before: 'parameters:\n  - in: query\n    name: sort',
      after: 'parameters: []',
    },
  },
  'request-parameter-removed-before-sunset': {
    summary: 'A deprecated parameter was removed before its sunset date',
    title: (f) =>
      `The ${param(f)} was removed before its sunset date (${f.value})`,
    body: (f) =>
      `Clients were promised the ${param(f)} until ${f.value} and may still rely on it.`,
    fix: () => 'Keep the parameter until the sunset date has passed.',
    example: {
      before:
        '- in: query\n  name: sort\n  deprecated: true\n  x-sunset: "2099-01-01"',
      after: '# parameter removed',
    },
  },
  'request-parameter-sunset-parse': {
    summary: 'The sunset date of a deprecated parameter cannot be read',
    title: (f) => `Unreadable \`x-sunset\` date on the ${param(f)}`,
    body: (f) =>
      `The \`x-sunset\` value is not a date (${f.detail ?? 'unparseable'}), so nobody can tell when the parameter may go away.`,
    fix: () =>
      'Write the sunset as an ISO date (`x-sunset: "2025-12-31"`) or an RFC 3339 date-time.',
    example: { before: 'x-sunset: "2099-01-01"', after: 'x-sunset: "soon"' },
  },
  'request-parameter-sunset-deleted': {
    summary: 'The sunset date of a deprecated parameter was removed',
    title: (f) => `Sunset date removed from the deprecated ${param(f)}`,
    body: () => 'Clients lose the date they planned their migration around.',
    fix: () => 'Keep the `x-sunset` date, or move it later if plans changed.',
    example: {
      before: 'deprecated: true\nx-sunset: "2099-01-01"',
      after: 'deprecated: true',
    },
  },
  'request-parameter-sunset-date-changed-too-small': {
    summary: 'The sunset date of a deprecated parameter was moved earlier',
    title: (f) =>
      `Sunset of the ${param(f)} moved earlier, from ${f.from} to ${f.to}`,
    body: (f) =>
      `Clients were told the parameter stays until ${f.from}; moving the date in breaks their plans.`,
    fix: () => 'Keep the original sunset date or move it later.',
    example: {
      before: 'x-sunset: "2099-01-01"',
      after: 'x-sunset: "2030-01-01"',
    },
  },
  'request-parameter-sunset-date-too-small': {
    summary: 'A parameter was deprecated with a sunset date in the past',
    title: (f) =>
      `The ${param(f)} was deprecated with a past sunset date (${f.value})`,
    body: () => 'A sunset date in the past gives clients no time to migrate.',
    fix: () => 'Set `x-sunset` to a date far enough ahead.',
    example: {
      before: '- in: query\n  name: sort',
      after:
        '- in: query\n  name: sort\n  deprecated: true\n  x-sunset: "2020-01-01"',
    },
  },
  'request-parameter-default-value-changed': {
    summary: 'The default value of a request parameter changed',
    title: (f) =>
      `Default of the ${param(f)} changed from ${v(f.from)} to ${v(f.to)}`,
    body: (f) =>
      `Clients that omit the ${param(f)} silently get different behaviour: the server now assumes ${v(f.to)} instead of ${v(f.from)}.`,
    fix: () =>
      'Keep the old default; offer the new behaviour through an explicit value.',
    example: {
      before: 'schema:\n  type: integer\n  default: 20',
      after: 'schema:\n  type: integer\n  default: 50',
    },
  },
  'request-parameter-default-value-added': {
    summary: 'A default value was added to a request parameter',
    title: (f) => `The ${param(f)} now defaults to ${v(f.to)}`,
    body: (f) =>
      `Clients that omit the ${param(f)} used to get the server's implicit behaviour; now ${v(f.to)} is assumed, which may change their results.`,
    fix: () =>
      'Make sure the new default reproduces the old behaviour exactly.',
    example: {
      before: 'schema:\n  type: integer',
      after: 'schema:\n  type: integer\n  default: 50',
    },
  },
  'request-parameter-default-value-removed': {
    summary: 'The default value of a request parameter was removed',
    title: (f) => `The ${param(f)} no longer defaults to ${v(f.from)}`,
    body: (f) =>
      `Clients that omit the ${param(f)} relied on ${v(f.from)} being assumed; the behaviour they get is now unspecified.`,
    fix: () => 'Keep the default value.',
    example: {
      before: 'schema:\n  type: integer\n  default: 20',
      after: 'schema:\n  type: integer',
    },
  },
  'request-parameter-property-type-changed': {
    summary: 'The type of a property inside an object parameter changed',
    title: (f) =>
      `Type of property ${prop(f)} of the ${param(f)} changed from ${f.from} to ${f.to}`,
    body: (f) =>
      `Whether this breaks clients depends on how the ${param(f)} is serialized: sent as JSON, ${f.from} values are no longer valid; sent form-style, they may still be.`,
    fix: () =>
      'Keep the old type, or check how clients serialize the parameter before changing it.',
    example: {
      before: 'properties:\n  id: {type: number}',
      after: 'properties:\n  id: {type: string}',
    },
  },
  'request-parameter-property-type-specialized': {
    summary: 'The type of a property inside an object parameter was narrowed',
    title: (f) =>
      `Type of property ${prop(f)} of the ${param(f)} narrowed from ${f.from} to ${f.to}`,
    body: (f) =>
      `Clients that send ${f.from} values for property ${prop(f)} of the ${param(f)} will get a 400 validation error.`,
    fix: () =>
      'Keep the wider type and validate the narrower one only where it matters.',
    example: {
      before: 'properties:\n  id: {type: string}',
      after: 'properties:\n  id: {type: number}',
    },
  },
  'new-required-request-header-property': {
    summary: 'A required property was added to an object-valued header',
    title: (f) => `Header ${v(f.parameter)} now requires property ${prop(f)}`,
    body: (f) =>
      `Clients do not send property ${prop(f)} in the ${v(f.parameter)} header and will get a 400 validation error.`,
    fix: () => 'Make the property optional with a server-side default.',
    example: {
      before: 'properties:\n  id: {type: string}',
      after:
        'properties:\n  id: {type: string}\n  region: {type: string}\nrequired: [region]',
    },
  },
  'request-header-property-became-required': {
    summary: 'A property of an object-valued header became required',
    title: (f) =>
      `Property ${prop(f)} of header ${v(f.parameter)} became required`,
    body: (f) =>
      `Clients that omit property ${prop(f)} in the ${v(f.parameter)} header will get a 400 validation error.`,
    fix: () => 'Keep the property optional with a server-side default.',
    example: { before: 'required: []', after: 'required: [region]' },
  },
  'request-header-property-became-enum': {
    summary:
      'A property of an object-valued header was restricted to a list of values',
    title: (f) =>
      `Property ${prop(f)} of header ${v(f.parameter)} is now restricted to an enum`,
    body: (f) =>
      `Clients that send any other value for property ${prop(f)} in the ${v(f.parameter)} header will get a 400 validation error.`,
    fix: () =>
      'Include every value clients send today, or add the enum in a new API version.',
    example: {
      before: 'region: {type: string}',
      after: 'region:\n  type: string\n  enum: [eu, us]',
    },
  },
  'new-required-request-property': {
    summary: 'A required property was added to a request body',
    title: (f) => `New required request property ${prop(f)}`,
    body: (f) =>
      `Existing clients do not send ${prop(f)}; every request from them will fail with a 400 validation error.`,
    fix: () =>
      'Add the property as optional and apply a server-side default when it is missing; make it required only in a new API version.',
    example: {
      before: 'properties:\n  name: {type: string}',
      after:
        'properties:\n  name: {type: string}\n  owner: {type: string}\nrequired: [owner]',
    },
  },
  'new-required-request-property-with-default': {
    summary:
      'A required property with a default value was added to a request body',
    title: (f) => `New required request property ${prop(f)} (it has a default)`,
    body: (f) =>
      `${prop(f)} is required, so validators reject requests without it even though a default is documented. Existing clients do not send it.`,
    fix: () =>
      'Drop `required` — the default already covers clients that omit it.',
    example: {
      before: 'properties: {}',
      after:
        'properties:\n  currency: {type: string, default: EUR}\nrequired: [currency]',
    },
  },
  'request-property-became-required': {
    summary: 'An optional request property became required',
    title: (f) => `Request property ${prop(f)} became required`,
    body: (f) =>
      `Clients that omit ${prop(f)} — valid until now — will get a 400 validation error.`,
    fix: () =>
      'Keep it optional and fill in a server-side default when it is missing.',
    example: { before: 'required: [name]', after: 'required: [name, owner]' },
  },
  'request-property-became-required-with-default': {
    summary:
      'An optional request property with a default value became required',
    title: (f) =>
      `Request property ${prop(f)} became required (it has a default)`,
    body: (f) =>
      `Validators will reject requests that omit ${prop(f)}, even though its default used to cover them.`,
    fix: () => 'Keep it optional — the default already does the job.',
    example: {
      before: 'required: [name]',
      after: 'required: [name, currency]',
    },
  },
  'request-property-removed': {
    summary: 'A request property was removed',
    title: (f) => `Request property ${prop(f)} was removed`,
    body: (f) =>
      `Clients that still send ${prop(f)} will have it ignored — the data they send is silently dropped — or, if the server rejects unknown fields, get a 400 validation error.`,
    fix: (f) =>
      `Deprecate ${prop(f)} first (\`deprecated: true\`), keep accepting it until clients stop sending it, then remove it.`,
    example: {
      before: 'properties:\n  name: {type: string}\n  nickname: {type: string}',
      after: 'properties:\n  name: {type: string}',
    },
  },
  'request-body-removed': {
    summary: 'The request body was removed from an operation',
    title: () => 'Request body removed',
    body: () =>
      'Clients keep sending a body that the operation no longer documents; the server may reject it or ignore the data.',
    fix: () =>
      'Keep accepting the body (ignore it if unused) until clients have been updated.',
    example: {
      before: 'requestBody:\n  content:\n    application/json: {...}',
      after: '# requestBody removed',
    },
  },
  'request-body-added-required': {
    summary: 'A required request body was added to an existing operation',
    title: () => 'New required request body',
    body: () =>
      'Existing clients call this operation without a body and will get a 400 validation error.',
    fix: () => 'Make the body optional, or add a new operation that takes it.',
    example: {
      before: 'post:\n  operationId: refresh',
      after:
        'post:\n  operationId: refresh\n  requestBody:\n    required: true',
    },
  },
  'request-body-became-required': {
    summary: 'An optional request body became required',
    title: () => 'Request body became required',
    body: () =>
      'Clients that call the operation without a body — valid until now — will get a 400 validation error.',
    fix: () => 'Keep the body optional and use defaults when it is missing.',
    example: {
      before: 'requestBody:\n  required: false',
      after: 'requestBody:\n  required: true',
    },
  },
  'response-success-status-removed': {
    summary: 'A success status was removed from an operation',
    title: (f) => `Success response ${f.status} removed`,
    body: (f) =>
      `Clients that handle a ${f.status} from this operation will get another status instead and may treat a success as a failure.`,
    fix: () => 'Keep returning the status, or change it in a new API version.',
    example: {
      before: "responses:\n  '200': {...}\n  '201': {...}",
      after: "responses:\n  '201': {...}",
    },
  },
  'response-media-type-removed': {
    summary: 'A media type was removed from a response',
    title: (f) =>
      `The ${f.status} response is no longer available as ${v(f.mediaType)}`,
    body: (f) =>
      `Clients that ask for ${v(f.mediaType)} (Accept header) will get 406 or a format they cannot parse.`,
    fix: () => 'Keep producing the media type until clients have moved.',
    example: {
      before: 'content:\n  application/json: {...}\n  application/xml: {...}',
      after: 'content:\n  application/json: {...}',
    },
  },
  'response-required-property-removed': {
    summary: 'A required property was removed from a response',
    title: (f) => `Required response property ${prop(f)} removed${status(f)}`,
    body: (f) =>
      `Clients reading ${prop(f)} will find it missing; typed clients fail to deserialize the response at all.`,
    fix: (f) =>
      `Keep returning ${prop(f)} (mark it \`deprecated\`), and remove it in a new API version.`,
    example: {
      before:
        'properties:\n  id: {type: string}\n  total: {type: number}\nrequired: [id, total]',
      after: 'properties:\n  id: {type: string}\nrequired: [id]',
    },
  },
  'response-optional-property-removed': {
    summary: 'An optional property was removed from a response',
    title: (f) => `Response property ${prop(f)} removed${status(f)}`,
    body: (f) =>
      `Clients that read ${prop(f)} when present will never find it again; whatever they showed or computed from it silently disappears.`,
    fix: (f) => `Keep returning ${prop(f)} and mark it \`deprecated\` first.`,
    example: {
      before: 'properties:\n  id: {type: string}\n  nickname: {type: string}',
      after: 'properties:\n  id: {type: string}',
    },
  },
  'response-property-became-optional': {
    summary: 'A required response property became optional',
    title: (f) =>
      `Response property ${prop(f)} is no longer guaranteed${f.status ? ` in the ${f.status} response` : ''}`,
    body: (f) =>
      `Clients read ${prop(f)} without checking for it because it was required. When it is missing their code reads an empty value or fails to deserialize the response.`,
    fix: (f) =>
      `Keep ${prop(f)} required (return an empty value if needed), or make it optional in a new API version.`,
    example: { before: 'required: [id, total]', after: 'required: [id]' },
  },
  'response-required-property-became-not-write-only': {
    summary: 'A required write-only property became readable in responses',
    title: (f) =>
      `Response property ${prop(f)} is no longer write-only${f.status ? ` in the ${f.status} response` : ''}`,
    body: (f) =>
      `${prop(f)} was write-only and is now returned in responses — and it is required, so clients must now handle it. If it holds a secret (a password, a token) it now leaks.`,
    fix: (f) =>
      `Keep ${prop(f)} write-only, or return a separate, non-sensitive field.`,
    example: {
      before: 'password:\n  type: string\n  writeOnly: true',
      after: 'password:\n  type: string',
    },
  },
  'required-response-header-removed': {
    summary: 'A required response header was removed',
    title: (f) =>
      `Required header ${v(f.header)} removed from the ${f.status} response`,
    body: (f) =>
      `Clients that read ${v(f.header)} (pagination links, rate limits, ETags) will not find it.`,
    fix: () => 'Keep sending the header.',
    example: {
      before: 'headers:\n  X-Rate-Limit:\n    required: true',
      after: 'headers: {}',
    },
  },
  'optional-response-header-removed': {
    summary: 'An optional response header was removed',
    title: (f) => `Header ${v(f.header)} removed from the ${f.status} response`,
    body: (f) =>
      `Clients that use ${v(f.header)} when it is present will never see it again.`,
    fix: () => 'Keep sending the header, or deprecate it first.',
    example: {
      before: 'headers:\n  X-Request-Id: {...}',
      after: 'headers: {}',
    },
  },
  'response-header-became-optional': {
    summary: 'A required response header became optional',
    title: (f) =>
      `Header ${v(f.header)} of the ${f.status} response is no longer guaranteed`,
    body: (f) =>
      `Clients read ${v(f.header)} without checking for it because it was required.`,
    fix: () => 'Keep the header required.',
    example: {
      before: 'X-Rate-Limit:\n  required: true',
      after: 'X-Rate-Limit:\n  required: false',
    },
  },
  'request-property-deprecated-sunset-invalid': {
    summary: 'A request property was deprecated with an unreadable sunset date',
    title: (f) =>
      `Unreadable \`x-sunset\` on deprecated request property ${prop(f)}`,
    body: (f) =>
      `The sunset value is not a date (${f.detail ?? 'unparseable'}), so clients cannot tell how long ${prop(f)} stays.`,
    fix: () => 'Write the sunset as an ISO date (`x-sunset: "2025-12-31"`).',
    example: {
      before: 'nickname: {type: string}',
      after:
        'nickname:\n  type: string\n  deprecated: true\n  x-sunset: "later"',
    },
  },
  'response-property-deprecated-sunset-invalid': {
    summary:
      'A response property was deprecated with an unreadable sunset date',
    title: (f) =>
      `Unreadable \`x-sunset\` on deprecated response property ${prop(f)}`,
    body: (f) =>
      `The sunset value is not a date (${f.detail ?? 'unparseable'}), so clients cannot tell how long ${prop(f)} stays.`,
    fix: () => 'Write the sunset as an ISO date (`x-sunset: "2025-12-31"`).',
    example: {
      before: 'nickname: {type: string}',
      after:
        'nickname:\n  type: string\n  deprecated: true\n  x-sunset: "later"',
    },
  },
  'request-property-sunset-date-too-small': {
    summary: 'A request property was deprecated with a sunset date in the past',
    title: (f) =>
      `Request property ${prop(f)} deprecated with a past sunset date (${f.value})`,
    body: () => 'A sunset date in the past gives clients no time to migrate.',
    fix: () => 'Set `x-sunset` to a date far enough ahead.',
    example: {
      before: 'nickname: {type: string}',
      after:
        'nickname:\n  type: string\n  deprecated: true\n  x-sunset: "2020-01-01"',
    },
  },
  'response-property-sunset-date-too-small': {
    summary:
      'A response property was deprecated with a sunset date in the past',
    title: (f) =>
      `Response property ${prop(f)} deprecated with a past sunset date (${f.value})`,
    body: () => 'A sunset date in the past gives clients no time to migrate.',
    fix: () => 'Set `x-sunset` to a date far enough ahead.',
    example: {
      before: 'nickname: {type: string}',
      after:
        'nickname:\n  type: string\n  deprecated: true\n  x-sunset: "2020-01-01"',
    },
  },
  'api-security-removed': {
    summary: 'A security requirement was removed from an operation',
    title: (f) =>
      `Security requirement ${v(f.value)} removed from the operation`,
    body: (f) =>
      `The operation no longer asks for ${v(f.value)}. If no other requirement applies it is now reachable without credentials — check that this is intended.`,
    fix: () =>
      'Restore the requirement, or confirm the endpoint is meant to be public and document why.',
    example: {
      before: 'security:\n  - oauth2: [pets:write]',
      after: 'security: []',
    },
  },
  'api-global-security-removed': {
    summary: 'A security requirement was removed from the whole API',
    title: (f) => `API-wide security requirement ${v(f.value)} removed`,
    body: (f) =>
      `Operations that relied on the top-level ${v(f.value)} requirement may now be reachable without credentials.`,
    fix: () =>
      'Restore the requirement, or confirm every affected endpoint is meant to be public.',
    example: {
      before: 'security:\n  - bearerAuth: []',
      after: '# top-level security removed',
    },
  },
  'api-security-added': {
    summary: 'A security requirement was added to an operation',
    title: (f) => `Operation now requires ${v(f.value)}`,
    body: (f) =>
      `Clients that call the operation without ${v(f.value)} credentials will get 401 or 403.`,
    fix: () =>
      'Roll the requirement out with notice, or add it in a new API version.',
    example: {
      before: 'security: []',
      after: 'security:\n  - oauth2: [pets:read]',
    },
  },
  'api-global-security-added': {
    summary: 'A security requirement was added to the whole API',
    title: (f) => `API-wide security requirement ${v(f.value)} added`,
    body: (f) =>
      `Clients that call operations without ${v(f.value)} credentials will get 401 or 403.`,
    fix: () =>
      'Roll the requirement out with notice, or add it in a new API version.',
    example: {
      before: '# no top-level security',
      after: 'security:\n  - bearerAuth: []',
    },
  },
  'api-security-scope-added': {
    summary:
      'An OAuth scope was added to a security requirement of an operation',
    title: (f) => `Operation now also requires scope ${v(f.value)}${scheme(f)}`,
    body: (f) =>
      `Tokens issued without ${v(f.value)} will get 403 from this operation.`,
    fix: () => 'Grant the scope to existing clients before enforcing it.',
    example: {
      before: 'security:\n  - oauth2: [pets:read]',
      after: 'security:\n  - oauth2: [pets:read, pets:admin]',
    },
  },
  'api-security-scope-removed': {
    summary:
      'An OAuth scope was removed from a security requirement of an operation',
    title: (f) =>
      `Operation no longer requires scope ${v(f.value)}${scheme(f)}`,
    body: (f) =>
      `Tokens without ${v(f.value)} can now call this operation — check that the wider access is intended.`,
    fix: () => 'Restore the scope, or confirm the wider access is intended.',
    example: {
      before: 'security:\n  - oauth2: [pets:read, pets:admin]',
      after: 'security:\n  - oauth2: [pets:read]',
    },
  },
  'api-global-security-scope-added': {
    summary: 'An OAuth scope was added to an API-wide security requirement',
    title: (f) =>
      `API-wide requirement now also needs scope ${v(f.value)}${scheme(f)}`,
    body: (f) =>
      `Tokens issued without ${v(f.value)} will get 403 from every operation that inherits the requirement.`,
    fix: () => 'Grant the scope to existing clients before enforcing it.',
    example: {
      before: 'security:\n  - oauth2: [read]',
      after: 'security:\n  - oauth2: [read, admin]',
    },
  },
  'api-global-security-scope-removed': {
    summary: 'An OAuth scope was removed from an API-wide security requirement',
    title: (f) =>
      `API-wide requirement no longer needs scope ${v(f.value)}${scheme(f)}`,
    body: (f) =>
      `Tokens without ${v(f.value)} can now call every operation that inherits the requirement — check that the wider access is intended.`,
    fix: () => 'Restore the scope, or confirm the wider access is intended.',
    example: {
      before: 'security:\n  - oauth2: [read, admin]',
      after: 'security:\n  - oauth2: [read]',
    },
  },
};
