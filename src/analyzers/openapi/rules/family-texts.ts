import type { Facts } from '../diff/change.ts';
import { capitalize, directionOf, type SubjectKind } from './subjects.ts';

/** Texts shared by every subject a generic rule family applies to. */
export interface FamilyText {
  /** One line for rule lists; `k` is the kind of subject ("request property"). */
  summary(k: string): string;
  title(subject: string, f: Facts): string;
  body(subject: string, f: Facts, kind: SubjectKind): string;
  fix(subject: string, f: Facts, kind: SubjectKind): string;
  /** A schema fragment before and after, for the rule's page. */
  example: { before: string; after: string };
}

const v = (text: string | undefined) => `\`${text ?? 'none'}\``;

interface Bound {
  keyword: string;
  word: string;
  /** Values the new request limit turns away, or the old response limit no longer guarantees. */
  outside(limit: string | undefined): string;
}

const BOUNDS: Record<string, Bound> = {
  max: {
    keyword: 'maximum',
    word: 'maximum',
    outside: (n) => `values above ${n}`,
  },
  'exclusive-max': {
    keyword: 'exclusiveMaximum',
    word: 'exclusive maximum',
    outside: (n) => `values of ${n} or more`,
  },
  min: {
    keyword: 'minimum',
    word: 'minimum',
    outside: (n) => `values below ${n}`,
  },
  'exclusive-min': {
    keyword: 'exclusiveMinimum',
    word: 'exclusive minimum',
    outside: (n) => `values of ${n} or less`,
  },
  'max-length': {
    keyword: 'maxLength',
    word: 'maximum length',
    outside: (n) => `strings longer than ${n} characters`,
  },
  'min-length': {
    keyword: 'minLength',
    word: 'minimum length',
    outside: (n) => `strings shorter than ${n} characters`,
  },
  'max-items': {
    keyword: 'maxItems',
    word: 'maximum item count',
    outside: (n) => `arrays of more than ${n} items`,
  },
  'min-items': {
    keyword: 'minItems',
    word: 'minimum item count',
    outside: (n) => `arrays of fewer than ${n} items`,
  },
  'max-contains': {
    keyword: 'maxContains',
    word: 'maxContains',
    outside: (n) => `arrays with more than ${n} matching items`,
  },
  'min-contains': {
    keyword: 'minContains',
    word: 'minContains',
    outside: (n) => `arrays with fewer than ${n} matching items`,
  },
};

/** Limits tightened on input: values clients send today get rejected. */
function requestBound(
  family: string,
  event: 'decreased' | 'increased' | 'set',
): FamilyText {
  const bound = BOUNDS[family]!;
  const isSet = event === 'set';
  return {
    summary: (k) =>
      isSet
        ? `A ${bound.word} was added to a ${k}`
        : `The ${bound.word} of a ${k} was ${event}`,
    title: (s, f) =>
      isSet
        ? `${capitalize(s)} now has a ${bound.word} of ${f.to}`
        : `${capitalize(bound.word)} of ${s} ${event} from ${f.from} to ${f.to}`,
    body: (s, f) =>
      `${isSet ? `${capitalize(s)} had no ${bound.word} before.` : `The ${bound.word} of ${s} went from ${f.from} to ${f.to}.`} ` +
      `Clients that send ${bound.outside(f.to)} — accepted until now — will get a 400 validation error once this ships.`,
    fix: (_s, f) =>
      isSet
        ? `Check what clients send today before adding a ${bound.word}; introduce it in a new API version, or accept the old values and only warn.`
        : `Keep the old ${bound.word} (${f.from}) in this version, or accept both for a deprecation period and tighten it in a new API version.`,
    example: {
      before: isSet ? 'type: number' : `${bound.keyword}: 100`,
      after: isSet
        ? `type: number\n${bound.keyword}: 50`
        : `${bound.keyword}: 50`,
    },
  };
}

