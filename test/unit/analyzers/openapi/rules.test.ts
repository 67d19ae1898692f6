import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rulePagePath } from '../../../../src/core/rules.ts';
import { rules } from '../../../../src/analyzers/openapi/index.ts';
import {
  allRuleLevels,
  levelOf,
} from '../../../../src/analyzers/openapi/rules/catalog.ts';
import { renderRulePage } from '../../../../src/analyzers/openapi/rules/pages.ts';
import {
  reportedSeverity,
  ruleText,
} from '../../../../src/analyzers/openapi/rules/texts.ts';

const repoRoot = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  '..',
);

describe('openapi rules', () => {
  it('maps oasdiff levels to severities: error → high, warning → medium, info → not reported', () => {
    expect(reportedSeverity('api-path-removed-without-deprecation')).toBe(
      'high',
    );
    expect(reportedSeverity('request-property-removed')).toBe('medium');
    expect(reportedSeverity('endpoint-added')).toBeUndefined();
    expect(reportedSeverity('api-security-removed')).toBe('medium');
    expect(() => levelOf('no-such-rule')).toThrow(/unknown/);
  });

  it('describes every rule that can produce a finding, with at least 40 error-level ones', () => {
    const errors = rules.filter(
      (rule) =>
        allRuleLevels().get(rule.id.replace('api-contract/', '')) === 'error',
    );
    expect(errors.length).toBeGreaterThanOrEqual(40);
    for (const rule of rules) {
      expect(rule.id).toMatch(/^api-contract\/[a-z0-9-]+$/);
      expect(rule.lens).toBe('api-contract');
      expect(['high', 'medium']).toContain(rule.severity);
      expect(rule.title.length).toBeGreaterThan(10);
      const text = ruleText(rule.id.replace('api-contract/', ''))!;
      const facts = {
        property: 'a/b',
        parameter: 'p',
        location: 'query',
        status: '200',
        mediaType: 'application/json',
        from: '1',
        to: '2',
        value: 'v',
        header: 'H',
      };
      for (const part of [
        text.title(facts),
        text.body(facts),
        text.fix(facts),
      ]) {
        expect(part).not.toMatch(/undefined|\[object/);
        expect(part.length).toBeGreaterThan(10);
      }
    }
  });

  it('has an up-to-date page for every rule and no page for rules that are gone', () => {
    for (const rule of rules) {
      const path = join(repoRoot, rulePagePath(rule.id));
      expect(
        existsSync(path),
        `${path} is missing: run npm run rule-pages`,
      ).toBe(true);
      expect(
        readFileSync(path, 'utf8'),
        `${path} is stale: run npm run rule-pages`,
      ).toBe(renderRulePage(rule.id.replace('api-contract/', '')));
    }
    const known = new Set(
      rules.map((rule) => `${rule.id.replace('api-contract/', '')}.md`),
    );
    const pages = readdirSync(
      join(repoRoot, 'docs', 'rules', 'api-contract'),
    ).filter((name) => !/^(route|protobuf|graphql)-/.test(name));
    expect(pages.filter((name) => !known.has(name))).toEqual([]);
  });
});
