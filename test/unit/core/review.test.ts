import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/parse-config.ts';
import { DEFAULT_CONFIG } from '../../../src/config/schema.ts';
import type { DraftFinding } from '../../../src/core/finding.ts';
import type {
  Analyzer,
  ModelReviewRequest,
  ModelReviewer,
} from '../../../src/core/ports.ts';
import { reviewChangeSet } from '../../../src/core/review.ts';
import { addedFile, changeSet } from '../../support/change-set.ts';

const usage = {
  model: 'fake',
  requests: 1,
  inputTokens: 100,
  outputTokens: 20,
  cacheReadTokens: 50,
  cacheCreationTokens: 0,
  costUsd: 0.001,
};

function reviewer(
  respond: (req: ModelReviewRequest) => DraftFinding[] | Error,
): ModelReviewer & { requests: ModelReviewRequest[] } {
  const requests: ModelReviewRequest[] = [];
  return {
    model: 'fake',
    requests,
    async review(req) {
      requests.push(req);
      const out = respond(req);
      if (out instanceof Error) throw out;
      return {
        findings: out,
        usage,
        droppedItems: 0,
        summary: `chunk ${req.chunk.index}`,
      };
    },
  };
}

function modelFinding(
  path: string,
  line: number,
  over: Partial<DraftFinding> = {},
): DraftFinding {
  return {
    lens: 'failure-mode',
    severity: 'high',
    ruleId: 'failure-mode/model',
    source: 'model',
    path,
    lines: { start: line, end: line, side: 'RIGHT' },
    title: 'No timeout',
    body: 'Hangs.',
    ...over,
  };
}

const timeoutAnalyzer: Analyzer = {
  name: 'timeouts',
  lenses: ['failure-mode'],
  async analyze({ files }) {
    const findings: DraftFinding[] = [];
    for (const { file, hunks } of files)
      for (const h of hunks)
        for (const l of h.lines)
          if (l.kind === 'add' && l.text.includes('fetch(')) {
            findings.push({
              lens: 'failure-mode',
              severity: 'medium',
              ruleId: 'failure-mode/http-call-without-timeout',
              source: 'analyzer',
              path: file.path,
              lines: { start: l.newLine!, end: l.newLine!, side: 'RIGHT' },
              title: 'fetch without timeout',
              body: 'b',
            });
          }
    return { findings, notes: [] };
  },
};