/** Limits loosened on output: values clients were promised they would never see can now arrive. */
function responseBound(
  family: string,
  event: 'increased' | 'decreased' | 'unset',
): FamilyText {
  const bound = BOUNDS[family]!;
  const unset = event === 'unset';
  return {
    summary: (k) =>
      unset
        ? `The ${bound.word} of a ${k} was removed`
        : `The ${bound.word} of a ${k} was ${event}`,
    title: (s, f) =>
      unset
        ? `${capitalize(s)} lost its ${bound.word} of ${f.from}`
        : `${capitalize(bound.word)} of ${s} ${event} from ${f.from} to ${f.to}`,
    body: (s, f) =>
      `Clients were promised that ${s} stays within ${bound.word} ${f.from}; they may size columns, buffers or their own validation on it. ` +
      `They can now receive ${bound.outside(f.from)} and fail to store or parse them.`,
    fix: (_s, f) =>
      `Keep responses within the documented ${bound.word} (${f.from}), or publish the wider range in a new API version so clients can prepare.`,
    example: {
      before: `${bound.keyword}: 50`,
      after: unset ? 'type: string' : `${bound.keyword}: 100`,
    },
  };
}

/** A subschema slot or named subschema that now constrains requests. */
function addedConstraint(
  what: string,
  keyword: string,
  consequence: string,
): FamilyText {
  return {
    summary: (k) => `A ${what} was added to a ${k}`,
    title: (s, f) =>
      `${capitalize(what)}${f.value ? ` ${v(f.value)}` : ''} added to ${s}`,
    body: (s, f) =>
      `${capitalize(s)} now has a ${what}${f.value ? ` (${v(f.value)})` : ''}: ${consequence} Clients whose payloads do not satisfy it will get a 400 validation error.`,
    fix: () =>
      `Add the ${what} in a new API version, or make sure every payload clients send today already satisfies it before tightening.`,
    example: { before: 'type: object', after: `type: object\n${keyword}` },
  };
}

/** A subschema slot or named subschema that no longer constrains responses. */
function removedGuarantee(
  what: string,
  keyword: string,
  consequence: string,
): FamilyText {
  return {
    summary: (k) => `A ${what} was removed from a ${k}`,
    title: (s, f) =>
      `${capitalize(what)}${f.value ? ` ${v(f.value)}` : ''} removed from ${s}`,
    body: (s) =>
      `${capitalize(s)} no longer carries its ${what}: ${consequence} Clients that relied on that guarantee may receive data they do not handle.`,
    fix: () =>
      `Keep the ${what} in responses of this version, or announce the looser contract in a new API version.`,
    example: { before: `type: object\n${keyword}`, after: 'type: object' },
  };
}

