import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/parse-config.ts';
import { ConfigSchema } from '../../../src/config/schema.ts';
import { configProvenance } from '../../../src/github/commands/config-provenance.ts';
import { mergeAll } from '../../../src/github/repository/load-repo-config.ts';
import { configTable } from '../../../src/report/command-replies.ts';

const target = { owner: 'acme', repo: 'api' };
const org = {
  owner: 'acme',
  repo: '.github',
  path: '.github/architect.yml',
  config: { gate: { severity: 'medium' }, paths: { include: ['services/**'] } },
};
const repo = {
  owner: 'acme',
  repo: 'api',
  path: '.github/architect.yml',
  config: {
    gate: { severity: 'critical' },
    paths: { include: ['api/**'] },
    model: { run_for: 'everyone' },
  },
};

describe('configProvenance', () => {
  it('names where each effective value came from: default, organisation, repository', () => {
    const sources = [org, repo];
    const { config } = parseConfig(mergeAll(sources.map((s) => s.config)), 'x');
    const entries = new Map(
      configProvenance(config, sources, target).map((e) => [e.key, e]),
    );
    expect(entries.get('gate.severity')).toEqual({
      key: 'gate.severity',
      value: 'critical',
      origin: 'repository file (.github/architect.yml)',
    });
    expect(entries.get('model.run_for')?.origin).toBe(
      'repository file (.github/architect.yml)',
    );
    expect(entries.get('gate.incomplete_conclusion')).toEqual({
      key: 'gate.incomplete_conclusion',
      value: 'neutral',
      origin: 'default',
    });
    // Arrays add up across files, so every contributing file is named.
    expect(entries.get('paths.include')).toEqual({
      key: 'paths.include',
      value: ['services/**', 'api/**'],
      origin:
        'organisation .github repository (.github/architect.yml) + repository file (.github/architect.yml)',
    });
  });

  it('names a file reached through _extends', () => {
    const shared = {
      owner: 'platform',
      repo: 'config',
      path: 'architect.yml',
      config: { lenses: { performance: false } },
    };
    const { config } = parseConfig(shared.config, 'x');
    const entry = configProvenance(config, [shared], target).find(
      (e) => e.key === 'lenses.performance',
    );
    expect(entry).toEqual({
      key: 'lenses.performance',
      value: false,
      origin: 'extended from platform/config (architect.yml)',
    });
  });

  it('renders a table whose cells cannot break out of it', () => {
    const table = configTable(
      [
        {
          key: 'instructions',
          value: 'use | pipes and `ticks`',
          origin: 'repository file (a|b)',
        },
      ],
      [],
    );
    const row = table.split('\n').at(-1)!;
    // Three cells: every pipe inside a cell is escaped.
    expect(row.replace(/\\\|/g, '').split('|').length - 2).toBe(3);
    expect(row).toContain('use \\| pipes');
  });
});

describe('configProvenance: rule settings', () => {
  it('shows each configured rule with its default, and each override with its paths', () => {
    const raw = {
      rules: { 'schema/ban-drop-column': 'off' },
      overrides: [
        { paths: ['legacy/**'], rules: { 'security/sql-injection': 'medium' } },
      ],
    };
    const config = ConfigSchema.parse(raw);
    const entries = configProvenance(
      config,
      [{ owner: 'o', repo: 'r', path: '.github/architect.yml', config: raw }],
      { owner: 'o', repo: 'r' },
    );
    expect(entries.filter((e) => e.key.includes('rules'))).toEqual([
      {
        key: 'rules.schema/ban-drop-column',
        value: 'off (default: high)',
        origin: 'repository file (.github/architect.yml)',
      },
      {
        key: 'overrides[0].rules.security/sql-injection',
        value: 'medium for legacy/** (default: high)',
        origin: 'repository file (.github/architect.yml)',
      },
    ]);
  });
});
