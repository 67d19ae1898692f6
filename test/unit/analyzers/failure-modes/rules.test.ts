import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rules as failureModeRules } from '../../../../src/analyzers/failure-modes/index.ts';
import { rules as performanceRules } from '../../../../src/analyzers/performance/index.ts';
import { rules as routeRules } from '../../../../src/analyzers/routes/index.ts';
import { rulePagePath } from '../../../../src/core/rules.ts';

const all = [...failureModeRules, ...performanceRules, ...routeRules];

describe('rule descriptors of the failure-mode, performance and route analyzers', () => {
  it('have unique `<lens>/<rule>` ids', () => {
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    for (const rule of all)
      expect(rule.id).toMatch(new RegExp(`^${rule.lens}/[a-z0-9-]+$`));
  });

  it('each have a documentation page with the sections every rule page has', () => {
    for (const rule of all) {
      const page = rulePagePath(rule.id);
      expect(existsSync(page), page).toBe(true);
      const text = readFileSync(page, 'utf8');
      expect(text.startsWith(`# ${rule.id}\n`), page).toBe(true);
      for (const section of [
        '## What it detects',
        '## Why it matters',
        '## Example',
        '## Fix',
      ])
        expect(text, `${page}: ${section}`).toContain(section);
    }
  });
});
