import { describe, expect, it } from 'vitest';
import { createSecretsAnalyzer } from '../../../../src/analyzers/secrets/index.ts';
import { DEFAULT_CONFIG, ConfigSchema } from '../../../../src/config/schema.ts';
import {
  added,
  analyzerInput,
  changed,
  type FixtureFile,
} from '../security/build-input.ts';

// Fake credentials in the shapes secretlint recognises (from secretlint's own test inputs).
const GITHUB_TOKEN = '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';
const SLACK_TOKEN = 'xoxb-23984754863-2348975623000-AAAAANzjawSSE9krECohd';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETSKEY';
const PRIVATE_KEY = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi6kVHYDpCnOLAVJW6KbsNPSTNq',
  'dGtMKOu0Vv+RgY4iGGaSPPHo1EPZVsz2FcjoDzT6RFTQRpfUVbw/C0cgEb6GA4kx',
  '6zdQeVOWDSFpvTFo4W0AxHLVIv1hsHwmb7v5tFxMu21VDGUnfqMW4qpRvhDSgX4w',
  '-----END RSA PRIVATE KEY-----',
].join('\n');

async function scan(files: FixtureFile[], config = DEFAULT_CONFIG) {
  return createSecretsAnalyzer().analyze(analyzerInput(files, { config }));
}