const memberText = {
  allOfAdded: {
    summary: (k: string) => `A schema was added to the allOf of a ${k}`,
    title: (s: string, f: Facts) => `${v(f.value)} added to the allOf of ${s}`,
    body: (s: string, f: Facts) =>
      `Payloads for ${s} must now also satisfy ${v(f.value)}. Clients whose payloads do not (missing its required fields, other types) will get a 400 validation error.`,
    fix: () =>
      'Add the new schema as optional properties instead, or introduce the combined schema in a new API version.',
    example: {
      before: 'allOf:\n  - $ref: "#/components/schemas/Pet"',
      after:
        'allOf:\n  - $ref: "#/components/schemas/Pet"\n  - $ref: "#/components/schemas/Owner"',
    },
  },
  allOfRemoved: {
    summary: (k: string) => `A schema was removed from the allOf of a ${k}`,
    title: (s: string, f: Facts) =>
      `${v(f.value)} removed from the allOf of ${s}`,
    body: (s: string, f: Facts) =>
      `${capitalize(s)} no longer includes ${v(f.value)}. Fields it defined may now be rejected or ignored by the server, so clients that still send them may get errors or silently lose data.`,
    fix: () =>
      'Keep the member (its fields can be marked deprecated) until clients stop sending them, then remove it in a new API version.',
    example: {
      before:
        'allOf:\n  - $ref: "#/components/schemas/Pet"\n  - $ref: "#/components/schemas/Owner"',
      after: 'allOf:\n  - $ref: "#/components/schemas/Pet"',
    },
  },
  alternativeRemoved: (keyword: 'anyOf' | 'oneOf'): FamilyText => ({
    summary: (k) => `An alternative was removed from the ${keyword} of a ${k}`,
    title: (s, f) => `${v(f.value)} removed from the ${keyword} of ${s}`,
    body: (s, f) =>
      `${capitalize(s)} no longer accepts the ${v(f.value)} alternative. Clients that send a payload of that shape will get a 400 validation error.`,
    fix: () =>
      'Keep accepting the alternative (mark it deprecated in its description) and drop it in a new API version.',
    example: {
      before: `${keyword}:\n  - $ref: "#/components/schemas/Card"\n  - $ref: "#/components/schemas/Iban"`,
      after: `${keyword}:\n  - $ref: "#/components/schemas/Card"`,
    },
  }),
  oneOfAdded: {
    summary: (k: string) => `An alternative was added to the oneOf of a ${k}`,
    title: (s: string, f: Facts) => `${v(f.value)} added to the oneOf of ${s}`,
    body: (s: string, f: Facts) =>
      `${capitalize(s)} may now come back in the new ${v(f.value)} shape. Clients that only know the old alternatives will fail to parse it or drop it.`,
    fix: () =>
      'Return the new shape only to clients that ask for it (a new API version, a query flag or a media type), or add it as optional fields of an existing alternative.',
    example: {
      before: 'oneOf:\n  - $ref: "#/components/schemas/Card"',
      after:
        'oneOf:\n  - $ref: "#/components/schemas/Card"\n  - $ref: "#/components/schemas/Iban"',
    },
  },
  prefixItemsRemoved: {
    summary: (k: string) =>
      `A tuple position (prefixItems) was removed from a ${k}`,
    title: (s: string, f: Facts) =>
      `Tuple position ${v(f.value)} removed from ${s}`,
    body: (s: string) =>
      `${capitalize(s)} no longer describes one of its tuple positions; arrays clients send with that element may now fail validation.`,
    fix: () =>
      'Keep the tuple position, or change the tuple layout in a new API version.',
    example: {
      before: 'prefixItems:\n  - type: string\n  - type: integer',
      after: 'prefixItems:\n  - type: string',
    },
  },
  prefixItemsAdded: {
    summary: (k: string) =>
      `A tuple position (prefixItems) was added to a ${k}`,
    title: (s: string, f: Facts) =>
      `Tuple position ${v(f.value)} added to ${s}`,
    body: (s: string) =>
      `${capitalize(s)} now describes an extra tuple position; clients that read the array positionally may get an element they do not expect.`,
    fix: () =>
      'Return the longer tuple in a new API version, or carry the new value in a separate field.',
    example: {
      before: 'prefixItems:\n  - type: string',
      after: 'prefixItems:\n  - type: string\n  - type: integer',
    },
  },
};

