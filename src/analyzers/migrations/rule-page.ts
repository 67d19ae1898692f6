import type { CatalogEntry } from './catalog.ts';

/** What a rule's docs page says beyond the catalog texts; the page is written from both. */
export interface RulePage {
  detects: string;
  example: { language: 'sql' | 'ruby'; code: string };
  reference: string;
}

/** A catalog entry that carries its own page, so the page and the findings say the same. */
export interface DocumentedEntry extends CatalogEntry {
  page: RulePage;
}

/** The Markdown page of a documented schema rule (docs/rules/<id>.md). */
export function renderSchemaRulePage(entry: DocumentedEntry): string {
  const example = entry.page.example;
  return [
    `# ${entry.id}`,
    '',
    `**Severity:** ${entry.severity} · **Lens:** schema`,
    '',
    `${entry.title}.`,
    '',
    '## What it detects',
    '',
    entry.page.detects,
    '',
    '## Why it matters',
    '',
    entry.body({}),
    '',
    '## Example',
    '',
    `\`\`\`${example.language}`,
    example.code.trimEnd(),
    '```',
    '',
    '## Fix',
    '',
    entry.fix,
    '',
    '## Reference',
    '',
    entry.page.reference,
    '',
  ].join('\n');
}
