import { afterAll, describe, expect, it } from 'vitest';
import {
  defaultAnalyzers,
  defaultRedactor,
} from '../../../../src/analyzers/index.ts';
import { createAnalyzerPool } from '../../../../src/analyzers/pool/analyzer-pool.ts';
import { DEFAULT_CONFIG } from '../../../../src/config/schema.ts';
import type { ChangeSet } from '../../../../src/core/change-set.ts';
import { parsePatch } from '../../../../src/core/diff/parse-patch.ts';
import { reviewChangeSet } from '../../../../src/core/review.ts';
import { addedFile, changeSet, inputFor } from '../../../support/change-set.ts';

const TOKEN = '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';
const migration = [
  'CREATE INDEX orders_customer ON orders (customer_id);',
  'ALTER TABLE orders ADD COLUMN note text NOT NULL;',
];
const handler = [
  `const client = new Octokit({ auth: '${TOKEN}' });`,
  'export async function quote(req, res) {',
  '  const r = await fetch(`${process.env.PRICING_URL}/quotes/${req.params.id}`);',
  '  return res.json(await r.json());',
  '}',
];

function sample(): { set: ChangeSet; reads: string[] } {
  const reads: string[] = [];
  const set = changeSet(
    [
      addedFile('db/migrations/001_orders.sql', migration),
      addedFile('src/quote.ts', handler),
    ],
    {
      head: {
        'db/migrations/001_orders.sql': `${migration.join('\n')}\n`,
        'src/quote.ts': `${handler.join('\n')}\n`,
      },
    },
  );
  const read = set.contents.read.bind(set.contents);
  set.contents.read = (revision, path, signal) => {
    reads.push(`${revision}:${path}`);
    return read(revision, path, signal);
  };
  return { set, reads };
}

const config = {
  ...DEFAULT_CONFIG,
  model: { ...DEFAULT_CONFIG.model, enabled: false },
};
const pool = createAnalyzerPool({ size: 2 });
afterAll(() => pool.close());

describe('analyzer pool', () => {
  it('finds in its workers exactly what the analyzers find inline, reading contents through the parent', async () => {
    const inline = await reviewChangeSet(sample().set, config, {
      analyzers: defaultAnalyzers(),
    });
    const { set, reads } = sample();
    // A live repository view (the model's tools) stays on this side; it cannot be cloned.
    set.repository = {
      listFiles: async () => [],
      stats: () => ({}),
    } as unknown as ChangeSet['repository'];
    const pooled = await reviewChangeSet(set, config, {
      analyzers: pool.analyzers,
    });
    expect(inline.findings.length).toBeGreaterThan(2);
    expect(pooled.findings).toEqual(inline.findings);
    expect(pooled.coverage).toEqual(inline.coverage);
    expect(reads).toContain('head:src/quote.ts');
  });

  it('masks secrets in a worker exactly as the redactor does inline', async () => {
    const text = handler.join('\n');
    const masked = await pool.redactor.redact('src/quote.ts', text);
    expect(masked).not.toContain(TOKEN);
    expect(masked).toBe(await defaultRedactor().redact('src/quote.ts', text));
  });

  it("carries the review's abort into the worker and rejects with its reason", async () => {
    const controller = new AbortController();
    const { set } = sample();
    // The first read aborts the review: the worker is mid-analysis when the abort arrives.
    const read = set.contents.read.bind(set.contents);
    set.contents.read = (revision, path, signal) => {
      controller.abort(new Error('newer push'));
      return read(revision, path, signal);
    };
    const [analyzer] = pool.analyzers;
    const files = set.files.map((file) => ({
      file,
      hunks: parsePatch(file.patch),
    }));
    await expect(
      analyzer!.analyze(
        inputFor(set, files, { config, signal: controller.signal }),
      ),
    ).rejects.toThrow('newer push');
    expect(controller.signal.aborted).toBe(true);
    // The pool still works afterwards.
    await expect(pool.redactor.redact('a.txt', 'plain')).resolves.toBe('plain');
  });

  it('fails a task past its timeout, kills its worker and serves the next task from a fresh one', async () => {
    const slow = createAnalyzerPool({ size: 1, analyzeTimeoutMs: 50 });
    try {
      const { set } = sample();
      // A reader that never answers keeps the analysis running past the timeout.
      set.contents.read = () => new Promise(() => {});
      const [analyzer] = slow.analyzers;
      const files = set.files.map((file) => ({ file, hunks: [] }));
      await expect(
        analyzer!.analyze(inputFor(set, files, { config })),
      ).rejects.toThrow('timed out after 0 s');
      await expect(slow.redactor.redact('a.txt', 'plain')).resolves.toBe(
        'plain',
      );
    } finally {
      await slow.close();
    }
  });

  it('replaces a worker whose memory grew past the limit after a task, and keeps serving', async () => {
    const small = createAnalyzerPool({ size: 1, recycleAboveMb: 0 });
    try {
      const first = await reviewChangeSet(sample().set, config, {
        analyzers: small.analyzers,
      });
      const second = await reviewChangeSet(sample().set, config, {
        analyzers: small.analyzers,
      });
      expect(second.findings).toEqual(first.findings);
      expect(first.findings.length).toBeGreaterThan(2);
    } finally {
      await small.close();
    }
  });
});
