import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewOptions } from '../../../src/cli/parse-args.ts';
import {
  runReview,
  type ReviewerFactoryOptions,
} from '../../../src/cli/run-review.ts';
import type { DraftFinding, Severity } from '../../../src/core/finding.ts';
import type {
  Analyzer,
  AnalyzerInput,
  ModelReviewer,
  ModelReviewRequest,
  SecretRedactor,
} from '../../../src/core/ports.ts';
import { emptyUsage } from '../../../src/core/usage.ts';
import { captureIo } from './cli-io.ts';
import { tempRepo, type TempRepo } from './git-fixture.ts';

let repo: TempRepo;

beforeAll(async () => {
  repo = await tempRepo();
  await repo.write(
    'src/orders.ts',
    'export function total(a: number) {\n  return a;\n}\n',
  );
  await repo.commitAll('base');
  await repo.git('checkout', '--quiet', '-b', 'feature');
  await repo.write(
    'src/orders.ts',
    'export function total(a: number) {\n  const key = "SECRET-123";\n  return a;\n}\n',
  );
  await repo.commitAll('add key');
});

afterAll(async () => {
  await repo.remove();
});

function options(overrides: Partial<ReviewOptions> = {}): ReviewOptions {
  return {
    repo: repo.dir,
    base: 'main',
    head: 'feature',
    format: 'json',
    model: true,
    verbose: false,
    ...overrides,
  };
}

function draft(
  severity: Severity,
  source: DraftFinding['source'] = 'analyzer',
): DraftFinding {
  return {
    lens: 'security',
    severity,
    ruleId: source === 'analyzer' ? 'security/fake-rule' : 'security/model',
    source,
    path: 'src/orders.ts',
    lines: { start: 2, end: 2, side: 'RIGHT' },
    title: `a ${severity} problem`,
    body: 'details',
  };
}

function fakeAnalyzer(
  findings: DraftFinding[],
  seen: AnalyzerInput[] = [],
): Analyzer {
  return {
    name: 'fake',
    lenses: ['security'],
    async analyze(input) {
      seen.push(input);
      return { findings, notes: [] };
    },
  };
}

function fakeReviewer(
  findings: DraftFinding[] = [],
  requests: ModelReviewRequest[] = [],
): ModelReviewer {
  return {
    model: 'fake-model',
    async review(request) {
      requests.push(request);
      return {
        findings,
        summary: 'looked at it',
        usage: {
          ...emptyUsage('fake-model'),
          requests: 1,
          inputTokens: 10,
          outputTokens: 5,
        },
        droppedItems: 0,
      };
    },
  };
}

const noRedaction: SecretRedactor = { redact: async (_path, text) => text };

describe('runReview exit codes', () => {
  it('exits 1 when an analyzer finding reaches the gate severity', async () => {
    const { io, stdout, stderr } = captureIo();
    const code = await runReview(options(), io, {
      analyzers: [fakeAnalyzer([draft('high')])],
      createReviewer: () => fakeReviewer(),
      redactor: noRedaction,
    });
    expect(code).toBe(1);
    expect(stdout()).toContain('security/fake-rule');
    expect(stderr()).toMatch(
      /architect: failure: 1 finding at or above the gate severity \(high\)/,
    );
  });

  it('exits 0 when --fail-on raises the bar above every finding', async () => {
    const { io, stderr } = captureIo();
    const code = await runReview(options({ failOn: 'critical' }), io, {
      analyzers: [fakeAnalyzer([draft('high')])],
      createReviewer: () => fakeReviewer(),
      redactor: noRedaction,
    });
    expect(code).toBe(0);
    expect(stderr()).toMatch(
      /architect: success: No findings at or above the gate severity \(critical\)/,
    );
  });

  it('exits 1 on a blocking model finding', async () => {
    const { io } = captureIo();
    const code = await runReview(options(), io, {
      analyzers: [fakeAnalyzer([])],
      createReviewer: () => fakeReviewer([draft('critical', 'model')]),
      redactor: noRedaction,
    });
    expect(code).toBe(1);
  });

  it('exits 0 (neutral) without an API key, and says only the analyzers ran', async () => {
    const { io, stderr } = captureIo({});
    const code = await runReview(options(), io, {
      analyzers: [fakeAnalyzer([draft('medium')])],
      redactor: noRedaction,
    });
    expect(code).toBe(0);
    expect(stderr()).toContain(
      'ANTHROPIC_API_KEY is not set: only the deterministic analyzers run',
    );
    expect(stderr()).toMatch(/architect: neutral: /);
  });

  it('exits 0 (neutral) when the model fails, and logs why', async () => {
    const { io, stderr } = captureIo();
    const failing: ModelReviewer = {
      model: 'fake-model',
      review: async () => {
        throw new Error('upstream 529 overloaded');
      },
    };
    const code = await runReview(options(), io, {
      analyzers: [fakeAnalyzer([])],
      createReviewer: () => failing,
      redactor: noRedaction,
    });
    expect(code).toBe(0);
    expect(stderr()).toMatch(
      /architect \[error\] model request failed .*upstream 529 overloaded/,
    );
    expect(stderr()).toMatch(/architect: neutral: The review is incomplete/);
  });

  it('exits 2 with a clear message for an unknown ref', async () => {
    const { io, stdout, stderr } = captureIo();
    const code = await runReview(options({ head: 'does-not-exist' }), io, {
      analyzers: [],
      createReviewer: () => fakeReviewer(),
    });
    expect(code).toBe(2);
    expect(stdout()).toBe('');
    expect(stderr()).toBe(
      'architect: unknown git ref "does-not-exist": no such branch, tag or commit\n',
    );
  });

  it('exits 2 outside a git repository', async () => {
    const { io, stderr } = captureIo();
    const code = await runReview(
      options({ repo: join(repo.dir, 'no-such-dir') }),
      io,
      { analyzers: [] },
    );
    expect(code).toBe(2);
    expect(stderr()).toMatch(/no-such-dir does not exist/);
  });

  it('exits 2 when an explicit config file is missing', async () => {
    const { io, stderr } = captureIo();
    const code = await runReview(
      options({ config: join(repo.dir, 'missing.yml') }),
      io,
      { analyzers: [] },
    );
    expect(code).toBe(2);
    expect(stderr()).toMatch(
      /cannot read config file .*missing\.yml: no such file/,
    );
  });
});

