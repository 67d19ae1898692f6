import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runReview } from '../../../src/cli/run-review.ts';
import {
  FakeModel,
  isVerification,
  toolResults,
} from '../../support/fake-model.ts';
import { captureIo } from './cli-io.ts';
import { tempRepo, type TempRepo } from './git-fixture.ts';

/** The CLI end to end with a model over HTTP: the tools read the local repository through git. */
let repo: TempRepo;
const model = new FakeModel();
const TOKEN = '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';

beforeAll(async () => {
  repo = await tempRepo();
  await repo.write(
    'src/clients/ledger.ts',
    'export function ledgerClient() {\n  return axios.create({ baseURL: LEDGER_URL });\n}\n',
  );
  await repo.write('.env.local', `LEDGER_TOKEN=${TOKEN}\n`);
  await repo.write(
    'src/refunds.ts',
    'export async function refund(id) {\n  return id;\n}\n',
  );
  await repo.commitAll('base');
  await repo.git('checkout', '--quiet', '-b', 'feature');
  await repo.write(
    'src/refunds.ts',
    "export async function refund(id) {\n  await ledgerClient().post('/entries', { id });\n  return id;\n}\n",
  );
  await repo.write(
    'db/migrations/007_refunds.sql',
    'ALTER TABLE refunds ADD COLUMN ledger_entry_id bigint;\n',
  );
  await repo.commitAll('refund through the ledger');
  await model.listen();
  vi.stubEnv('ANTHROPIC_CUSTOM_HEADERS', '');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await model.close();
  await repo.remove();
});

describe('architect review with the repository tools', () => {
  it('lets the model read unchanged code from git, masks what it must not see, and opens the report with the change map', async () => {
    model.setResponder((body) => {
      const round = body.messages.filter((m) => m.role === 'assistant').length;
      if (round === 0)
        return {
          toolCalls: [
            { name: 'find_symbol', input: { name: 'ledgerClient' } },
            { name: 'read_file', input: { path: '.env.local' } },
          ],
        };
      if (round === 1)
        return {
          toolCalls: [
            { name: 'read_file', input: { path: 'src/clients/ledger.ts' } },
          ],
        };
      const sawClient = JSON.stringify(body.messages).includes(
        'axios.create({ baseURL: LEDGER_URL })',
      );
      return {
        findings: sawClient
          ? [
              {
                path: 'src/refunds.ts',
                line: 2,
                category: 'failure-mode',
                severity: 'high',
                title: 'Ledger client has no timeout',
                body: 'The shared axios client sets no timeout; a hung ledger holds the refund forever.',
                outside_diff: true,
                evidence: [{ path: 'src/clients/ledger.ts', line: 2 }],
              },
            ]
          : [],
      };
    });
    const { io, stdout } = captureIo({
      ANTHROPIC_API_KEY: 'k',
      ANTHROPIC_BASE_URL: model.url,
    });
    const code = await runReview(
      {
        repo: repo.dir,
        base: 'main',
        head: 'feature',
        format: 'text',
        model: true,
        verbose: false,
      },
      io,
    );
    const text = stdout();
    expect(code).toBe(1);
    expect(text.split('\n')[0]).toBe('Backend change map');
    expect(text).toContain(
      'db/migrations/007_refunds.sql: adds column refunds.ledger_entry_id',
    );
    expect(text).toContain('Ledger client has no timeout');
    expect(text).toContain('Looked at: src/clients/ledger.ts:2');
    expect(text).toMatch(
      /Investigation: repository read: .* via local git · tools: 3 calls in 2 rounds/,
    );
    const rounds = model.reviewRequests.map((r) => r.body);
    expect(toolResults(rounds[1]!).map((r) => r.isError)).toEqual([
      false,
      true,
    ]);
    expect(
      model.requests.some((r) => JSON.stringify(r.body).includes(TOKEN)),
    ).toBe(false);
    expect(model.requests.filter((r) => isVerification(r.body))).toHaveLength(
      1,
    );
  });
});
