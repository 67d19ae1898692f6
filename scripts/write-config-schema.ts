/**
 * Writes the JSON Schema of `.github/architect.yml` (generated from the zod schema) for editor
 * completion. `--check` fails when the committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { allRules } from '../src/analyzers/index.ts';
import { configJsonSchema } from '../src/config/parse-config.ts';

const target = fileURLToPath(
  new URL('../schema/architect.schema.json', import.meta.url),
);
const text = `${JSON.stringify({ $id: 'architect.schema.json', title: 'Backend Architect configuration', ...(configJsonSchema(allRules().map((rule) => rule.id)) as object) }, null, 2)}\n`;

if (process.argv.includes('--check')) {
  const current = readFileSync(target, 'utf8');
  if (current !== text) {
    console.error(
      'schema/architect.schema.json is out of date: run `npm run schema`',
    );
    process.exit(1);
  }
  console.log('schema/architect.schema.json is up to date');
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
