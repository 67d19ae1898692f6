import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppProcess,
  freePort,
  generatePrivateKey,
  waitFor,
} from '../support/app-process.ts';
import { FakeGitHub, type FakePullRequest } from '../support/fake-github.ts';
import {
  FakeModel,
  isVerification,
  toolResults,
  type MessagesRequest,
} from '../support/fake-model.ts';
import { pullRequestPayload } from '../support/payloads.ts';

/**
 * The architect investigates: the only evidence for the finding lives in a file the pull request
 * does not touch, and the scripted model reaches it through the repository tools, over real HTTP.
 */
const SECRET = 'e2e-investigation-secret';
const HEAD = '3'.repeat(40);
const BASE = '4'.repeat(40);
const TOKEN = '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';

const routesBefore = [
  "import { requireAuth } from '../middleware/auth.ts';",
  'export const ordersRouter = Router();',
  "ordersRouter.get('/orders/:id', requireAuth, show);",
  '',
];
const routesAfter = [
  "import { requireAuth } from '../middleware/auth.ts';",
  'export const ordersRouter = Router();',
  "ordersRouter.get('/orders/:id', requireAuth, show);",
  "ordersRouter.post('/orders/:id/refund', requireAuth, refund);",
  '',
];
// The middleware the new route relies on lets every request through: the flaw is only visible here.
const auth = [
  'export function requireAuth(req, res, next) {',
  '  const header = req.headers.authorization;',
  "  if (header === undefined) console.warn('anonymous request');",
  '  next();',
  '}',
  '',
];

function pullRequest(): FakePullRequest {
  const unchanged = {
    'src/middleware/auth.ts': auth.join('\n'),
    '.env': `GITHUB_TOKEN=${TOKEN}\n`,
    'package.json': '{"name":"orders"}\n',
  };
  return {
    owner: 'acme',
    repo: 'shop',
    number: 21,
    headSha: HEAD,
    baseSha: BASE,
    files: [
      {
        filename: 'src/routes/orders.ts',
        status: 'modified',
        additions: 1,
        deletions: 0,
        patch: [
          '@@ -1,3 +1,4 @@',
          ...routesBefore.slice(0, 3).map((l) => ` ${l}`),
          `+${routesAfter[3]}`,
        ].join('\n'),
      },
    ],
    contents: {
      [BASE]: { ...unchanged, 'src/routes/orders.ts': routesBefore.join('\n') },
      [HEAD]: { ...unchanged, 'src/routes/orders.ts': routesAfter.join('\n') },
    },
    symlinks: { [HEAD]: { 'src/escape.ts': '../../../../etc/passwd' } },
  };
}

function scripted(body: MessagesRequest) {
  const rounds = body.messages.filter((m) => m.role === 'assistant').length;
  if (rounds === 0) {
    return {
      toolCalls: [
        { name: 'find_symbol', input: { name: 'requireAuth' } },
        { name: 'read_file', input: { path: '.env' } },
        { name: 'read_file', input: { path: 'src/escape.ts' } },
        { name: 'read_file', input: { path: '../../etc/passwd' } },
      ],
    };
  }
  if (rounds === 1)
    return {
      toolCalls: [
        { name: 'read_file', input: { path: 'src/middleware/auth.ts' } },
      ],
    };
  // The finding is only made if the tools really showed the middleware's body.
  const mounted = JSON.stringify(body.messages).includes('4    next();');
  return {
    findings: mounted
      ? [
          {
            path: 'src/routes/orders.ts',
            line: 4,
            category: 'security',
            severity: 'high',
            title: 'Refund endpoint is reachable without authentication',
            body: 'requireAuth only logs a missing Authorization header and then calls next(), so anyone can trigger a refund.',
            fix: 'Verify the token in requireAuth and answer 401 without calling next() when it is missing or invalid.',
            confidence: 0.9,
            outside_diff: true,
            evidence: [
              { path: 'src/middleware/auth.ts', line: 4 },
              { path: 'src/middleware/auth.ts', line: 3 },
            ],
          },
        ]
      : [],
    deployment:
      'Adding authentication later breaks any client already calling the endpoint anonymously; ship the route with it.',
  };
}

