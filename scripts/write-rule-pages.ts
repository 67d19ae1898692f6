/**
 * Writes the docs page of every OpenAPI rule (docs/rules/api-contract/<id>.md) from the rule texts,
 * so pages and findings say the same. The OpenAPI rules test fails when a committed page is stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rules } from '../src/analyzers/openapi/index.ts';
import { renderRulePage } from '../src/analyzers/openapi/rules/pages.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
for (const rule of rules) {
  const path = `${root}${rule.docs}`;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderRulePage(rule.id.slice('api-contract/'.length)));
}
console.log(`wrote ${rules.length} OpenAPI rule pages`);
