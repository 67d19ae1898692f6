import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  vi,
} from 'vitest';
import { createReviewer } from '../../../src/agent/create-reviewer.ts';
import { defaultRedactor } from '../../../src/analyzers/index.ts';
import { gitRepositoryView } from '../../../src/cli/git-repository-view.ts';
import { RepositoryTools } from '../../../src/core/repository/repository-tools.ts';
import type { RepositoryView } from '../../../src/core/repository/repository-view.ts';
import {
  ToolBudget,
  type ToolLimits,
} from '../../../src/core/repository/tool-budget.ts';
import {
  FakeModel,
  toolResults,
  type MessagesRequest,
} from '../../support/fake-model.ts';
import { tempRepo, type TempRepo } from '../cli/git-fixture.ts';
import { chunkFile, chunkOf, reviewRequest } from './fixtures.ts';

const GITHUB_TOKEN = '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';

let repo: TempRepo;
let view: RepositoryView;
const model = new FakeModel();

const routeFile = chunkFile(
  'src/routes/orders.ts',
  [
    '@@ -1,2 +1,3 @@',
    " import { requireAuth } from '../middleware/auth.ts';",
    " router.get('/orders', requireAuth, list);",
    "+router.post('/orders', create);",
  ].join('\n'),
);

beforeAll(async () => {
  repo = await tempRepo();
  await repo.write(
    'src/middleware/auth.ts',
    'export function requireAuth(req, res, next) {\n  if (!req.user) return res.status(401).end();\n  next();\n}\n',
  );
  await repo.write(
    'src/routes/orders.ts',
    "import { requireAuth } from '../middleware/auth.ts';\nrouter.get('/orders', requireAuth, list);\nrouter.post('/orders', create);\n",
  );
  await repo.write('.env', `GITHUB_TOKEN=${GITHUB_TOKEN}\n`);
  await repo.write(
    'src/settings.ts',
    `export const token = '${GITHUB_TOKEN}';\n`,
  );
  const head = await repo.commitAll('head');
  view = gitRepositoryView({
    cwd: repo.dir,
    headSha: head,
    maxFileBytes: 100_000,
  });
  await model.listen();
});

afterAll(async () => {
  await view.close();
  await repo.remove();
  await model.close();
});

beforeEach(() => {
  model.requests.length = 0;
  vi.stubEnv('ANTHROPIC_CUSTOM_HEADERS', '');
});

function setup(limits: Partial<ToolLimits> = {}) {
  const reviewer = createReviewer({
    env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: model.url },
    model: 'claude-sonnet-5-5',
    maxOutputTokens: 2000,
    timeoutMs: 10_000,
    maxRetries: 0,
  });
  const tools = new RepositoryTools({
    view,
    redactor: defaultRedactor(),
    budget: new ToolBudget({
      maxRounds: 8,
      maxResultBytes: 200_000,
      maxTokens: 1_000_000,
      ...limits,
    }),
    maxFileBytes: 100_000,
  });
  return { reviewer: reviewer!, tools };
}

const finding = (extra: Record<string, unknown>) => ({
  path: 'src/routes/orders.ts',
  line: 3,
  category: 'security',
  severity: 'high',
  title: 'New POST route has no authentication',
  body: 'Unlike GET, the POST route is not behind requireAuth.',
  confidence: 0.9,
  ...extra,
});