describe('reviewChangeSet', () => {
  it('reviews in-scope files, skips the rest, and reports usage', async () => {
    const model = reviewer((req) =>
      req.chunk.files.map((f) => modelFinding(f.path, 2)),
    );
    const result = await reviewChangeSet(
      changeSet([
        addedFile('src/pay.ts', ['const a = 1;', 'await charge();']),
        addedFile('README.md', ['docs']),
      ]),
      DEFAULT_CONFIG,
      { analyzers: [], reviewer: model },
    );
    expect(model.requests).toHaveLength(1);
    expect(model.requests[0]!.chunk.files.map((f) => f.path)).toEqual([
      'src/pay.ts',
    ]);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      path: 'src/pay.ts',
      placement: { kind: 'inline', line: 2, side: 'RIGHT' },
    });
    expect(result.findings[0]!.id).toMatch(/^[0-9a-f]{8}$/);
    expect(result.coverage.files).toEqual([
      { path: 'src/pay.ts', status: 'reviewed', reasons: [] },
      {
        path: 'README.md',
        status: 'out-of-scope',
        reasons: ['not backend code under the configured paths'],
      },
    ]);
    expect(result.coverage.complete).toBe(true);
    expect(result.usage).toMatchObject({
      requests: 1,
      inputTokens: 100,
      cacheReadTokens: 50,
    });
    expect(result.summaries).toEqual(['chunk 0']);
    expect(result.gate.conclusion).toBe('failure');
  });

  it('passes with success only when everything was reviewed and nothing blocks', async () => {
    const model = reviewer(() => [
      modelFinding('src/pay.ts', 1, { severity: 'medium' }),
    ]);
    const result = await reviewChangeSet(
      changeSet([addedFile('src/pay.ts', ['x'])]),
      DEFAULT_CONFIG,
      { analyzers: [], reviewer: model },
    );
    expect(result.gate.conclusion).toBe('success');
  });

  it('is neutral, never green, when the model is not configured', async () => {
    const result = await reviewChangeSet(
      changeSet([addedFile('src/pay.ts', ['x'])]),
      DEFAULT_CONFIG,
      { analyzers: [] },
    );
    expect(result.coverage.model.status).toBe('not-configured');
    expect(result.gate.conclusion).toBe('neutral');
    expect(result.gate.reason).toContain('not configured');
  });

  it('marks files of a failed chunk partial and the review incomplete', async () => {
    const config = parseConfig(
      { limits: { max_chunk_tokens: 1000 } },
      'x',
    ).config;
    const big = Array.from(
      { length: 150 },
      (_, i) => `line ${i} ${'y'.repeat(30)}`,
    );
    const model = reviewer((req) =>
      req.chunk.files.some((f) => f.path === 'src/b.ts')
        ? new Error('overloaded')
        : [],
    );
    const result = await reviewChangeSet(
      changeSet([addedFile('src/a.ts', big), addedFile('src/b.ts', big)]),
      config,
      { analyzers: [], reviewer: model },
    );
    expect(result.coverage.model.status).toBe('partial');
    expect(result.coverage.complete).toBe(false);
    const b = result.coverage.files.find((f) => f.path === 'src/b.ts')!;
    expect(b.status).toBe('partial');
    expect(b.reasons[0]).toContain('overloaded');
    expect(result.gate.conclusion).toBe('neutral');
    expect(result.gate.reason).toContain('incomplete');
  });

  it('reports files without a patch as not reviewed', async () => {
    const result = await reviewChangeSet(
      changeSet([
        {
          path: 'db/migrations/big.sql',
          status: 'added',
          additions: 90000,
          deletions: 0,
        },
        addedFile('src/a.ts', ['x']),
      ]),
      DEFAULT_CONFIG,
      { analyzers: [], reviewer: reviewer(() => []) },
    );
    expect(result.coverage.files[0]).toMatchObject({
      status: 'not-reviewed',
      reasons: [expect.stringContaining('no diff')],
    });
    expect(result.gate.conclusion).toBe('neutral');
  });

  it('does not count a binary file (no patch, no line counts) as reviewed', async () => {
    const result = await reviewChangeSet(
      changeSet([
        {
          path: 'src/native/lib.go',
          status: 'modified',
          additions: 0,
          deletions: 0,
          patchMissingReason:
            'GitHub returned no diff (binary file or diff too large)',
        },
      ]),
      DEFAULT_CONFIG,
      { analyzers: [], reviewer: reviewer(() => []) },
    );
    expect(result.coverage.files[0]).toMatchObject({
      status: 'not-reviewed',
      reasons: ['GitHub returned no diff (binary file or diff too large)'],
    });
  });

  it('treats a pure rename as reviewed', async () => {
    const result = await reviewChangeSet(
      changeSet([
        {
          path: 'src/b.ts',
          previousPath: 'src/a.ts',
          status: 'renamed',
          additions: 0,
          deletions: 0,
        },
      ]),
      DEFAULT_CONFIG,
      { analyzers: [], reviewer: reviewer(() => []) },
    );
    expect(result.coverage.files[0]).toEqual({
      path: 'src/b.ts',
      status: 'reviewed',
      reasons: ['renamed without content changes'],
    });
    expect(result.gate.conclusion).toBe('success');
  });

  it('notes malformed model output that was dropped', async () => {
    const model: ModelReviewer = {
      model: 'fake',
      review: async () => ({ findings: [], usage, droppedItems: 2 }),
    };
    const result = await reviewChangeSet(
      changeSet([addedFile('src/a.ts', ['x'])]),
      DEFAULT_CONFIG,
      { analyzers: [], reviewer: model },
    );
    expect(result.coverage.notes).toEqual([
      {
        source: 'model',
        message: "2 malformed items in the model's answers were dropped",
      },
    ]);
  });

  it('respects the file limit', async () => {
    const config = parseConfig({ limits: { max_files: 1 } }, 'x').config;
    const result = await reviewChangeSet(
      changeSet([addedFile('src/a.ts', ['x']), addedFile('src/b.ts', ['y'])]),
      config,
      { analyzers: [], reviewer: reviewer(() => []) },
    );
    expect(result.coverage.files[1]).toMatchObject({
      path: 'src/b.ts',
      status: 'not-reviewed',
    });
  });

  it('grounds the model in analyzer findings and drops its repeats of them', async () => {
    const model = reviewer(() => [
      modelFinding('src/a.ts', 2),
      modelFinding('src/a.ts', 9, { title: 'other' }),
    ]);
    const lines = [
      'const x = 1;',
      'await fetch(url);',
      ...Array.from({ length: 8 }, (_, i) => `y${i}();`),
    ];
    const result = await reviewChangeSet(
      changeSet([addedFile('src/a.ts', lines)]),
      DEFAULT_CONFIG,
      { analyzers: [timeoutAnalyzer], reviewer: model },
    );
    expect(model.requests[0]!.grounding.map((g) => g.ruleId)).toEqual([
      'failure-mode/http-call-without-timeout',
    ]);
    expect(result.findings.map((f) => [f.ruleId, f.lines?.start])).toEqual([
      ['failure-mode/model', 9],
      ['failure-mode/http-call-without-timeout', 2],
    ]);
  });

  it('drops model findings about files it was not shown or lenses that are off', async () => {
    const config = parseConfig({ lenses: { security: false } }, 'x').config;
    const model = reviewer(() => [
      modelFinding('src/other.ts', 1),
      modelFinding('src/a.ts', 1, {
        lens: 'security',
        ruleId: 'security/model',
      }),
    ]);
    const result = await reviewChangeSet(
      changeSet([addedFile('src/a.ts', ['x'])]),
      config,
      { analyzers: [], reviewer: model },
    );
    expect(model.requests[0]!.lenses).not.toContain('security');
    expect(result.findings).toEqual([]);
  });

  it('keeps analyzer failures visible as coverage notes', async () => {
    const broken: Analyzer = {
      name: 'broken',
      lenses: ['schema'],
      analyze: async () => Promise.reject(new Error('parser crashed')),
    };
    const result = await reviewChangeSet(
      changeSet([addedFile('src/a.ts', ['x'])]),
      DEFAULT_CONFIG,
      { analyzers: [broken], reviewer: reviewer(() => []) },
    );
    expect(result.coverage.notes).toEqual([
      { source: 'broken', message: 'analyzer failed: parser crashed' },
    ]);
  });

  it('never passes a review in which an analyzer failed: the review is incomplete', async () => {
    const broken: Analyzer = {
      name: 'broken',
      lenses: ['schema'],
      analyze: async () => Promise.reject(new Error('parser crashed')),
    };
    const result = await reviewChangeSet(
      changeSet([addedFile('src/a.ts', ['x'])]),
      DEFAULT_CONFIG,
      { analyzers: [broken], reviewer: reviewer(() => []) },
    );
    expect(result.coverage.complete).toBe(false);
    expect(result.coverage.failedAnalyzers).toEqual(['broken']);
    expect(result.gate.conclusion).not.toBe('success');
    expect(result.gate.reason).toContain('the broken analyzer failed');
  });

  it('redacts before the model sees the diff, line for line', async () => {
    const model = reviewer(() => []);
    await reviewChangeSet(
      changeSet([
        addedFile('src/a.ts', ['const key = "sk_live_abc";', 'ok();']),
      ]),
      DEFAULT_CONFIG,
      {
        analyzers: [],
        reviewer: model,
        redactor: {
          redact: async (_path, text) =>
            text.replace(/sk_live_\w+/g, '********'),
        },
      },
    );
    const texts = model.requests[0]!.chunk.files[0]!.hunks[0]!.lines.map(
      (l) => l.text,
    );
    expect(texts).toEqual(['const key = "********";', 'ok();']);
  });

  it('masks secrets in the pull request title and description too, and leaves them out if masking fails', async () => {
    const model = reviewer(() => []);
    const set = changeSet([addedFile('src/a.ts', ['ok();'])]);
    set.title = 'Rotate sk_live_title';
    set.description = 'Old key was sk_live_abc\nplease review';
    await reviewChangeSet(set, DEFAULT_CONFIG, {
      analyzers: [],
      reviewer: model,
      redactor: {
        redact: async (_path, text) => text.replace(/sk_live_\w+/g, '********'),
      },
    });
    expect(model.requests[0]!.title).toBe('Rotate ********');
    expect(model.requests[0]!.description).toBe(
      'Old key was ********\nplease review',
    );

    const failing = reviewer(() => []);
    await reviewChangeSet(set, DEFAULT_CONFIG, {
      analyzers: [],
      reviewer: failing,
      redactor: {
        redact: async (path, text) =>
          path.startsWith('pull-request-')
            ? Promise.reject(new Error('scanner crashed'))
            : text,
      },
    });
    expect(failing.requests[0]!.title).toBeUndefined();
    expect(failing.requests[0]!.description).toBeUndefined();
  });

  it('masks analyzer titles in the grounding, and falls back to rule ids if masking fails', async () => {
    const quoting: Analyzer = {
      name: 'quoting',
      lenses: ['security'],
      analyze: async () => ({
        findings: [
          {
            lens: 'security',
            severity: 'high',
            ruleId: 'security/x',
            source: 'analyzer',
            path: 'src/a.ts',
            lines: { start: 1, end: 1, side: 'RIGHT' },
            title: 'Key sk_live_zzz in code',
            body: 'b',
          },
        ],
        notes: [],
      }),
    };
    const model = reviewer(() => []);
    await reviewChangeSet(
      changeSet([addedFile('src/a.ts', ['x'])]),
      DEFAULT_CONFIG,
      {
        analyzers: [quoting],
        reviewer: model,
        redactor: {
          redact: async (_p, text) => text.replace(/sk_live_\w+/g, '***'),
        },
      },
    );
    expect(model.requests[0]!.grounding.map((g) => g.title)).toEqual([
      'Key *** in code',
    ]);

    const failing = reviewer(() => []);
    await reviewChangeSet(
      changeSet([addedFile('src/a.ts', ['x'])]),
      DEFAULT_CONFIG,
      {
        analyzers: [quoting],
        reviewer: failing,
        redactor: {
          redact: async (path, text) =>
            path === 'analyzer-findings.txt'
              ? Promise.reject(new Error('down'))
              : text,
        },
      },
    );
    expect(failing.requests[0]!.grounding.map((g) => g.title)).toEqual([
      'security/x',
    ]);
  });

  it('keeps a file from the model when redaction fails, and says so', async () => {
    const model = reviewer(() => []);
    const result = await reviewChangeSet(
      changeSet([
        addedFile('src/a.ts', ['const key = "x";']),
        addedFile('src/b.ts', ['ok();']),
      ]),
      DEFAULT_CONFIG,
      {
        analyzers: [],
        reviewer: model,
        redactor: {
          redact: async (path, text) =>
            path === 'src/a.ts'
              ? Promise.reject(new Error('scanner crashed'))
              : text,
        },
      },
    );
    expect(
      model.requests.flatMap((r) => r.chunk.files.map((f) => f.path)),
    ).toEqual(['src/b.ts']);
    expect(result.coverage.files[0]).toMatchObject({
      path: 'src/a.ts',
      status: 'partial',
      reasons: [
        'not sent to the model: secret redaction failed (scanner crashed)',
      ],
    });
    expect(result.gate.conclusion).toBe('neutral');
  });

  it('anchors analyzer findings in out-of-scope files inline', async () => {
    const leak: Analyzer = {
      name: 'leak',
      lenses: ['security'],
      analyze: async () => ({
        findings: [
          {
            lens: 'security',
            severity: 'critical',
            ruleId: 'security/hardcoded-secret',
            source: 'analyzer',
            path: 'README.md',
            lines: { start: 1, end: 1, side: 'RIGHT' },
            title: 'key',
            body: 'b',
          },
        ],
        notes: [],
      }),
    };
    const result = await reviewChangeSet(
      changeSet([addedFile('README.md', ['token: abc'])]),
      DEFAULT_CONFIG,
      { analyzers: [leak] },
    );
    expect(result.findings[0]!.placement).toEqual({
      kind: 'inline',
      side: 'RIGHT',
      line: 1,
    });
  });

  it('gives the same finding the same fingerprint when code above it moves', async () => {
    const model = reviewer((req) => {
      const line = req.chunk.files[0]!.hunks[0]!.lines.find((l) =>
        l.text.includes('charge('),
      )!.newLine!;
      return [modelFinding('src/a.ts', line)];
    });
    const first = await reviewChangeSet(
      changeSet([addedFile('src/a.ts', ['await charge(order);'], 10)]),
      DEFAULT_CONFIG,
      { analyzers: [], reviewer: model },
    );
    const second = await reviewChangeSet(
      changeSet([
        addedFile('src/a.ts', ['// note', '', 'await  charge(order);'], 30),
      ]),
      DEFAULT_CONFIG,
      { analyzers: [], reviewer: model },
    );
    expect(first.findings[0]!.lines!.start).not.toBe(
      second.findings[0]!.lines!.start,
    );
    expect(second.findings[0]!.fingerprint).toBe(
      first.findings[0]!.fingerprint,
    );
    expect(second.findings[0]!.id).toBe(first.findings[0]!.id);
  });

  it('limits the model to the selected paths while the analyzers still see every file', async () => {
    const model = reviewer((req) =>
      req.chunk.files.map((f) => modelFinding(f.path, 1)),
    );
    const files = [
      addedFile('src/a.ts', ['await fetch(a);']),
      addedFile('src/b.ts', ['await fetch(b);']),
    ];
    const result = await reviewChangeSet(changeSet(files), DEFAULT_CONFIG, {
      analyzers: [timeoutAnalyzer],
      reviewer: model,
      modelPaths: new Set(['src/b.ts']),
    });
    expect(
      model.requests.flatMap((r) => r.chunk.files.map((f) => f.path)),
    ).toEqual(['src/b.ts']);
    expect(
      result.findings
        .filter((f) => f.source === 'analyzer')
        .map((f) => f.path)
        .sort(),
    ).toEqual(['src/a.ts', 'src/b.ts']);
    expect(result.coverage.files.map((f) => f.status)).toEqual([
      'reviewed',
      'reviewed',
    ]);
    expect(result.coverage.model.status).toBe('completed');
  });

  it('skips the model, complete, when no selected path has a diff', async () => {
    const model = reviewer(() => []);
    const result = await reviewChangeSet(
      changeSet([addedFile('src/a.ts', ['x'])]),
      DEFAULT_CONFIG,
      { analyzers: [], reviewer: model, modelPaths: new Set() },
    );
    expect(model.requests).toEqual([]);
    expect(result.coverage.model).toMatchObject({
      status: 'skipped',
      detail: 'no file selected for the AI review has a diff',
    });
    expect(result.coverage.complete).toBe(true);
    expect(result.gate.conclusion).toBe('success');
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const model = reviewer(() => {
      controller.abort(new Error('superseded'));
      return new Error('aborted');
    });
    await expect(
      reviewChangeSet(
        changeSet([addedFile('src/a.ts', ['x'])]),
        DEFAULT_CONFIG,
        { analyzers: [], reviewer: model, signal: controller.signal },
      ),
    ).rejects.toThrow('superseded');
  });
});
