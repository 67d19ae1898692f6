import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../../../src/analyzers/migrations/index.ts';
import { rulePagePath } from '../../../../src/core/rules.ts';

const root = resolve(import.meta.dirname, '../../../..');

describe('schema rules', () => {
  it('have stable kebab-case ids on the schema lens', () => {
    expect(rules.length).toBeGreaterThan(40);
    for (const rule of rules) {
      expect(rule.id).toMatch(/^schema\/[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(rule.lens).toBe('schema');
    }
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it('each have a page that states the same severity, and every page has a rule', () => {
    for (const rule of rules) {
      const page = resolve(root, rulePagePath(rule.id));
      expect(existsSync(page), page).toBe(true);
      const text = readFileSync(page, 'utf8');
      expect(text.startsWith(`# ${rule.id}\n`)).toBe(true);
      expect(text).toContain(`**Severity:** ${rule.severity}`);
      for (const section of [
        '## What it detects',
        '## Why it matters',
        '## Example',
        '## Fix',
      ])
        expect(text).toContain(section);
    }
    const pages = readdirSync(resolve(root, 'docs/rules/schema')).filter(
      (name) => name !== 'README.md',
    );
    expect(
      pages.map((name) => `schema/${name.replace(/\.md$/, '')}`).sort(),
    ).toEqual(rules.map((r) => r.id).sort());
  });
});

describe('generated schema rule pages', () => {
  it('match the rule texts (run npm run rule-pages after changing them)', async () => {
    const { DOCUMENTED_SCHEMA_RULES } = await import(
      '../../../../src/analyzers/migrations/documented.ts'
    );
    const { renderSchemaRulePage } = await import(
      '../../../../src/analyzers/migrations/rule-page.ts'
    );
    for (const entry of DOCUMENTED_SCHEMA_RULES) {
      const page = resolve(root, rulePagePath(entry.id));
      expect(
        readFileSync(page, 'utf8'),
        `${page} is stale: run npm run rule-pages`,
      ).toBe(renderSchemaRulePage(entry));
    }
  });
});
