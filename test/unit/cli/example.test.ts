import { lintSource } from '@secretlint/core';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildExampleRepo,
  EXAMPLE_DIR,
} from '../../../scripts/example-repo.ts';
import {
  gitChangeSet,
  type GitChangeSet,
} from '../../../src/cli/git-change-set.ts';
import { parsePatch } from '../../../src/core/diff/parse-patch.ts';

let parent: string;
let target: string;
let changeSet: GitChangeSet;

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'architect-example-'));
  target = join(parent, 'repo');
  await buildExampleRepo(target);
  changeSet = await gitChangeSet({
    repo: target,
    base: 'main',
    head: 'feature/checkout-v2',
  });
});

afterAll(async () => {
  await rm(parent, { recursive: true, force: true });
});

function addedText(path: string): string[] {
  const file = changeSet.files.find((f) => f.path === path);
  if (!file) throw new Error(`${path} is not part of the example change`);
  return parsePatch(file.patch).flatMap((h) =>
    h.lines.filter((l) => l.kind === 'add').map((l) => l.text),
  );
}

describe('the bundled example', () => {
  it('stores plain snapshots without nested repositories', async () => {
    for (const side of ['base', 'head']) {
      await expect(stat(join(EXAMPLE_DIR, side, '.git'))).rejects.toThrow(
        /ENOENT/,
      );
    }
  });

  it('builds a repository whose feature branch changes what the example promises', () => {
    expect(changeSet.files.map((f) => [f.path, f.status]).sort()).toEqual([
      ['db/migrations/002_checkout_v2.sql', 'added'],
      ['openapi.yaml', 'modified'],
      ['package.json', 'modified'],
      ['src/config.ts', 'modified'],
      ['src/payments/payment-client.ts', 'modified'],
      ['src/routes/orders.ts', 'modified'],
    ]);
    expect(changeSet.title).toBe(
      'Checkout v2: customer accounts and payment capture',
    );
  });

  it('is reproducible: the same commits on every machine', async () => {
    const again = join(parent, 'again');
    await buildExampleRepo(again);
    const second = await gitChangeSet({
      repo: again,
      base: 'main',
      head: 'feature/checkout-v2',
    });
    expect([second.baseSha, second.headSha]).toEqual([
      changeSet.baseSha,
      changeSet.headSha,
    ]);
    expect((await readdir(again)).sort()).toEqual(
      (await readdir(target)).sort(),
    );
  });

  it('adds a locking migration and drops a column the unchanged code still reads', async () => {
    const migration = addedText('db/migrations/002_checkout_v2.sql').join('\n');
    expect(migration).toContain(
      'ALTER TABLE orders ADD COLUMN customer_ref text NOT NULL;',
    );
    expect(migration).toMatch(/CREATE INDEX (?!CONCURRENTLY)/);
    expect(migration).toContain(
      'ALTER TABLE orders DROP COLUMN legacy_status;',
    );
    expect(
      changeSet.files.some((f) => f.path === 'src/reports/daily-totals.ts'),
    ).toBe(false);
    expect(
      await changeSet.contents.read('head', 'src/reports/daily-totals.ts'),
    ).toContain('legacy_status');
  });

  it('breaks the API contract: a removed response property and a new required request property', async () => {
    const file = changeSet.files.find((f) => f.path === 'openapi.yaml')!;
    const removed = parsePatch(file.patch).flatMap((h) =>
      h.lines.filter((l) => l.kind === 'del').map((l) => l.text.trim()),
    );
    expect(removed).toContain('total_cents:');
    expect(addedText('openapi.yaml')).toContain(
      '      required: [amount_cents, currency, customer_ref]',
    );
  });

  it('calls the payment provider without a timeout', () => {
    const added = addedText('src/payments/payment-client.ts').join('\n');
    expect(added).toMatch(/await fetch\(/);
    expect(added).not.toMatch(/signal|timeout/i);
  });

  it('leaks a key that secretlint recognises, and only in the head', async () => {
    const lint = async (revision: 'base' | 'head') => {
      const content = (await changeSet.contents.read(
        revision,
        'src/config.ts',
      ))!;
      const result = await lintSource({
        source: {
          filePath: '/example/src/config.ts',
          content,
          ext: '.ts',
          contentType: 'text',
        },
        options: {
          config: {
            rules: [
              {
                id: '@secretlint/secretlint-rule-preset-recommend',
                rule: recommended,
              },
            ],
          },
          maskSecrets: true,
        },
      });
      return result.messages.map((m) => [m.ruleId, m.loc.start.line]);
    };
    expect(await lint('head')).toEqual([
      ['@secretlint/secretlint-rule-stripe', 23],
    ]);
    expect(await lint('base')).toEqual([]);
    expect(
      addedText('src/config.ts').some((line) => line.includes('sk_live_')),
    ).toBe(true);
  });
});
