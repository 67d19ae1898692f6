import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rulePagePath } from '../../../../src/core/rules.ts';
import {
  GRAPHQL_PAGE_PREFIX,
  GRAPHQL_PAGES_DIR,
  renderGraphqlRulePage,
} from '../../../../src/analyzers/graphql/rule-pages.ts';
import {
  CHANGE_TYPES,
  changeTypeTitle,
  rules,
  severityOf,
} from '../../../../src/analyzers/graphql/rules.ts';

const repoRoot = resolve(
  fileURLToPath(new URL('.', import.meta.url)),
  '../../../..',
);

describe('graphql rules', () => {
  it("maps graphql-inspector's criticality to severity", () => {
    expect(severityOf('BREAKING')).toBe('high');
    expect(severityOf('DANGEROUS')).toBe('medium');
    expect(severityOf('NON_BREAKING')).toBe('low');
    expect(changeTypeTitle('FIELD_ARGUMENT_DEFAULT_CHANGED')).toBe(
      'Field argument default changed',
    );
    expect(new Set(CHANGE_TYPES.map(([type]) => type)).size).toBe(80);
  });

  it('has an up-to-date page for every rule and no page for rules that are gone', () => {
    for (const rule of rules) {
      const path = join(repoRoot, rulePagePath(rule.id));
      expect(
        existsSync(path),
        `${path} is missing: run node src/analyzers/graphql/rule-pages.ts`,
      ).toBe(true);
      expect(
        readFileSync(path, 'utf8'),
        `${path} is stale: run node src/analyzers/graphql/rule-pages.ts`,
      ).toBe(renderGraphqlRulePage(rule.id));
    }
    const known = new Set(
      rules.map((rule) => `${rule.id.split('/').at(-1)}.md`),
    );
    expect(
      readdirSync(join(repoRoot, GRAPHQL_PAGES_DIR)).filter(
        (name) => name.startsWith(GRAPHQL_PAGE_PREFIX) && !known.has(name),
      ),
    ).toEqual([]);
  });
});
