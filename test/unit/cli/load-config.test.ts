import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyOverrides, loadConfig } from '../../../src/cli/load-config.ts';
import { UsageError } from '../../../src/cli/parse-args.ts';
import { DEFAULT_CONFIG } from '../../../src/config/schema.ts';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'architect-config-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function writeRepoConfig(text: string): Promise<void> {
  await mkdir(join(root, '.github'), { recursive: true });
  await writeFile(join(root, '.github', 'architect.yml'), text);
}

describe('loadConfig', () => {
  it('uses the defaults when the repository has no config file', async () => {
    expect(await loadConfig({ root })).toEqual({
      config: DEFAULT_CONFIG,
      problems: [],
      notes: [],
    });
  });

  it('reads .github/architect.yml from the working tree', async () => {
    await writeRepoConfig(
      'gate:\n  severity: medium\nlenses:\n  performance: false\n',
    );
    const loaded = await loadConfig({ root });
    expect(loaded.problems).toEqual([]);
    expect(loaded.source).toBe('.github/architect.yml');
    expect(loaded.config.gate.severity).toBe('medium');
    expect(loaded.config.lenses.performance).toBe(false);
    expect(loaded.config.lenses.security).toBe(true);
  });

  it('reports invalid settings and falls back to the defaults', async () => {
    await writeRepoConfig('gate:\n  severity: blocker\nunknown_key: 1\n');
    const loaded = await loadConfig({ root });
    expect(loaded.config).toEqual(DEFAULT_CONFIG);
    expect(loaded.problems.map((p) => p.path).sort()).toEqual([
      '',
      'gate.severity',
    ]);
    expect(
      loaded.problems.every((p) => p.source === '.github/architect.yml'),
    ).toBe(true);
  });

  it('reports a YAML syntax error as a problem', async () => {
    await writeRepoConfig('gate: [unclosed\n');
    const loaded = await loadConfig({ root });
    expect(loaded.config).toEqual(DEFAULT_CONFIG);
    expect(loaded.problems).toHaveLength(1);
    expect(loaded.problems[0]!.message).toMatch(/^not valid YAML: /);
  });

  it('treats an empty file as defaults', async () => {
    await writeRepoConfig('# nothing yet\n');
    expect(await loadConfig({ root })).toMatchObject({
      config: DEFAULT_CONFIG,
      problems: [],
    });
  });

  it('prefers an explicit --config file over the repository file', async () => {
    await writeRepoConfig('gate:\n  severity: low\n');
    const explicit = join(root, 'ci.yml');
    await writeFile(
      explicit,
      'gate:\n  severity: critical\n_extends: acme/.github\n',
    );
    const loaded = await loadConfig({ root, file: explicit });
    expect(loaded.config.gate.severity).toBe('critical');
    expect(loaded.source).toBe(explicit);
    expect(loaded.notes).toEqual([
      `${explicit}: _extends (acme/.github) is not followed locally; only this file's settings apply`,
    ]);
  });

  it('fails with a usage error when the explicit file is missing', async () => {
    const missing = join(root, 'nope.yml');
    await expect(loadConfig({ root, file: missing })).rejects.toThrow(
      UsageError,
    );
    await expect(loadConfig({ root, file: missing })).rejects.toThrow(
      `cannot read config file ${missing}: no such file`,
    );
  });
});

describe('applyOverrides', () => {
  it('lets --fail-on replace gate.severity and --no-model turn the model off', () => {
    const config = applyOverrides(DEFAULT_CONFIG, {
      failOn: 'critical',
      model: false,
    });
    expect(config.gate.severity).toBe('critical');
    expect(config.model.enabled).toBe(false);
    expect(DEFAULT_CONFIG.gate.severity).toBe('high');
  });

  it('keeps the file settings without flags and never turns a disabled model on', () => {
    const disabled = {
      ...DEFAULT_CONFIG,
      model: { ...DEFAULT_CONFIG.model, enabled: false },
    };
    expect(applyOverrides(disabled, { model: true })).toEqual(disabled);
  });
});
