import type { Severity } from '../../core/finding.ts';
import { defineRule, type RuleDescriptor } from '../../core/rules.ts';

/** graphql-inspector's criticality levels. */
export type Criticality = 'BREAKING' | 'DANGEROUS' | 'NON_BREAKING';

/**
 * Every change type of @graphql-inspector/core 8.0.0 with the most severe criticality it can
 * report (several depend on the change: an added argument breaks only when it is required without
 * a default; a directive usage is dangerous unless it is one the schema's behaviour depends on).
 */
export const CHANGE_TYPES: ReadonlyArray<
  readonly [type: string, worst: Criticality]
> = [
  ['DIRECTIVE_ADDED', 'NON_BREAKING'],
  ['DIRECTIVE_ARGUMENT_ADDED', 'BREAKING'],
  ['DIRECTIVE_ARGUMENT_DEFAULT_VALUE_CHANGED', 'DANGEROUS'],
  ['DIRECTIVE_ARGUMENT_DESCRIPTION_CHANGED', 'NON_BREAKING'],
  ['DIRECTIVE_ARGUMENT_REMOVED', 'BREAKING'],
  ['DIRECTIVE_ARGUMENT_TYPE_CHANGED', 'BREAKING'],
  ['DIRECTIVE_DESCRIPTION_CHANGED', 'NON_BREAKING'],
  ['DIRECTIVE_LOCATION_ADDED', 'NON_BREAKING'],
  ['DIRECTIVE_LOCATION_REMOVED', 'BREAKING'],
  ['DIRECTIVE_REMOVED', 'BREAKING'],
  ['DIRECTIVE_REPEATABLE_ADDED', 'NON_BREAKING'],
  ['DIRECTIVE_REPEATABLE_REMOVED', 'DANGEROUS'],
  ['DIRECTIVE_USAGE_ARGUMENT_ADDED', 'DANGEROUS'],
  ['DIRECTIVE_USAGE_ARGUMENT_DEFINITION_ADDED', 'BREAKING'],
  ['DIRECTIVE_USAGE_ARGUMENT_DEFINITION_REMOVED', 'DANGEROUS'],
  ['DIRECTIVE_USAGE_ARGUMENT_REMOVED', 'DANGEROUS'],
  ['DIRECTIVE_USAGE_ENUM_ADDED', 'BREAKING'],
  ['DIRECTIVE_USAGE_ENUM_REMOVED', 'DANGEROUS'],
  ['DIRECTIVE_USAGE_ENUM_VALUE_ADDED', 'BREAKING'],
  ['DIRECTIVE_USAGE_ENUM_VALUE_REMOVED', 'DANGEROUS'],
  ['DIRECTIVE_USAGE_FIELD_ADDED', 'BREAKING'],
  ['DIRECTIVE_USAGE_FIELD_DEFINITION_ADDED', 'BREAKING'],
  ['DIRECTIVE_USAGE_FIELD_DEFINITION_REMOVED', 'DANGEROUS'],
  ['DIRECTIVE_USAGE_FIELD_REMOVED', 'DANGEROUS'],
  ['DIRECTIVE_USAGE_INPUT_FIELD_DEFINITION_ADDED', 'BREAKING'],
  ['DIRECTIVE_USAGE_INPUT_FIELD_DEFINITION_REMOVED', 'DANGEROUS'],
  ['DIRECTIVE_USAGE_INPUT_OBJECT_ADDED', 'BREAKING'],
  ['DIRECTIVE_USAGE_INPUT_OBJECT_REMOVED', 'DANGEROUS'],
  ['DIRECTIVE_USAGE_INTERFACE_ADDED', 'BREAKING'],
  ['DIRECTIVE_USAGE_INTERFACE_REMOVED', 'DANGEROUS'],
  ['DIRECTIVE_USAGE_OBJECT_ADDED', 'BREAKING'],
  ['DIRECTIVE_USAGE_OBJECT_REMOVED', 'DANGEROUS'],
  ['DIRECTIVE_USAGE_SCALAR_ADDED', 'BREAKING'],
  ['DIRECTIVE_USAGE_SCALAR_REMOVED', 'DANGEROUS'],
  ['DIRECTIVE_USAGE_SCHEMA_ADDED', 'BREAKING'],
  ['DIRECTIVE_USAGE_SCHEMA_REMOVED', 'DANGEROUS'],
  ['DIRECTIVE_USAGE_UNION_MEMBER_ADDED', 'BREAKING'],
  ['DIRECTIVE_USAGE_UNION_MEMBER_REMOVED', 'DANGEROUS'],
  ['ENUM_VALUE_ADDED', 'DANGEROUS'],
  ['ENUM_VALUE_DEPRECATION_REASON_ADDED', 'NON_BREAKING'],
  ['ENUM_VALUE_DEPRECATION_REASON_CHANGED', 'NON_BREAKING'],
  ['ENUM_VALUE_DEPRECATION_REASON_REMOVED', 'NON_BREAKING'],
  ['ENUM_VALUE_DESCRIPTION_CHANGED', 'NON_BREAKING'],
  ['ENUM_VALUE_REMOVED', 'BREAKING'],
  ['FIELD_ADDED', 'NON_BREAKING'],
  ['FIELD_ARGUMENT_ADDED', 'BREAKING'],
  ['FIELD_ARGUMENT_DEFAULT_CHANGED', 'DANGEROUS'],
  ['FIELD_ARGUMENT_DESCRIPTION_CHANGED', 'NON_BREAKING'],
  ['FIELD_ARGUMENT_REMOVED', 'BREAKING'],
  ['FIELD_ARGUMENT_TYPE_CHANGED', 'BREAKING'],
  ['FIELD_DEPRECATION_ADDED', 'NON_BREAKING'],
  ['FIELD_DEPRECATION_REASON_ADDED', 'NON_BREAKING'],
  ['FIELD_DEPRECATION_REASON_CHANGED', 'NON_BREAKING'],
  ['FIELD_DEPRECATION_REASON_REMOVED', 'NON_BREAKING'],
  ['FIELD_DEPRECATION_REMOVED', 'NON_BREAKING'],
  ['FIELD_DESCRIPTION_ADDED', 'NON_BREAKING'],
  ['FIELD_DESCRIPTION_CHANGED', 'NON_BREAKING'],
  ['FIELD_DESCRIPTION_REMOVED', 'NON_BREAKING'],
  ['FIELD_REMOVED', 'BREAKING'],
  ['FIELD_TYPE_CHANGED', 'BREAKING'],
  ['INPUT_FIELD_ADDED', 'BREAKING'],
  ['INPUT_FIELD_DEFAULT_VALUE_CHANGED', 'DANGEROUS'],
  ['INPUT_FIELD_DESCRIPTION_ADDED', 'NON_BREAKING'],
  ['INPUT_FIELD_DESCRIPTION_CHANGED', 'NON_BREAKING'],
  ['INPUT_FIELD_DESCRIPTION_REMOVED', 'NON_BREAKING'],
  ['INPUT_FIELD_REMOVED', 'BREAKING'],
  ['INPUT_FIELD_TYPE_CHANGED', 'BREAKING'],
  ['OBJECT_TYPE_INTERFACE_ADDED', 'DANGEROUS'],
  ['OBJECT_TYPE_INTERFACE_REMOVED', 'BREAKING'],
  ['SCHEMA_MUTATION_TYPE_CHANGED', 'BREAKING'],
  ['SCHEMA_QUERY_TYPE_CHANGED', 'BREAKING'],
  ['SCHEMA_SUBSCRIPTION_TYPE_CHANGED', 'BREAKING'],
  ['TYPE_ADDED', 'NON_BREAKING'],
  ['TYPE_DESCRIPTION_ADDED', 'NON_BREAKING'],
  ['TYPE_DESCRIPTION_CHANGED', 'NON_BREAKING'],
  ['TYPE_DESCRIPTION_REMOVED', 'NON_BREAKING'],
  ['TYPE_KIND_CHANGED', 'BREAKING'],
  ['TYPE_REMOVED', 'BREAKING'],
  ['UNION_MEMBER_ADDED', 'DANGEROUS'],
  ['UNION_MEMBER_REMOVED', 'BREAKING'],
];