describe('runReview wiring', () => {
  it('hands the engine the local diff and the model only redacted hunks', async () => {
    const seen: AnalyzerInput[] = [];
    const requests: ModelReviewRequest[] = [];
    const redactor: SecretRedactor = {
      redact: async (_path, text) => text.replace(/SECRET-\d+/g, '********'),
    };
    const { io } = captureIo();
    await runReview(options(), io, {
      analyzers: [fakeAnalyzer([], seen)],
      createReviewer: () => fakeReviewer([], requests),
      redactor,
    });

    expect(seen).toHaveLength(1);
    expect(
      seen[0]!.files.map((f) => [f.file.path, f.file.status, f.hunks.length]),
    ).toEqual([['src/orders.ts', 'modified', 1]]);
    // Analyzers read the real code; only what leaves for the model is redacted.
    expect(
      await seen[0]!.changeSet.contents.read('head', 'src/orders.ts'),
    ).toContain('SECRET-123');
    expect(requests).toHaveLength(1);
    const sent = requests[0]!.chunk.files.flatMap((f) =>
      f.hunks.flatMap((h) => h.lines.map((l) => l.text)),
    );
    expect(sent).toContain('  const key = "********";');
    expect(sent.join('\n')).not.toContain('SECRET-123');
    expect(requests[0]!.title).toBe('add key');
  });

  it('builds the model from config and skips it with --no-model', async () => {
    await mkdir(join(repo.dir, 'ci'), { recursive: true });
    const configFile = join(repo.dir, 'ci', 'architect.yml');
    await writeFile(
      configFile,
      'model:\n  name: claude-test-1\n  timeout_seconds: 30\n  max_output_tokens: 2048\n',
    );
    const calls: ReviewerFactoryOptions[] = [];
    const factory = (o: ReviewerFactoryOptions) => {
      calls.push(o);
      return fakeReviewer();
    };
    const env = { ANTHROPIC_API_KEY: 'test-key' };

    const withModel = captureIo(env);
    expect(
      await runReview(options({ config: configFile }), withModel.io, {
        analyzers: [],
        createReviewer: factory,
        redactor: noRedaction,
      }),
    ).toBe(0);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      env,
      model: 'claude-test-1',
      timeoutMs: 30_000,
      maxOutputTokens: 2048,
    });

    const noModel = captureIo(env);
    expect(
      await runReview(
        options({ config: configFile, model: false }),
        noModel.io,
        { analyzers: [], createReviewer: factory },
      ),
    ).toBe(0);
    expect(calls).toHaveLength(1);
    expect(noModel.stderr()).toContain(
      '--no-model: only the deterministic analyzers run',
    );
  });

  it('exits 2 when an explicit config file is invalid, instead of reviewing on the defaults', async () => {
    const configFile = join(repo.dir, 'invalid-architect.yml');
    await writeFile(configFile, 'gate:\n  severity: blocker\n');
    const { io, stdout, stderr } = captureIo();
    const seen: AnalyzerInput[] = [];
    const code = await runReview(options({ config: configFile }), io, {
      analyzers: [fakeAnalyzer([], seen)],
      redactor: noRedaction,
    });
    expect(code).toBe(2);
    expect(seen).toHaveLength(0);
    expect(stdout()).toBe('');
    expect(stderr()).toMatch(
      /architect: config .*invalid-architect\.yml at gate\.severity: /,
    );
    expect(stderr()).toMatch(
      /architect: the config file .*invalid-architect\.yml is invalid \(1 problem above\)\n$/,
    );
  });

  it('lists the repository config problems in the JSON and SARIF reports', async () => {
    await mkdir(join(repo.dir, '.github'), { recursive: true });
    await writeFile(
      join(repo.dir, '.github', 'architect.yml'),
      'gate:\n  severity: blocker\n',
    );
    try {
      const json = captureIo();
      await runReview(options({ model: false }), json.io, {
        analyzers: [fakeAnalyzer([])],
        redactor: noRedaction,
      });
      const report = JSON.parse(json.stdout()) as {
        configProblems: Array<{
          source: string;
          path: string | null;
          message: string;
        }>;
      };
      expect(report.configProblems).toHaveLength(1);
      expect(report.configProblems[0]).toMatchObject({
        source: '.github/architect.yml',
        path: 'gate.severity',
      });

      const sarif = captureIo();
      await runReview(options({ model: false, format: 'sarif' }), sarif.io, {
        analyzers: [fakeAnalyzer([])],
        redactor: noRedaction,
      });
      const log = JSON.parse(sarif.stdout()) as {
        runs: Array<{
          invocations: Array<{ toolConfigurationNotifications?: unknown[] }>;
        }>;
      };
      expect(
        log.runs[0]!.invocations[0]!.toolConfigurationNotifications,
      ).toEqual([
        {
          level: 'error',
          message: {
            text: expect.stringMatching(
              /^gate\.severity: .*\(the defaults were used\)$/,
            ),
          },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: '.github/architect.yml' },
              },
            },
          ],
        },
      ]);
    } finally {
      await writeFile(join(repo.dir, '.github', 'architect.yml'), '');
    }

    const valid = captureIo();
    await runReview(options({ model: false }), valid.io, {
      analyzers: [fakeAnalyzer([])],
      redactor: noRedaction,
    });
    expect(
      (JSON.parse(valid.stdout()) as { configProblems: unknown[] })
        .configProblems,
    ).toEqual([]);
  });

  it('prints config problems and reviews with the defaults', async () => {
    await mkdir(join(repo.dir, '.github'), { recursive: true });
    await writeFile(
      join(repo.dir, '.github', 'architect.yml'),
      'gate:\n  severity: blocker\n',
    );
    try {
      const { io, stderr } = captureIo();
      // The default gate (high) applies, so a high finding still fails.
      const code = await runReview(options(), io, {
        analyzers: [fakeAnalyzer([draft('high')])],
        createReviewer: () => fakeReviewer(),
        redactor: noRedaction,
      });
      expect(code).toBe(1);
      expect(stderr()).toMatch(
        /architect: config \.github\/architect\.yml at gate\.severity: /,
      );
      expect(stderr()).toContain(
        'the config is invalid, so the defaults are used',
      );
    } finally {
      await writeFile(join(repo.dir, '.github', 'architect.yml'), '');
    }
  });

  it('writes the report to --output instead of stdout', async () => {
    const output = join(repo.dir, 'out', 'nested', 'review.json');
    const { io, stdout, stderr } = captureIo();
    const code = await runReview(options({ output }), io, {
      analyzers: [fakeAnalyzer([draft('low')])],
      createReviewer: () => fakeReviewer(),
      redactor: noRedaction,
    });
    expect(code).toBe(0);
    expect(stdout()).toBe('');
    const written = await readFile(output, 'utf8');
    expect(() => JSON.parse(written)).not.toThrow();
    expect(written).toContain('security/fake-rule');
    expect(stderr()).toContain(`wrote json report to ${output}`);
  });

  it('renders every format', async () => {
    for (const format of ['text', 'markdown', 'json', 'sarif'] as const) {
      const { io, stdout } = captureIo();
      const code = await runReview(options({ format }), io, {
        analyzers: [fakeAnalyzer([draft('medium')])],
        createReviewer: () => fakeReviewer(),
        redactor: noRedaction,
      });
      expect(code).toBe(0);
      expect(stdout().length).toBeGreaterThan(0);
      expect(stdout().endsWith('\n')).toBe(true);
      if (format === 'sarif')
        expect(JSON.parse(stdout()).version).toBe('2.1.0');
    }
  });
});

describe('runReview output errors', () => {
  it('exits 2 with the system message when the report cannot be written', async () => {
    await writeFile(
      join(repo.dir, 'blocker'),
      'a file where a directory is needed',
    );
    const { io, stderr } = captureIo();
    const code = await runReview(
      options({ output: join(repo.dir, 'blocker', 'review.json') }),
      io,
      {
        analyzers: [],
        createReviewer: () => fakeReviewer(),
        redactor: noRedaction,
      },
    );
    expect(code).toBe(2);
    expect(stderr()).toMatch(/architect: (EEXIST|ENOTDIR)[^\n]*blocker/);
    expect(stderr()).not.toMatch(/\n\s+at /);
  });
});