describe('investigation through the repository tools, end to end', () => {
  const github = new FakeGitHub();
  const model = new FakeModel((body) => scripted(body));
  let server: AppProcess;

  beforeAll(async () => {
    await github.listen();
    await model.listen();
    server = new AppProcess(await freePort(), {
      APP_ID: '12345',
      PRIVATE_KEY: generatePrivateKey(),
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: github.host,
      GHE_PROTOCOL: 'http',
      LOG_LEVEL: 'warn',
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: model.url,
    });
    await server.start();
  });

  afterAll(async () => {
    await server?.stop();
    await github.close();
    await model.close();
  });

  it('finds the problem in a file the pull request did not touch, shows where it looked, and maps the change', async () => {
    github.addPullRequest(pullRequest());
    await server.deliver(
      'pull_request',
      pullRequestPayload('opened', {
        owner: 'acme',
        repo: 'shop',
        number: 21,
        headSha: HEAD,
        baseSha: BASE,
        changedFiles: 1,
      }),
      SECRET,
    );
    const run = await waitFor(
      () =>
        github.checkRuns.find(
          (r) => r.head_sha === HEAD && r.status === 'completed',
        ),
      'the check run',
      30_000,
      server,
    );
    const review = await waitFor(
      () => github.reviews.find((r) => r.pull === 21),
      'the review',
      15_000,
      server,
    );

    const rounds = model.reviewRequests.map((r) => r.body);
    expect(rounds).toHaveLength(3);
    const first = toolResults(rounds[1]!);
    expect(first.map((r) => r.isError)).toEqual([false, true, true, true]);
    expect(first[0]!.content).toMatch(
      /definitions:\nsrc\/middleware\/auth\.ts:1: export function requireAuth/,
    );
    expect(first[0]!.content).toContain(
      "src/routes/orders.ts:4: ordersRouter.post('/orders/:id/refund', requireAuth, refund);",
    );
    expect(first[1]!.content).toContain('refused');
    expect(first[2]!.content).toContain('symlink');
    expect(first[3]!.content).toContain('".." is not allowed');
    // No secret reaches the model, whatever it asks for.
    expect(
      model.requests.some((r) => JSON.stringify(r.body).includes(TOKEN)),
    ).toBe(false);

    const comment = review.comments.find((c) =>
      c.body.includes('Refund endpoint is reachable without authentication'),
    );
    expect(comment).toMatchObject({
      path: 'src/routes/orders.ts',
      line: 4,
      side: 'RIGHT',
    });
    expect(comment!.body).toContain(
      'Looked at: `src/middleware/auth.ts:4`, `src/middleware/auth.ts:3`',
    );
    expect(run.conclusion).toBe('failure');

    // The verification pass saw the finding with the code it points at, including the untouched file.
    const verification = model.requests.find((r) => isVerification(r.body));
    expect(JSON.stringify(verification!.body.messages)).toContain(
      "if (header === undefined) console.warn('anonymous request');",
    );

    // The repository came in one request however many files the tools read.
    // (The analyzers' own reads of the changed file and of the repository's linter settings at the base
    // go through the contents API as before; which settings files exist comes from one tree listing.)
    expect(
      github.requests.filter((r) => r.path.includes('/git/trees/')),
    ).toHaveLength(1);
    const viewRequests = github.requests.filter(
      (r) =>
        r.path.includes('/tarball/') ||
        (r.path.includes('/contents/') &&
          !/architect\.yml|routes%2Forders|\.secretlintignore|\.squawk\.toml/.test(
            r.path,
          )),
    );
    expect(viewRequests.map((r) => r.path)).toEqual([
      `/repos/acme/shop/tarball/${HEAD}`,
    ]);
    expect(run.output?.summary).toMatch(
      /repository read: .* via one snapshot, 1 request/,
    );
    expect(run.output?.summary).toMatch(/tools: 5 calls in 2 rounds/);

    const summary = await waitFor(
      () =>
        github.issueComments.find(
          (c) => c.pull === 21 && c.body.includes('Backend change map'),
        ),
      'the summary comment',
      15_000,
      server,
    );
    expect(summary.body).toContain(
      'adds route POST /orders/:id/refund (`src/routes/orders.ts:4`)',
    );
    expect(summary.body).toContain('Trade-offs and deployment');
    expect(summary.body.indexOf('Backend change map')).toBeLessThan(
      summary.body.indexOf('Open findings'),
    );
    expect(github.unmatched).toEqual([]);
  });
});