/** Texts for every generic family that can produce a finding (error or warning level). */
export const FAMILY_TEXTS: Record<string, FamilyText> = {
  'max-decreased': requestBound('max', 'decreased'),
  'exclusive-max-decreased': requestBound('exclusive-max', 'decreased'),
  'min-increased': requestBound('min', 'increased'),
  'exclusive-min-increased': requestBound('exclusive-min', 'increased'),
  'max-length-decreased': requestBound('max-length', 'decreased'),
  'min-length-increased': requestBound('min-length', 'increased'),
  'max-items-decreased': requestBound('max-items', 'decreased'),
  'min-items-increased': requestBound('min-items', 'increased'),
  'max-contains-decreased': requestBound('max-contains', 'decreased'),
  'min-contains-increased': requestBound('min-contains', 'increased'),
  'max-set': requestBound('max', 'set'),
  'exclusive-max-set': requestBound('exclusive-max', 'set'),
  'min-set': requestBound('min', 'set'),
  'exclusive-min-set': requestBound('exclusive-min', 'set'),
  'max-length-set': requestBound('max-length', 'set'),
  'min-items-set': requestBound('min-items', 'set'),

  'max-increased': responseBound('max', 'increased'),
  'exclusive-max-increased': responseBound('exclusive-max', 'increased'),
  'min-decreased': responseBound('min', 'decreased'),
  'exclusive-min-decreased': responseBound('exclusive-min', 'decreased'),
  'max-length-increased': responseBound('max-length', 'increased'),
  'max-length-unset': responseBound('max-length', 'unset'),
  'min-length-decreased': responseBound('min-length', 'decreased'),
  'min-items-decreased': responseBound('min-items', 'decreased'),
  'min-items-unset': responseBound('min-items', 'unset'),
  'max-contains-increased': responseBound('max-contains', 'increased'),
  'min-contains-decreased': responseBound('min-contains', 'decreased'),

  'contains-added': addedConstraint(
    '`contains` constraint',
    'contains:\n  type: string',
    'arrays must now include at least one matching item.',
  ),
  'if-added': addedConstraint(
    'conditional `if` schema',
    'if:\n  required: [kind]',
    'together with then/else it decides which extra rules apply.',
  ),
  'then-added': addedConstraint(
    '`then` schema',
    'then:\n  required: [reason]',
    'payloads matching the `if` schema must now also satisfy it.',
  ),
  'else-added': addedConstraint(
    '`else` schema',
    'else:\n  required: [reason]',
    'payloads not matching the `if` schema must now also satisfy it.',
  ),
  'property-names-added': addedConstraint(
    '`propertyNames` constraint',
    'propertyNames:\n  pattern: "^[a-z]+$"',
    'object keys must now match it.',
  ),
  'unevaluated-items-added': addedConstraint(
    '`unevaluatedItems` constraint',
    'unevaluatedItems: false',
    'array items no other keyword covers are now rejected or constrained.',
  ),
  'unevaluated-properties-added': addedConstraint(
    '`unevaluatedProperties` constraint',
    'unevaluatedProperties: false',
    'properties no other keyword covers are now rejected or constrained.',
  ),
  'content-schema-added': addedConstraint(
    '`contentSchema`',
    'contentMediaType: application/json\ncontentSchema:\n  type: object',
    'the encoded content of the string must now match it.',
  ),
  'pattern-property-added': addedConstraint(
    'pattern property',
    'patternProperties:\n  "^x-":\n    type: string',
    'properties whose names match the pattern must now satisfy its schema.',
  ),
  'dependent-schema-added': addedConstraint(
    'dependent schema',
    'dependentSchemas:\n  card:\n    required: [cvc]',
    'when the named property is present, the extra schema applies.',
  ),

  'contains-removed': removedGuarantee(
    '`contains` constraint',
    'contains:\n  type: string',
    'arrays may no longer include an item of the promised kind.',
  ),
  'if-removed': removedGuarantee(
    'conditional `if` schema',
    'if:\n  required: [kind]',
    'the conditional rules it selected no longer apply.',
  ),
  'then-removed': removedGuarantee(
    '`then` schema',
    'then:\n  required: [reason]',
    'values matching the `if` schema no longer have to satisfy it.',
  ),
  'else-removed': removedGuarantee(
    '`else` schema',
    'else:\n  required: [reason]',
    'values not matching the `if` schema no longer have to satisfy it.',
  ),
  'property-names-removed': removedGuarantee(
    '`propertyNames` constraint',
    'propertyNames:\n  pattern: "^[a-z]+$"',
    'object keys may now have any form.',
  ),
  'unevaluated-items-removed': removedGuarantee(
    '`unevaluatedItems` constraint',
    'unevaluatedItems: false',
    'arrays may now carry items no other keyword describes.',
  ),
  'unevaluated-properties-removed': removedGuarantee(
    '`unevaluatedProperties` constraint',
    'unevaluatedProperties: false',
    'objects may now carry properties no other keyword describes.',
  ),
  'content-schema-removed': removedGuarantee(
    '`contentSchema`',
    'contentMediaType: application/json\ncontentSchema:\n  type: object',
    'the encoded content is no longer guaranteed to match it.',
  ),
  'pattern-property-removed': removedGuarantee(
    'pattern property',
    'patternProperties:\n  "^x-":\n    type: string',
    'properties with matching names may now hold anything.',
  ),
  'dependent-schema-removed': removedGuarantee(
    'dependent schema',
    'dependentSchemas:\n  card:\n    required: [cvc]',
    'the extra rules for the named property no longer apply.',
  ),

  'dependent-required-added': {
    summary: (k) => `A dependentRequired rule was added to a ${k}`,
    title: (s, f) =>
      `${capitalize(s)}: sending ${v(f.value)} now also requires ${f.to}`,
    body: (s, f) =>
      `When ${v(f.value)} is present in ${s}, the fields ${f.to} must now be sent too. Clients that send ${v(f.value)} without them will get a 400 validation error.`,
    fix: () =>
      'Make the dependent fields optional, or add the rule in a new API version.',
    example: {
      before: 'type: object',
      after: 'type: object\ndependentRequired:\n  card: [cvc]',
    },
  },
  'dependent-required-changed': {
    summary: (k) => `A dependentRequired rule of a ${k} changed`,
    title: (s, f) =>
      `${capitalize(s)}: fields required with ${v(f.value)} changed from ${f.from} to ${f.to}`,
    body: (s, f, kind) =>
      directionOf(kind) === 'request'
        ? `When ${v(f.value)} is present in ${s}, the server now requires ${f.to} instead of ${f.from}. Clients that follow the old rule may get a 400 validation error.`
        : `When ${v(f.value)} is present in ${s}, the response now guarantees ${f.to} instead of ${f.from}. Clients that read a field no longer guaranteed may find it missing.`,
    fix: () =>
      'Keep the old rule in this version and change it in a new API version.',
    example: {
      before: 'dependentRequired:\n  card: [cvc]',
      after: 'dependentRequired:\n  card: [cvc, expiry]',
    },
  },
  'dependent-required-removed': {
    summary: (k) => `A dependentRequired rule was removed from a ${k}`,
    title: (s, f) =>
      `${capitalize(s)}: fields that came with ${v(f.value)} are no longer guaranteed`,
    body: (s, f) =>
      `Responses used to include ${f.from} whenever ${v(f.value)} was present in ${s}. Clients that read those fields may now find them missing.`,
    fix: () =>
      'Keep returning the dependent fields, or drop the guarantee in a new API version.',
    example: {
      before: 'dependentRequired:\n  card: [cvc]',
      after: 'type: object',
    },
  },
  'const-added': {
    summary: (k) => `A ${k} was restricted to a single constant value`,
    title: (s, f) => `${capitalize(s)} now only accepts ${v(f.to)}`,
    body: (s, f) =>
      `${capitalize(s)} gained \`const: ${f.to}\`. Clients that send any other value will get a 400 validation error.`,
    fix: () =>
      'Accept the previous values in this version, or introduce the constant in a new API version.',
    example: { before: 'type: string', after: 'type: string\nconst: v2' },
  },
  'const-changed': {
    summary: (k) => `The constant value of a ${k} changed`,
    title: (s, f) => `Constant of ${s} changed from ${v(f.from)} to ${v(f.to)}`,
    body: (s, f, kind) =>
      directionOf(kind) === 'request'
        ? `${capitalize(s)} now only accepts ${v(f.to)}. Clients that send ${v(f.from)} will get a 400 validation error.`
        : `${capitalize(s)} now carries ${v(f.to)} instead of ${v(f.from)}. Clients that check for the old value will take the wrong branch or fail.`,
    fix: () =>
      'Keep the old constant in this version and change it in a new API version.',
    example: { before: 'const: v1', after: 'const: v2' },
  },
  'const-removed': {
    summary: (k) => `The constant value of a ${k} was removed`,
    title: (s, f) => `${capitalize(s)} is no longer always ${v(f.from)}`,
    body: (s, f) =>
      `${capitalize(s)} was guaranteed to be ${v(f.from)}. Clients that rely on that value may now receive others and mishandle them.`,
    fix: () =>
      'Keep the constant in responses of this version, or announce the open value set in a new API version.',
    example: { before: 'type: string\nconst: v1', after: 'type: string' },
  },
  'content-media-type-changed': {
    summary: (k) => `The contentMediaType of a ${k} changed`,
    title: (s, f) =>
      `Encoded content type of ${s} changed from ${v(f.from)} to ${v(f.to)}`,
    body: (s, f, kind) =>
      directionOf(kind) === 'request'
        ? `The string in ${s} must now hold ${v(f.to)} content instead of ${v(f.from)}. Clients that keep encoding the old format will be rejected or misread.`
        : `The string in ${s} now holds ${v(f.to)} content instead of ${v(f.from)}. Clients that decode the old format will fail.`,
    fix: () =>
      'Keep the content type in this version, or carry the new format in a new field.',
    example: {
      before: 'type: string\ncontentMediaType: application/xml',
      after: 'type: string\ncontentMediaType: application/json',
    },
  },
  'content-encoding-changed': {
    summary: (k) => `The contentEncoding of a ${k} changed`,
    title: (s, f) =>
      `Content encoding of ${s} changed from ${v(f.from)} to ${v(f.to)}`,
    body: (s, f, kind) =>
      directionOf(kind) === 'request'
        ? `The string in ${s} must now be encoded as ${v(f.to)} instead of ${v(f.from)}. Clients that keep the old encoding will be rejected or misread.`
        : `The string in ${s} is now encoded as ${v(f.to)} instead of ${v(f.from)}. Clients that decode the old encoding will get garbage.`,
    fix: () =>
      'Keep the encoding in this version, or carry the newly encoded value in a new field.',
    example: {
      before: 'type: string\ncontentEncoding: base64',
      after: 'type: string\ncontentEncoding: base32',
    },
  },

  'all-of-added': memberText.allOfAdded,
  'all-of-removed': memberText.allOfRemoved,
  'any-of-removed': memberText.alternativeRemoved('anyOf'),
  'one-of-removed': memberText.alternativeRemoved('oneOf'),
  'one-of-added': memberText.oneOfAdded,
  'prefix-items-removed': memberText.prefixItemsRemoved,
  'prefix-items-added': memberText.prefixItemsAdded,

  'list-of-types-narrowed': {
    summary: (k) => `Types were removed from the union type of a ${k}`,
    title: (s, f) => `${capitalize(s)} no longer accepts ${f.value}`,
    body: (s, f) =>
      `${capitalize(s)} is a union of types and lost ${f.value}. Clients that send ${f.value} values will get a 400 validation error.`,
    fix: () =>
      'Keep accepting the removed types in this version and narrow the union in a new API version.',
    example: {
      before: 'oneOf:\n  - type: string\n  - type: integer',
      after: 'oneOf:\n  - type: string',
    },
  },
  'list-of-types-widened': {
    summary: (k) => `Types were added to the union type of a ${k}`,
    title: (s, f) => `${capitalize(s)} may now be ${f.value}`,
    body: (s, f) =>
      `${capitalize(s)} is a union of types and gained ${f.value}. Clients that only handle the old types will fail to parse the new values.`,
    fix: () =>
      'Return the new types only in a new API version, or in a separate field.',
    example: {
      before: 'oneOf:\n  - type: string',
      after: 'oneOf:\n  - type: string\n  - type: integer',
    },
  },
  'type-changed': {
    summary: (k) => `The type or format of a ${k} changed`,
    title: (s, f) => `Type of ${s} changed from ${f.from} to ${f.to}`,
    body: (s, f, kind) =>
      directionOf(kind) === 'request'
        ? `${capitalize(s)} is now ${f.to} instead of ${f.from}. Clients that keep sending ${f.from} values will get a 400 validation error.`
        : `${capitalize(s)} is now ${f.to} instead of ${f.from}. Clients that deserialize it as ${f.from} will fail or misread the value.`,
    fix: () =>
      'Keep the old type and add a new field with the new type; remove the old field in a new API version.',
    example: { before: 'type: integer', after: 'type: string' },
  },
  'type-generalized': {
    summary: (k) => `The type or format of a ${k} was widened`,
    title: (s, f) => `Type of ${s} widened from ${f.from} to ${f.to}`,
    body: (s, f) =>
      `${capitalize(s)} may now hold any ${f.to} instead of only ${f.from}. Clients that store it as ${f.from} (an int column, an int32 field) will overflow, truncate or fail to parse.`,
    fix: () =>
      'Keep returning values of the old type in this version, or add a new field with the wider type.',
    example: { before: 'type: integer', after: 'type: number' },
  },
  'became-not-nullable': {
    summary: (k) => `A ${k} no longer accepts null`,
    title: (s) => `${capitalize(s)} no longer accepts null`,
    body: (s) =>
      `${capitalize(s)} was nullable. Clients that send null for it — often to clear a value — will get a 400 validation error.`,
    fix: () =>
      'Keep accepting null (treat it like an absent value if needed), or drop it in a new API version.',
    example: { before: 'type: string\nnullable: true', after: 'type: string' },
  },
  'became-nullable': {
    summary: (k) => `A ${k} may now be null`,
    title: (s) => `${capitalize(s)} may now be null`,
    body: (s) =>
      `${capitalize(s)} was never null. Clients that read it without a null check will throw or show broken data.`,
    fix: () =>
      'Keep a non-null value (a default or an empty value), or make it nullable in a new API version.',
    example: { before: 'type: string', after: 'type: string\nnullable: true' },
  },
  'became-enum': {
    summary: (k) => `A ${k} was restricted to a list of values`,
    title: (s) => `${capitalize(s)} is now restricted to an enum`,
    body: (s) =>
      `${capitalize(s)} accepted any value of its type and now accepts only the listed ones. Clients that send anything else will get a 400 validation error.`,
    fix: () =>
      'Check which values clients send today and include them all, or add the enum in a new API version.',
    example: {
      before: 'type: string',
      after: 'type: string\nenum: [card, iban]',
    },
  },
  'enum-value-removed': {
    summary: (k) => `A value was removed from the enum of a ${k}`,
    title: (s, f) => `${capitalize(s)} no longer accepts ${v(f.value)}`,
    body: (s, f) =>
      `${v(f.value)} was a valid value for ${s}. Clients that still send it will get a 400 validation error.`,
    fix: () =>
      'Keep accepting the value (map it to its replacement on the server) and remove it in a new API version.',
    example: {
      before: 'enum: [card, iban, cash]',
      after: 'enum: [card, iban]',
    },
  },
  'enum-value-added': {
    summary: (k) => `A value was added to the enum of a ${k}`,
    title: (s, f) => `${capitalize(s)} may now be ${v(f.value)}`,
    body: (s, f) =>
      `${capitalize(s)} can now return ${v(f.value)}. Clients with an exhaustive switch or a strict enum type for the old values will fail on it.`,
    fix: () =>
      'Tell clients to tolerate unknown values (x-extensible-enum), or return the new value only in a new API version.',
    example: {
      before: 'enum: [pending, paid]',
      after: 'enum: [pending, paid, refunded]',
    },
  },
  'x-extensible-enum-value-removed': {
    summary: (k) => `A value was removed from the x-extensible-enum of a ${k}`,
    title: (s, f) => `${capitalize(s)} no longer lists ${v(f.value)}`,
    body: (s, f) =>
      `${v(f.value)} was a documented value of ${s}. Clients that still send it may be rejected.`,
    fix: () => 'Keep accepting the value and remove it in a new API version.',
    example: {
      before: 'x-extensible-enum: [card, iban, cash]',
      after: 'x-extensible-enum: [card, iban]',
    },
  },
  'pattern-added': {
    summary: (k) => `A pattern was added to a ${k}`,
    title: (s, f) => `${capitalize(s)} must now match ${v(f.value)}`,
    body: (s) =>
      `${capitalize(s)} accepted any string and now must match a regular expression. Clients that send values that do not match will get a 400 validation error.`,
    fix: () =>
      'Check what clients send today before adding the pattern; add it in a new API version otherwise.',
    example: {
      before: 'type: string',
      after: 'type: string\npattern: "^[A-Z]{2}[0-9]{6}$"',
    },
  },
  'pattern-changed': {
    summary: (k) => `The pattern of a ${k} changed`,
    title: (s, f) => `Pattern of ${s} changed from ${v(f.from)} to ${v(f.to)}`,
    body: (s) =>
      `${capitalize(s)} is checked against a different regular expression. Values valid under the old pattern may now be rejected with a 400 validation error.`,
    fix: () =>
      'Make sure the new pattern accepts everything the old one did, or change it in a new API version.',
    example: {
      before: 'pattern: "^[a-z]+$"',
      after: 'pattern: "^[a-z]{3,8}$"',
    },
  },
  'wrapped-in-one-of': {
    summary: (k) => `A ${k} was restructured into a oneOf`,
    title: (s) => `${capitalize(s)} was restructured into a oneOf`,
    body: (s, _f, kind) =>
      directionOf(kind) === 'request'
        ? `${capitalize(s)} used to be one object schema and is now a oneOf of alternatives. A payload that was valid may now match none or several of them, and oneOf rejects both.`
        : `${capitalize(s)} used to be one object schema and is now a oneOf of alternatives. Fields every response used to carry may now be missing.`,
    fix: () =>
      'Keep the object schema and add the new fields as optional, or make sure exactly one alternative matches every old payload (use a discriminator).',
    example: {
      before:
        'type: object\nproperties:\n  card: {type: string}\n  iban: {type: string}',
      after:
        'oneOf:\n  - properties:\n      card: {type: string}\n  - properties:\n      iban: {type: string}',
    },
  },
  'media-type-removed': {
    summary: () => 'A media type was removed from the request body',
    title: (_s, f) => `Request body no longer accepts ${v(f.mediaType)}`,
    body: (_s, f) =>
      `Clients that send the body as ${v(f.mediaType)} will get 415 Unsupported Media Type.`,
    fix: () =>
      'Keep accepting the media type until clients have moved, then remove it in a new API version.',
    example: {
      before: 'content:\n  application/json: {}\n  application/xml: {}',
      after: 'content:\n  application/json: {}',
    },
  },
  'media-type-schema-added': {
    summary: () =>
      'A schema was added to a request body media type that had none',
    title: (_s, f) => `Request body ${v(f.mediaType)} now has a schema`,
    body: (_s, f) =>
      `The ${v(f.mediaType)} request body accepted any content and is now validated against a schema. Clients whose payloads do not match it will get a 400 validation error.`,
    fix: () =>
      'Make the schema accept every payload clients send today, or add it in a new API version.',
    example: {
      before: 'application/json: {}',
      after:
        'application/json:\n  schema:\n    type: object\n    required: [id]',
    },
  },
  'media-type-schema-removed': {
    summary: () => 'The schema was removed from a response media type',
    title: (_s, f) =>
      `Response ${v(f.mediaType)} (${f.status}) no longer has a schema`,
    body: (_s, f) =>
      `The ${f.status} response as ${v(f.mediaType)} no longer documents its content. Clients generated from the spec lose their types, and nothing guarantees the old shape anymore.`,
    fix: () =>
      'Keep the schema; if the content really is free-form, document that in a new API version.',
    example: {
      before:
        'application/json:\n  schema:\n    $ref: "#/components/schemas/Pet"',
      after: 'application/json: {}',
    },
  },
};