describe('secrets analyzer', () => {
  it('reports a token on an added line as critical, with the value masked everywhere [+security/hardcoded-secret]', async () => {
    const file = changed(
      'src/config.ts',
      `
 export const config = {
+  githubToken: '${GITHUB_TOKEN}',
   region: 'eu-west-1',
 };
`,
    );
    const output = await scan([file]);
    expect(output.notes).toEqual([]);
    expect(output.findings).toHaveLength(1);
    const [finding] = output.findings;
    expect(finding).toMatchObject({
      ruleId: 'security/hardcoded-secret',
      lens: 'security',
      source: 'analyzer',
      severity: 'critical',
      path: 'src/config.ts',
      lines: { start: 2, end: 2, side: 'RIGHT' },
      title: 'GitHub token committed to the repository',
    });
    expect(finding!.body).toContain('`github` (GITHUB_TOKEN)');
    expect(finding!.body).toContain('`ghp_…`, 40 characters');
    const visible = `${finding!.title}\n${finding!.body}\n${finding!.fix}`;
    expect(visible).not.toContain(GITHUB_TOKEN.slice(4, 12));
    expect(visible).not.toContain(GITHUB_TOKEN);
  });

  it('ignores credentials on unchanged lines', async () => {
    const file = changed(
      'src/config.ts',
      `
 export const token = '${GITHUB_TOKEN}';
+export const region = 'eu-west-1';
`,
    );
    expect((await scan([file])).findings).toEqual([]);
  });

  it('scans changed files outside the review scope through their diff, without reading them', async () => {
    const readme = changed(
      'docs/setup.md',
      `
 # Setup
+Post alerts with \`${SLACK_TOKEN}\`.
`,
      { inScope: false },
    );
    const env = added(
      '.env',
      `AWS_SECRET_ACCESS_KEY=${AWS_SECRET}\nPORT=8080\n`,
      { inScope: false },
    );
    const reads: string[] = [];
    const output = await createSecretsAnalyzer().analyze(
      analyzerInput([readme, env], { reads }),
    );
    // Only the team's secretlint files at the base are read, never the out-of-scope files themselves.
    expect(reads).toEqual([
      '.secretlintignore',
      '.secretlintrc',
      '.secretlintrc.json',
      '.secretlintrc.yaml',
      '.secretlintrc.yml',
      '.secretlintrc.js',
      '.secretlintrc.cjs',
      '.secretlintrc.mjs',
    ]);
    expect(
      output.findings.map((f) => [f.path, f.lines?.start, f.title]),
    ).toEqual([
      ['.env', 1, 'AWS secret access key committed to the repository'],
      [
        'docs/setup.md',
        2,
        'Slack token or webhook URL committed to the repository',
      ],
    ]);
  });

  it('reports a private key block once, over its added lines', async () => {
    const file = added('deploy/key.pem', PRIVATE_KEY, { inScope: false });
    const [finding, ...rest] = (await scan([file])).findings;
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      title: 'Private key committed to the repository',
      lines: { start: 1, end: 5, side: 'RIGHT' },
    });
    expect(finding!.body).toContain('a 5-line block');
    expect(finding!.body).not.toContain('MIIE');
  });

  it('merges rules that match the same value into one finding', async () => {
    const file = added(
      'package.json',
      `{
  "name": "app",
  "dependencies": {
    "lib": "git+https://${GITHUB_TOKEN}:x-oauth-basic@github.com/acme/lib.git"
  }
}`,
    );
    const output = await scan([file]);
    expect(output.findings).toHaveLength(1);
    expect(output.findings[0]!.lines).toEqual({
      start: 4,
      end: 4,
      side: 'RIGHT',
    });
    expect(output.findings[0]!.body).toMatch(
      /secretlint rules `.+` \(.+\), `.+` \(.+\) report/,
    );
  });

  it('honours secretlint-disable comments and the paths.exclude globs', async () => {
    const disabled = added(
      'src/fixture.ts',
      `export const fake = '${GITHUB_TOKEN}'; // secretlint-disable-line\nexport const x = 1;\n`,
    );
    const excluded = added('fixtures/creds/github.txt', `${GITHUB_TOKEN}\n`, {
      inScope: false,
    });
    const config = ConfigSchema.parse({
      paths: { exclude: ['fixtures/creds/**'] },
    });
    expect((await scan([disabled, excluded], config)).findings).toEqual([]);
    expect((await scan([excluded])).findings).toHaveLength(1);
  });

  it('scans a new file with no patch in full, and skips removed or merely renamed files and other lenses', async () => {
    const big = changed('config/prod.yml', `+token: ${SLACK_TOKEN}\n`, {
      withPatch: false,
    });
    const removed = {
      ...added('old.env', `TOKEN=${SLACK_TOKEN}\n`),
      file: {
        path: 'old.env',
        status: 'removed' as const,
        additions: 0,
        deletions: 1,
      },
    };
    const renamed = {
      ...added('config/renamed.yml', `token: ${SLACK_TOKEN}\n`),
      file: {
        path: 'config/renamed.yml',
        previousPath: 'config/old.yml',
        status: 'renamed' as const,
        additions: 0,
        deletions: 0,
        patch: '',
      },
    };
    const output = await scan([big, removed, renamed]);
    expect(output.findings.map((f) => [f.path, f.lines?.start])).toEqual([
      ['config/prod.yml', 1],
    ]);
    const off = await createSecretsAnalyzer().analyze(
      analyzerInput([big], { lenses: ['schema'] }),
    );
    expect(off).toEqual({ findings: [], notes: [] });
  });

  it('turns a failure on one file into a coverage note and still scans the others', async () => {
    const failing = added('src/a.ts', `export const a = '${GITHUB_TOKEN}';\n`);
    const fine = added('src/b.ts', `export const b = '${GITHUB_TOKEN}';\n`);
    const input = analyzerInput([failing, fine]);
    const read = input.changeSet.contents.read.bind(input.changeSet.contents);
    input.changeSet.contents.read = async (revision, path) => {
      if (path === 'src/a.ts') throw new Error('GitHub returned 502');
      return read(revision, path);
    };
    const output = await createSecretsAnalyzer().analyze(input);
    expect(output.notes).toEqual([
      {
        source: 'secrets',
        path: 'src/a.ts',
        message: 'could not analyse: GitHub returned 502',
      },
    ]);
    expect(output.findings.map((f) => f.path)).toEqual(['src/b.ts']);
  });
});

