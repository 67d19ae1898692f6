/**
 * Writes the docs page of every schema rule that carries its page texts (the MySQL online-DDL and
 * Rails rules, docs/rules/schema/<rule>.md), so pages and findings say the same. The migrations
 * rules test fails when a committed page is stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOCUMENTED_SCHEMA_RULES } from '../src/analyzers/migrations/documented.ts';
import { renderSchemaRulePage } from '../src/analyzers/migrations/rule-page.ts';
import { rulePagePath } from '../src/core/rules.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
for (const entry of DOCUMENTED_SCHEMA_RULES) {
  const path = `${root}${rulePagePath(entry.id)}`;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderSchemaRulePage(entry));
}
console.log(`wrote ${DOCUMENTED_SCHEMA_RULES.length} schema rule pages`);
