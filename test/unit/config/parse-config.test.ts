import { describe, expect, it } from 'vitest';
import {
  configJsonSchema,
  parseConfig,
} from '../../../src/config/parse-config.ts';
import { DEFAULT_CONFIG, DEFAULT_MODEL } from '../../../src/config/schema.ts';
import { scopeMatcher } from '../../../src/core/scope.ts';

describe('parseConfig', () => {
  it('uses defaults when there is no file', () => {
    expect(parseConfig(null, '.github/architect.yml')).toEqual({
      config: DEFAULT_CONFIG,
      problems: [],
    });
    expect(DEFAULT_CONFIG.gate.severity).toBe('high');
    expect(DEFAULT_CONFIG.model.name).toBe(DEFAULT_MODEL);
  });

  it('fills defaults around partial settings', () => {
    const { config, problems } = parseConfig(
      {
        gate: { severity: 'medium' },
        lenses: { performance: false },
        instructions: 'We use RFC 9457.',
      },
      'x',
    );
    expect(problems).toEqual([]);
    expect(config.gate.severity).toBe('medium');
    expect(config.lenses.performance).toBe(false);
    expect(config.lenses.security).toBe(true);
    expect(config.model.concurrency).toBe(4);
    expect(config.instructions).toBe('We use RFC 9457.');
  });

  it('reports every problem with its path and falls back to defaults', () => {
    const { config, problems } = parseConfig(
      { gate: { severity: 'urgent' }, model: { concurrency: 0 }, lense: {} },
      '.github/architect.yml',
    );
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(problems.map((p) => p.path).sort()).toEqual([
      '',
      'gate.severity',
      'model.concurrency',
    ]);
    expect(problems.every((p) => p.source === '.github/architect.yml')).toBe(
      true,
    );
    expect(problems.find((p) => p.path === '')!.message).toContain('lense');
  });

  it('has a merge-gate policy and a spending policy, defaulting to fail on blockers, pass incomplete reviews, and AI for trusted authors only', () => {
    expect(DEFAULT_CONFIG.gate).toEqual({
      severity: 'high',
      blocking_conclusion: 'failure',
      incomplete_conclusion: 'neutral',
    });
    expect(DEFAULT_CONFIG.model.run_for).toBe('trusted');
    const { config, problems } = parseConfig(
      {
        gate: {
          blocking_conclusion: 'action_required',
          incomplete_conclusion: 'failure',
        },
        model: { run_for: 'everyone' },
      },
      'x',
    );
    expect(problems).toEqual([]);
    expect(config.gate).toMatchObject({
      blocking_conclusion: 'action_required',
      incomplete_conclusion: 'failure',
    });
    expect(config.model.run_for).toBe('everyone');
    const bad = parseConfig(
      {
        gate: { incomplete_conclusion: 'success' },
        model: { run_for: 'nobody' },
      },
      'x',
    );
    expect(bad.problems.map((p) => p.path).sort()).toEqual([
      'gate.incomplete_conclusion',
      'model.run_for',
    ]);
  });

  it('rejects a config that is not an object', () => {
    expect(parseConfig('just text', 'x').problems).toHaveLength(1);
  });

  it('accepts _extends, which Probot resolves before we see the file', () => {
    expect(parseConfig({ _extends: 'acme/.github' }, 'x').problems).toEqual([]);
  });

  it('publishes a JSON Schema that describes the keys', () => {
    const schema = configJsonSchema() as {
      properties: Record<string, unknown>;
      additionalProperties?: boolean;
    };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        'paths',
        'gate',
        'lenses',
        'model',
        'limits',
        'instructions',
      ]),
    );
    expect(schema.additionalProperties).toBe(false);
  });
});

describe('scopeMatcher', () => {
  const inScope = scopeMatcher(DEFAULT_CONFIG.paths);

  it.each([
    'src/server/orders.ts',
    'app/models/user.rb',
    'services/billing/main.go',
    'db/migrations/0001_init.sql',
    'prisma/schema.prisma',
    'api/openapi.yaml',
    'proto/orders.proto',
    'backend/app/api/routes.py',
  ])('reviews %s', (path) => expect(inScope(path)).toBe(true));

  it.each([
    'package-lock.json',
    'services/billing/go.sum',
    'README.md',
    'docs/guide/setup.ts',
    'web/src/App.tsx',
    'frontend/src/api.ts',
    'vendor/github.com/x/y.go',
    'gen/orders.pb.go',
    'styles/site.css',
    'dist/server.js',
  ])('skips %s', (path) => expect(inScope(path)).toBe(false));

  it('lets teams add includes and excludes, and turn defaults off', () => {
    const custom = scopeMatcher({
      use_defaults: true,
      include: ['infra/**/*.tf'],
      exclude: ['src/legacy/**'],
    });
    expect(custom('infra/db/main.tf')).toBe(true);
    expect(custom('src/legacy/old.ts')).toBe(false);
    const only = scopeMatcher({
      use_defaults: false,
      include: ['svc/**'],
      exclude: [],
    });
    expect(only('svc/a.md')).toBe(true);
    expect(only('src/a.ts')).toBe(false);
  });
});