describe("secrets analyzer: the team's .secretlintignore", () => {
  it('skips paths the team ignores, read at the base, and says so [-security/hardcoded-secret]', async () => {
    const fixtures = [
      changed(
        'test/fixtures-keys/fake.ts',
        `\n+export const token = '${GITHUB_TOKEN}';\n`,
      ),
      changed('src/config.ts', `\n+export const token = '${GITHUB_TOKEN}';\n`),
    ];
    const input = analyzerInput(fixtures);
    const reader = input.changeSet.contents;
    input.changeSet.contents = {
      read: async (revision, path) =>
        revision === 'base' && path === '.secretlintignore'
          ? '# fake keys\ntest/fixtures-keys/\n!keep.ts\n'
          : reader.read(revision, path),
    };
    const output = await createSecretsAnalyzer().analyze(input);
    expect(output.findings.map((f) => f.path)).toEqual(['src/config.ts']);
    expect(output.notes.map((n) => n.message)).toEqual([
      "applied the team's .secretlintignore from the base branch (1 pattern); 1 negated pattern was not applied",
    ]);
  });
});

describe("secrets analyzer: the team's .secretlintrc", () => {
  const withBase = (files: Record<string, string>) => {
    const input = analyzerInput([
      changed('src/config.ts', `\n+export const token = '${GITHUB_TOKEN}';\n`),
      changed('src/alerts.ts', `\n+export const slack = '${SLACK_TOKEN}';\n`),
    ]);
    const reader = input.changeSet.contents;
    input.changeSet.contents = {
      read: async (revision, path) =>
        revision === 'base' && path in files
          ? files[path]
          : reader.read(revision, path),
    };
    return createSecretsAnalyzer().analyze(input);
  };

  it('applies rules turned off, allowed values and allowed message ids, read at the base, and says so [-security/hardcoded-secret]', async () => {
    const off = await withBase({
      '.secretlintrc.json': JSON.stringify({
        rules: [
          {
            id: '@secretlint/secretlint-rule-preset-recommend',
            rules: [
              { id: '@secretlint/secretlint-rule-github', disabled: true },
            ],
          },
          { id: '@secretlint/secretlint-rule-no-k8s-kind-secret' },
        ],
      }),
    });
    expect(off.findings.map((f) => f.path)).toEqual(['src/alerts.ts']);
    expect(off.notes.map((n) => n.message)).toEqual([
      "applied the team's .secretlintrc.json from the base branch (1 rule setting; turned off: github; not bundled with the review, so not run: @secretlint/secretlint-rule-no-k8s-kind-secret)",
    ]);

    const allowed = await withBase({
      '.secretlintrc.yml': [
        'rules:',
        '  - id: "@secretlint/secretlint-rule-preset-recommend"',
        '    rules:',
        '      - id: "@secretlint/secretlint-rule-slack"',
        `        options: { allows: ["${SLACK_TOKEN}"] }`,
        '      - id: github',
        '        allowMessageIds: [GITHUB_TOKEN]',
        '',
      ].join('\n'),
    });
    expect(allowed.findings).toEqual([]);
  });

  it('never runs a JavaScript config, and says a broken one was not applied [+security/hardcoded-secret]', async () => {
    const js = await withBase({
      '.secretlintrc.js': 'module.exports = { rules: [] };\n',
    });
    expect(js.findings.map((f) => f.path).sort()).toEqual([
      'src/alerts.ts',
      'src/config.ts',
    ]);
    expect(js.notes.map((n) => n.message)).toEqual([
      ".secretlintrc.js is JavaScript, which the review does not run; secretlint's defaults were used",
    ]);
    const broken = await withBase({ '.secretlintrc.json': '{"rules": 3}' });
    expect(broken.findings).toHaveLength(2);
    expect(broken.notes[0]!.message).toMatch(
      /^\.secretlintrc\.json could not be read as a secretlint config, so secretlint's defaults were used/,
    );
  });
});
