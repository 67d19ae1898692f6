/**
 * The docs/rules pages of the GraphQL rules, rendered from the change-type table so they cannot drift.
 *
 *   node src/analyzers/graphql/rule-pages.ts    # rewrites docs/rules/api-contract/graphql-*.md
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rulePagePath } from '../../core/rules.ts';
import {
  CHANGE_TYPES,
  GRAPHQL_OTHER_CHANGE,
  changeTypeTitle,
  fixFor,
  graphqlRuleId,
  rules,
  severityOf,
  type Criticality,
} from './rules.ts';

const CRITICALITY: Record<Criticality, string> = {
  BREAKING: 'breaking',
  DANGEROUS: 'dangerous',
  NON_BREAKING: 'non-breaking',
};
const MEANING: Record<Criticality, string> = {
  BREAKING:
    'Existing client operations that use the element become invalid: they fail validation on the server.',
  DANGEROUS:
    'Existing operations stay valid, but clients can get values or behaviour they were not written for.',
  NON_BREAKING: 'Existing operations keep working.',
};
/** Types whose criticality depends on the change (a required argument breaks, an optional one does not). */
const VARIABLE = new Set([
  'DIRECTIVE_ARGUMENT_ADDED',
  'DIRECTIVE_ARGUMENT_TYPE_CHANGED',
  'FIELD_ARGUMENT_ADDED',
  'FIELD_ARGUMENT_TYPE_CHANGED',
  'FIELD_TYPE_CHANGED',
  'INPUT_FIELD_ADDED',
  'INPUT_FIELD_TYPE_CHANGED',
  'ENUM_VALUE_ADDED',
  'UNION_MEMBER_ADDED',
  'OBJECT_TYPE_INTERFACE_ADDED',
  'SCHEMA_MUTATION_TYPE_CHANGED',
  'SCHEMA_QUERY_TYPE_CHANGED',
  'SCHEMA_SUBSCRIPTION_TYPE_CHANGED',
]);

function changeTypePage(type: string, worst: Criticality): string {
  const variable = VARIABLE.has(type) || type.startsWith('DIRECTIVE_USAGE_');
  const how = variable
    ? "How critical the change is depends on the change itself (for example, an added argument or input field breaks only when it is required and has no default; a directive is dangerous to add unless the schema's behaviour depends on it), and the finding is reported with that criticality: breaking as high, dangerous as medium."
    : `graphql-inspector classifies it as ${CRITICALITY[worst]}; it is reported as ${severityOf(worst)}.`;
  return `# ${graphqlRuleId(type)}

**Severity:** ${severityOf(worst)}${variable ? " at most (the finding has the severity of the change's own criticality)" : ''} · **Lens:** api-contract · **graphql-inspector:** \`${type}\`, ${CRITICALITY[worst]}${variable ? ' at worst' : ''}

## What it detects

${changeTypeTitle(type)}, between the base and the head of a GraphQL schema the pull request changes (a \`.graphql\`, \`.graphqls\` or \`.gql\` file, or SDL in a plain \`gql\`/\`graphql\`-tagged template literal), as @graphql-inspector/core classifies it. ${how}${worst === 'NON_BREAKING' ? ' Non-breaking changes are not reported unless non-breaking reporting is turned on for the analyzer.' : ''}

## What breaks for clients

${MEANING[worst]}

## Fix

${fixFor(type)}

## Reference

graphql-inspector's change types and criticality: https://the-guild.dev/graphql/inspector/docs/essentials/diff
`;
}

/** The page of a GraphQL rule id (`api-contract/graphql-...`). */
export function renderGraphqlRulePage(id: string): string {
  const entry = CHANGE_TYPES.find(([type]) => graphqlRuleId(type) === id);
  if (entry) return changeTypePage(entry[0], entry[1]);
  if (id !== GRAPHQL_OTHER_CHANGE.id) throw new Error(`no GraphQL rule ${id}`);
  return `# ${id}

**Severity:** high at most (the change's own criticality) · **Lens:** api-contract

## What it detects

A change graphql-inspector reports under a change type this product does not list (a newer version of the library). Its criticality decides the severity: breaking as high, dangerous as medium.

## Fix

Read graphql-inspector's message in the finding and treat it like the listed change types.
`;
}

export const GRAPHQL_PAGES_DIR = 'docs/rules/api-contract';
/** The file-name prefix of this analyzer's pages in that folder. */
export const GRAPHQL_PAGE_PREFIX = 'graphql-';

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  const dir = join(root, GRAPHQL_PAGES_DIR);
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir))
    if (name.startsWith(GRAPHQL_PAGE_PREFIX)) rmSync(join(dir, name));
  for (const rule of rules)
    writeFileSync(
      join(root, rulePagePath(rule.id)),
      renderGraphqlRulePage(rule.id),
    );
  console.log(
    `wrote ${rules.length} pages to ${GRAPHQL_PAGES_DIR}/${GRAPHQL_PAGE_PREFIX}*.md`,
  );
}