describe('the tool loop', () => {
  it('runs the tools the model asks for, returns refusals as tool errors, masks secrets, and keeps evidence it was shown', async () => {
    model.setResponder((body: MessagesRequest) => {
      const round = body.messages.filter((m) => m.role === 'assistant').length;
      if (round === 0) {
        return {
          toolCalls: [
            { name: 'read_file', input: { path: '../../etc/passwd' } },
            { name: 'read_file', input: { path: '.env' } },
            { name: 'read_file', input: { path: 'src/settings.ts' } },
            { name: 'read_file', input: { path: 'src/middleware/auth.ts' } },
            { name: 'find_symbol', input: { name: 'requireAuth' } },
          ],
        };
      }
      return {
        findings: [
          finding({
            evidence: [
              { path: 'src/middleware/auth.ts', line: 2 },
              { path: 'src/routes/orders.ts', line: 2 },
              { path: 'src/never-read.ts', line: 4 },
            ],
            outside_diff: true,
          }),
          finding({
            line: 2,
            title: 'Claims about a caller it never read',
            outside_diff: true,
            confidence: 0.95,
          }),
        ],
      };
    });
    const { reviewer, tools } = setup();
    const response = await reviewer.review({
      ...reviewRequest({ chunk: chunkOf([routeFile]) }),
      tools: tools.session(),
    });

    expect(model.requests).toHaveLength(2);
    const [first, second] = model.requests.map((r) => r.body);
    expect(first!.tools!.map((t) => t.name)).toEqual([
      'read_file',
      'search_code',
      'list_files',
      'find_symbol',
      'report_findings',
    ]);
    expect(first!.tool_choice).toEqual({ type: 'any' });
    expect(JSON.stringify(first!.system)).toContain('Investigating with tools');
    const results = toolResults(second!);
    expect(results.map((r) => r.isError)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(results[0]!.content).toContain('".." is not allowed');
    expect(results[1]!.content).toContain('refused');
    expect(results[2]!.content).toContain(
      '<repository_data source="src/settings.ts lines 1-1 of 1">',
    );
    expect(JSON.stringify(second!.messages)).not.toContain(GITHUB_TOKEN);
    expect(results[3]!.content).toContain(
      '2    if (!req.user) return res.status(401).end();',
    );
    expect(results[4]!.content).toMatch(
      /definitions:\nsrc\/middleware\/auth\.ts:1:/,
    );
    // The growing conversation is cached: one breakpoint, on the newest block.
    const last = second!.messages.at(-1)!.content as Array<{
      cache_control?: unknown;
    }>;
    expect(last.at(-1)!.cache_control).toEqual({ type: 'ephemeral' });
    expect(last.slice(0, -1).every((b) => b.cache_control === undefined)).toBe(
      true,
    );
    expect(
      (second!.messages[0]!.content as Array<{ cache_control?: unknown }>)[0]!
        .cache_control,
    ).toBeUndefined();

    expect(response.toolRounds).toBe(1);
    expect(response.forcedReport).toBe(false);
    expect(response.usage.requests).toBe(2);
    const [supported, unsupported] = response.findings;
    expect(supported!.evidence).toEqual([
      { path: 'src/middleware/auth.ts', line: 2 },
      { path: 'src/routes/orders.ts', line: 2 },
    ]);
    expect(supported!.unsupported).toBeUndefined();
    expect(supported!.confidence).toBe(0.9);
    expect(unsupported!.unsupported).toBe(true);
    expect(unsupported!.confidence).toBe(0.5);
  });

  it('makes the model report once the rounds run out', async () => {
    model.setResponder((body) =>
      body.tool_choice && (body.tool_choice as { type: string }).type === 'tool'
        ? { findings: [] }
        : { toolCalls: [{ name: 'list_files', input: {} }] },
    );
    const { reviewer, tools } = setup({ maxRounds: 2 });
    const response = await reviewer.review({
      ...reviewRequest({ chunk: chunkOf([routeFile]) }),
      tools: tools.session(),
    });
    expect(model.requests.map((r) => r.body.tool_choice)).toEqual([
      { type: 'any' },
      { type: 'any' },
      { type: 'tool', name: 'report_findings' },
    ]);
    expect(JSON.stringify(model.requests[2]!.body.messages.at(-1))).toContain(
      'tool limit for this review is reached',
    );
    expect(response).toMatchObject({
      toolRounds: 2,
      forcedReport: true,
      findings: [],
    });
    expect(tools.budget.forcedReports).toBe(1);
  });

  it('counts tool-round tokens against the review budget and stops there', async () => {
    model.setResponder((body) =>
      (body.tool_choice as { type: string }).type === 'tool'
        ? { findings: [] }
        : {
            toolCalls: [
              { name: 'read_file', input: { path: 'src/middleware/auth.ts' } },
            ],
          },
    );
    // The fake bills 4,350 tokens per answer: the second answer crosses a 5,000-token budget.
    const { reviewer, tools } = setup({ maxTokens: 5000 });
    const response = await reviewer.review({
      ...reviewRequest({ chunk: chunkOf([routeFile]) }),
      tools: tools.session(),
    });
    expect(model.requests).toHaveLength(3);
    expect(response.forcedReport).toBe(true);
    expect(tools.budget.tokens).toBe(3 * 4350);
  });
});
