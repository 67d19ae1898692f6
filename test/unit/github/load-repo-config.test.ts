import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/config/schema.ts';
import {
  loadRepoConfig,
  mergeAll,
} from '../../../src/github/repository/load-repo-config.ts';
import { API, strictNock, testOctokit } from './helpers.ts';

strictNock();

const REPO_FILE = '/repos/acme/api/contents/.github%2Farchitect.yml';
const ORG_FILE = '/repos/acme/.github/contents/.github%2Farchitect.yml';
const yaml = (text: string) =>
  [
    200,
    text,
    { 'content-type': 'application/vnd.github.raw; charset=utf-8' },
  ] as const;

describe('loadRepoConfig', () => {
  it('uses defaults without problems when neither the repository nor the owner has a config', async () => {
    nock(API)
      .get(REPO_FILE)
      .reply(404, { message: 'Not Found' })
      .get(ORG_FILE)
      .reply(404, { message: 'Not Found' });
    const loaded = await loadRepoConfig(testOctokit(), {
      owner: 'acme',
      repo: 'api',
    });
    expect(loaded).toEqual({ config: DEFAULT_CONFIG, problems: [] });
  });

  it('reads the repository file', async () => {
    nock(API)
      .get(REPO_FILE)
      .reply(...yaml('gate:\n  severity: critical\nreview_drafts: true\n'));
    const { config, problems } = await loadRepoConfig(testOctokit(), {
      owner: 'acme',
      repo: 'api',
    });
    expect(problems).toEqual([]);
    expect(config.gate.severity).toBe('critical');
    expect(config.review_drafts).toBe(true);
  });

  it('falls back to the owner`s .github repository and follows _extends, the repository winning', async () => {
    nock(API)
      .get(REPO_FILE)
      .reply(404, { message: 'Not Found' })
      .get(ORG_FILE)
      .reply(
        ...yaml(
          '_extends: platform-config\npaths:\n  include: ["services/**"]\n',
        ),
      )
      .get('/repos/acme/platform-config/contents/.github%2Farchitect.yml')
      .reply(
        ...yaml('gate:\n  severity: medium\npaths:\n  include: ["libs/**"]\n'),
      );
    const { config, problems } = await loadRepoConfig(testOctokit(), {
      owner: 'acme',
      repo: 'api',
    });
    expect(problems).toEqual([]);
    expect(config.gate.severity).toBe('medium');
    expect(config.paths.include).toEqual(['libs/**', 'services/**']);
  });

  it('reports schema problems and uses the defaults', async () => {
    nock(API)
      .get(REPO_FILE)
      .reply(...yaml('gate:\n  severity: blocker\nunknown_key: 1\n'));
    const { config, problems } = await loadRepoConfig(testOctokit(), {
      owner: 'acme',
      repo: 'api',
    });
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['gate.severity']),
    );
    expect(problems[0]!.source).toBe('acme/api:.github/architect.yml');
  });

  it('reports a YAML syntax error as a problem instead of failing', async () => {
    nock(API)
      .get(REPO_FILE)
      .reply(...yaml('gate: [unclosed\n'));
    const { config, problems } = await loadRepoConfig(testOctokit(), {
      owner: 'acme',
      repo: 'api',
    });
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/invalid YAML/);
  });

  it('reports a read failure as a problem and uses the defaults', async () => {
    nock(API).get(REPO_FILE).reply(500, { message: 'Server Error' });
    const { config, problems } = await loadRepoConfig(testOctokit(), {
      owner: 'acme',
      repo: 'api',
    });
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(problems[0]!.message).toMatch(/could not be loaded/);
  });
});

describe('mergeAll', () => {
  it('merges objects deeply, concatenates arrays and lets later scalars win', () => {
    expect(
      mergeAll([
        { a: { b: 1, c: [1] }, d: 'x' },
        { a: { c: [2], e: true }, d: 'y' },
      ]),
    ).toEqual({ a: { b: 1, c: [1, 2], e: true }, d: 'y' });
  });
});
