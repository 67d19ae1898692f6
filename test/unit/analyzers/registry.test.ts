import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allRules, defaultAnalyzers } from '../../../src/analyzers/index.ts';
import { LENSES } from '../../../src/core/finding.ts';
import { rulePagePath } from '../../../src/core/rules.ts';

describe('analyzer registry', () => {
  it('registers every analyzer once, covering every lens', () => {
    const analyzers = defaultAnalyzers();
    const names = analyzers.map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(analyzers.flatMap((a) => a.lenses))).toEqual(new Set(LENSES));
  });

  it('has unique rule ids of the form <lens>/<rule>, each with a page', () => {
    const rules = allRules();
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of rules) {
      expect(rule.id.startsWith(`${rule.lens}/`), rule.id).toBe(true);
      expect(existsSync(new URL(`../../../${rulePagePath(rule.id)}`, import.meta.url)), rulePagePath(rule.id)).toBe(true);
    }
  });
});