const WORST = new Map(CHANGE_TYPES);

export function isKnownChangeType(type: string): boolean {
  return WORST.has(type);
}

export function severityOf(criticality: Criticality): Severity {
  return criticality === 'BREAKING'
    ? 'high'
    : criticality === 'DANGEROUS'
      ? 'medium'
      : 'low';
}

/** graphql-inspector's FIELD_REMOVED is reported as `api-contract/graphql-field-removed`. */
export function graphqlRuleId(type: string): string {
  return `api-contract/graphql-${type.toLowerCase().replaceAll('_', '-')}`;
}

/** FIELD_ARGUMENT_DEFAULT_CHANGED → "Field argument default changed". */
export function changeTypeTitle(type: string): string {
  const words = type.toLowerCase().split('_');
  return `${words[0]!.charAt(0).toUpperCase()}${words[0]!.slice(1)} ${words.slice(1).join(' ')}`.replace(
    /\bdirective usage\b/,
    'directive use on',
  );
}

/** What to do instead, by the kind of change. */
export function fixFor(type: string): string {
  if (type.startsWith('DIRECTIVE_USAGE_')) {
    return 'Check what the directive does for this schema (gateway composition, authorization, validation, caching) and whether clients and the gateway are ready for it being applied or removed here.';
  }
  if (/_REMOVED$/.test(type) && !/DESCRIPTION|DEPRECATION/.test(type)) {
    return 'Keep it and mark it `@deprecated(reason: "…")`; remove it once no client operation uses it (check the usage reports of your gateway or schema registry).';
  }
  if (/TYPE_CHANGED$|KIND_CHANGED$/.test(type)) {
    return 'Keep the old definition and add a new field, argument or type with the new shape; deprecate the old one and migrate clients first.';
  }
  if (/^(FIELD_ARGUMENT|INPUT_FIELD|DIRECTIVE_ARGUMENT)_ADDED$/.test(type)) {
    return 'Make the new argument or input field nullable, or give it a default value, so existing operations stay valid.';
  }
  if (/DEFAULT/.test(type)) {
    return 'Keep the old default; clients that omit the value silently get the new behaviour. Add a new argument if the default must change.';
  }
  if (/^(ENUM_VALUE|UNION_MEMBER|OBJECT_TYPE_INTERFACE)_ADDED$/.test(type)) {
    return 'Make sure clients handle values and types they do not know (a default branch in switches, `__typename` checks) before the new one is returned.';
  }
  if (
    type === 'DIRECTIVE_LOCATION_REMOVED' ||
    type === 'DIRECTIVE_REPEATABLE_REMOVED'
  ) {
    return 'Keep the directive usable where it was; operations and schemas that use it there become invalid.';
  }
  return 'No action needed for existing clients; reported because reporting of non-breaking changes is turned on.';
}

/** A change type this table does not list (a newer graphql-inspector); reported with the change's own criticality. */
export const GRAPHQL_OTHER_CHANGE: RuleDescriptor = defineRule({
  id: 'api-contract/graphql-other-schema-change',
  severity: 'high',
  title: 'GraphQL schema change of a kind not listed here',
  appliesTo: { fileKinds: ['graphql'] },
});

export const rules: RuleDescriptor[] = [
  GRAPHQL_OTHER_CHANGE,
  ...CHANGE_TYPES.map(
    ([type, worst]): RuleDescriptor =>
      defineRule({
        id: graphqlRuleId(type),
        severity: severityOf(worst),
        title: changeTypeTitle(type),
        appliesTo: { fileKinds: ['graphql'] },
      }),
  ),
];
