import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  allRules,
  defaultAnalyzers,
  ruleById,
} from '../../../src/analyzers/index.ts';
import { rules as migrationRules } from '../../../src/analyzers/migrations/index.ts';
import { rules as graphqlRules } from '../../../src/analyzers/graphql/index.ts';
import { rules as openApiRules } from '../../../src/analyzers/openapi/index.ts';
import { rules as protobufRules } from '../../../src/analyzers/protobuf/index.ts';
import { LENSES } from '../../../src/core/finding.ts';
import { rulePagePath } from '../../../src/core/rules.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Tests declare the rules they cover at the end of their title: `[+<rule id>]` for a test in which
 * the rule must report, `[-<rule id>]` for one in which it must stay quiet (`vitest -t <rule id>`
 * runs them). Every rule declared next to its check needs at least one of each.
 */
const TAGS = /\[((?:[+-][a-z0-9-]+\/[a-z0-9-]+\s*)+)\]['"`]/g;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

interface Declared {
  positive: Set<string>;
  negative: Set<string>;
}

function declaredTests(): Map<string, Declared> {
  const byRule = new Map<string, Declared>();
  for (const file of testFiles(join(root, 'test'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(TAGS)) {
      for (const tag of match[1]!.trim().split(/\s+/)) {
        const id = tag.slice(1);
        const entry = byRule.get(id) ?? {
          positive: new Set(),
          negative: new Set(),
        };
        (tag.startsWith('+') ? entry.positive : entry.negative).add(
          file.slice(root.length),
        );
        byRule.set(id, entry);
      }
    }
  }
  return byRule;
}

describe('analyzer registry', () => {
  it('registers every analyzer once, covering every lens', () => {
    const analyzers = defaultAnalyzers();
    const names = analyzers.map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(analyzers.flatMap((a) => a.lenses))).toEqual(
      new Set(LENSES),
    );
  });

  it('has unique rule ids of the form <lens>/<rule>, each with a page, found by ruleById', () => {
    const rules = allRules();
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of rules) {
      expect(rule.id, rule.id).toMatch(
        new RegExp(`^${rule.lens}/[a-z0-9]+(?:-[a-z0-9]+)*$`),
      );
      expect(rule.docs).toBe(rulePagePath(rule.id));
      expect(existsSync(join(root, rule.docs)), rule.docs).toBe(true);
      const targets =
        'languages' in rule.appliesTo
          ? rule.appliesTo.languages
          : rule.appliesTo.fileKinds;
      expect(targets.length, rule.id).toBeGreaterThan(0);
      expect(ruleById(rule.id)).toBe(rule);
    }
    expect(ruleById('failure-mode/model')).toBeUndefined();
    expect(
      rules.filter((rule) => !rule.enabledByDefault).map((rule) => rule.id),
    ).toEqual(['schema/require-table-schema']);
  });

  it('has a test in which each rule reports and one in which it stays quiet', () => {
    const declared = declaredTests();
    const known = new Set(allRules().map((rule) => rule.id));
    expect(
      [...declared.keys()].filter((id) => !known.has(id)),
      'tags naming no rule',
    ).toEqual([]);
    // The catalogs (oasdiff's, squawk's, buf's and graphql-inspector's rules) are measured rule by rule
    // against the reference corpora by `npm run bench:rules`; a catalog rule with tags is checked too.
    const catalog = new Set(
      [
        ...openApiRules,
        ...migrationRules,
        ...protobufRules,
        ...graphqlRules,
      ].map((rule) => rule.id),
    );
    const missing: string[] = [];
    for (const rule of allRules()) {
      const tests = declared.get(rule.id);
      if (catalog.has(rule.id) && !tests) continue;
      if (!tests || tests.positive.size === 0)
        missing.push(`${rule.id}: no [+${rule.id}] test`);
      if (!tests || tests.negative.size === 0)
        missing.push(`${rule.id}: no [-${rule.id}] test`);
      // A test that says a rule reports lives in a file that names the rule.
      for (const file of tests?.positive ?? []) {
        const name = rule.id.slice(rule.id.indexOf('/') + 1);
        if (
          !readFileSync(join(root, file), 'utf8')
            .replace(/\[[^\]]*\]['"`]/g, '')
            .includes(name)
        )
          missing.push(`${rule.id}: ${file} never names ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
