import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rulePagePath } from '../../../../src/core/rules.ts';
import {
  PROTOBUF_PAGE_PREFIX,
  PROTOBUF_PAGES_DIR,
  renderProtobufRulePage,
} from '../../../../src/analyzers/protobuf/rule-pages.ts';
import {
  BUF_RULES,
  bufSeverity,
  impactOf,
  rules,
} from '../../../../src/analyzers/protobuf/rules.ts';

const repoRoot = resolve(
  fileURLToPath(new URL('.', import.meta.url)),
  '../../../..',
);

describe('protobuf rules', () => {
  it("uses buf's ids and categories, with wire impact for WIRE rules", () => {
    for (const rule of BUF_RULES) {
      expect(rule.id).toMatch(/^[A-Z0-9_]+$/);
      expect(rule.categories.length).toBeGreaterThan(0);
      expect(rule.breaks.length).toBeGreaterThan(10);
      expect(rule.fix.length).toBeGreaterThan(10);
    }
    const byId = new Map(BUF_RULES.map((rule) => [rule.id, rule]));
    expect(impactOf(byId.get('FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED')!)).toBe(
      'wire',
    );
    expect(impactOf(byId.get('FIELD_SAME_JSON_NAME')!)).toBe('json');
    expect(impactOf(byId.get('FILE_SAME_GO_PACKAGE')!)).toBe('code');
    expect(bufSeverity(byId.get('FILE_SAME_GO_PACKAGE')!)).toBe('medium');
    expect(bufSeverity(byId.get('FILE_SAME_PACKAGE')!)).toBe('high');
  });

  it('has an up-to-date page for every rule and no page for rules that are gone', () => {
    for (const rule of rules) {
      const path = join(repoRoot, rulePagePath(rule.id));
      expect(
        existsSync(path),
        `${path} is missing: run node src/analyzers/protobuf/rule-pages.ts`,
      ).toBe(true);
      expect(
        readFileSync(path, 'utf8'),
        `${path} is stale: run node src/analyzers/protobuf/rule-pages.ts`,
      ).toBe(renderProtobufRulePage(rule.id));
    }
    const known = new Set(
      rules.map((rule) => `${rule.id.split('/').at(-1)}.md`),
    );
    expect(
      readdirSync(join(repoRoot, PROTOBUF_PAGES_DIR)).filter(
        (name) => name.startsWith(PROTOBUF_PAGE_PREFIX) && !known.has(name),
      ),
    ).toEqual([]);
  });
});
