/**
 * Token benchmark: what the AI review sends to the model, against one naive prompt (the system
 * prompt and the whole unified diff in a single request). Each pull request is a real commit in a
 * throwaway git repository, reviewed by the CLI's engine with the real Anthropic adapter against the
 * fake model over HTTP; every request the fake model receives is counted.
 *
 *   npm run bench          (after bench/pipeline.ts)
 *   node bench/tokens.ts   this benchmark alone
 *
 * Tokens are estimated, the same way on both sides: a cl100k-style pre-tokenizer split (words cut at
 * case changes, digits in threes, punctuation in pairs, a run of whitespace one piece; a long piece
 * counts one token per 7 characters). Characters / 4 is printed as a cross-check. Billed-equivalent
 * simulates the prompt cache per review: a prefix up to a `cache_control` breakpoint that an earlier
 * request of the review wrote is read at 0.1x, if that request was answered before this one was
 * sent; first sight is a write at 1.25x; the rest costs 1x. Prefixes under 1,024 tokens are not
 * cached. The naive prompt is one request, so it costs 1x.
 */
import { serviceLines } from './service-lines.ts';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SYSTEM_PROMPT } from '../src/agent/system-prompt.ts';
import { runReview } from '../src/cli/run-review.ts';
import { buildExampleRepo, EXAMPLE_DIR } from '../scripts/example-repo.ts';
import {
  FakeModel,
  isVerification,
  isWarmUp,
  type MessagesRequest,
} from '../test/support/fake-model.ts';
import { tempRepo, type TempRepo } from '../test/unit/cli/git-fixture.ts';

const TARGET = 0.6;
/** Long enough that requests sent together are in flight together. */
const MODEL_DELAY_MS = 200;
const MIN_CACHEABLE_TOKENS = 1024;
const CACHE_READ = 0.1;
const CACHE_WRITE = 1.25;
/** As the API does, a breakpoint also finds a prefix cached at any of the 20 block boundaries before it. */
const LOOKBACK = 20;

const PIECE =
  / ?\p{Lu}?\p{Ll}+| ?\p{Lu}+(?!\p{Ll})| ?\p{N}{1,3}| ?[^\s\p{L}\p{N}]{1,2}|\s+/gu;

function tokens(text: string): number {
  let n = 0;
  for (const m of text.matchAll(PIECE))
    n += Math.max(1, Math.ceil(m[0].length / 7));
  return n;
}

function quarter(text: string): number {
  return Math.ceil(text.length / 4);
}

type Estimator = (text: string) => number;

interface PullRequest {
  name: string;
  what: string;
  repo: TempRepo;
  base: string;
  head: string;
}

/** One block of a request in cache order, with whether it carries a breakpoint. */
interface Block {
  text: string;
  breakpoint: boolean;
}

function blocksOf(body: MessagesRequest): Block[] {
  const blocks: Block[] = [];
  const marked = (b: unknown) =>
    Boolean((b as { cache_control?: unknown }).cache_control);
  for (const tool of body.tools ?? []) {
    const { cache_control: _c, ...rest } = tool as Record<string, unknown>;
    blocks.push({ text: JSON.stringify(rest), breakpoint: marked(tool) });
  }
  const system =
    typeof body.system === 'string'
      ? [{ type: 'text', text: body.system }]
      : ((body.system as Array<{ text: string }> | undefined) ?? []);
  for (const block of system)
    blocks.push({ text: block.text, breakpoint: marked(block) });
  // A change of tool_choice invalidates the cached messages, not the tools and system blocks.
  blocks.push({
    text: JSON.stringify(body.tool_choice ?? null),
    breakpoint: false,
  });
  for (const message of body.messages) {
    const content =
      typeof message.content === 'string'
        ? [{ type: 'text', text: message.content }]
        : (message.content as Array<Record<string, unknown>>);
    for (const block of content) {
      const text =
        block.type === 'text'
          ? String(block.text)
          : block.type === 'tool_result'
            ? typeof block.content === 'string'
              ? block.content
              : JSON.stringify(block.content)
            : JSON.stringify({ name: block.name, input: block.input });
      blocks.push({
        text: `${message.role}:${text}`,
        breakpoint: marked(block),
      });
    }
  }
  return blocks;
}

interface Sent {
  body: MessagesRequest;
  startedAt: number;
  endedAt: number;
}

interface Count {
  raw: number;
  billed: number;
  read: number;
  written: number;
}

/** The request's prefixes at every block boundary: their hashes, token sums and which carry a breakpoint. */
function prefixesOf(body: MessagesRequest, estimate: Estimator) {
  const blocks = blocksOf(body);
  const hash = createHash('sha256');
  const keys: string[] = [];
  const sums: number[] = [];
  let sum = 0;
  for (const block of blocks) {
    hash.update(block.text);
    keys.push(hash.copy().digest('hex'));
    sum += estimate(block.text);
    sums.push(sum);
  }
  const breakpoints = blocks
    .map((b, i) => (b.breakpoint && sums[i]! >= MIN_CACHEABLE_TOKENS ? i : -1))
    .filter((i) => i >= 0);
  return { keys, sums, breakpoints, total: sum };
}

/**
 * Counts a review's requests in the order they were sent, simulating the prompt cache. `earlier`:
 * an earlier review's requests, whose fixed prefix (the first breakpoint) is then already cached.
 */
function countReview(
  requests: Sent[],
  estimate: Estimator,
  earlier: Sent[] = [],
): Count {
  /** Prefix hash -> when it became readable (its writer's answer began). */
  const cache = new Map<string, number>();
  for (const request of earlier) {
    const { keys, breakpoints } = prefixesOf(request.body, estimate);
    if (breakpoints[0] !== undefined)
      cache.set(keys[breakpoints[0]]!, -Infinity);
  }
  const total: Count = { raw: 0, billed: 0, read: 0, written: 0 };
  for (const request of [...requests].sort(
    (a, b) => a.startedAt - b.startedAt,
  )) {
    const {
      keys,
      sums,
      breakpoints,
      total: sum,
    } = prefixesOf(request.body, estimate);
    let read = 0;
    for (const b of breakpoints)
      for (let k = b; k >= Math.max(0, b - LOOKBACK); k--) {
        const at = cache.get(keys[k]!);
        if (at !== undefined && at <= request.startedAt) {
          read = Math.max(read, sums[k]!);
          break;
        }
      }
    let written = 0;
    for (const b of breakpoints) {
      const at = cache.get(keys[b]!);
      if (at !== undefined && at <= request.startedAt) continue;
      cache.set(keys[b]!, Math.min(at ?? Infinity, request.endedAt));
      written = Math.max(written, sums[b]! - read);
    }
    total.raw += sum;
    total.read += read;
    total.written += written;
    total.billed +=
      CACHE_READ * read + CACHE_WRITE * written + (sum - read - written);
  }
  return total;
}

const HEADER = [`import { db, pricing, audit } from '../deps.ts';`, ``];
const handlerPath = (i: number) =>
  `src/orders/handler-${String(i).padStart(2, '0')}.ts`;

/** The pipeline benchmark's pull request: even files new, odd ones extending an existing file. */
async function handlersPullRequest(files: number): Promise<PullRequest> {
  const repo = await tempRepo();
  for (let i = 1; i < files; i += 2)
    await repo.write(handlerPath(i), `${HEADER.join('\n')}\n`);
  await repo.write(
    'src/deps.ts',
    'export { db, pricing, audit } from "./lib.ts";\n',
  );
  const base = await repo.commitAll('base');
  for (let i = 0; i < files; i++)
    await repo.write(
      handlerPath(i),
      `${[...(i % 2 === 1 ? HEADER : []), ...serviceLines(i)].join('\n')}\n`,
    );
  const head = await repo.commitAll(`add ${files} order handlers`);
  return {
    name: `handlers-${files}`,
    what: `bench/pipeline.ts's ${files}-file pull request`,
    repo,
    base,
    head,
  };
}

/** A sweep over existing files: every pricing call gets a timeout, one changed line per handler. */
async function sweepPullRequest(files: number): Promise<PullRequest> {
  const repo = await tempRepo();
  for (let i = 0; i < files; i++)
    await repo.write(
      handlerPath(i),
      `${[...HEADER, ...serviceLines(i)].join('\n')}\n`,
    );
  const base = await repo.commitAll('base');
  for (let i = 0; i < files; i++)
    await repo.write(
      handlerPath(i),
      `${[...HEADER, ...serviceLines(i)]
        .join('\n')
        .replaceAll(
          '{ currency: req.query.currency }',
          '{ currency: req.query.currency, signal: AbortSignal.timeout(2000) }',
        )}\n`,
    );
  const head = await repo.commitAll('time out pricing calls after 2 s');
  return {
    name: `timeouts-${files}`,
    what: `${files} existing files, 8 one-line edits each`,
    repo,
    base,
    head,
  };
}

async function ordersServicePullRequest(): Promise<PullRequest> {
  const repo = await tempRepo();
  await buildExampleRepo(repo.dir);
  return {
    name: 'orders-service',
    what: 'examples/orders-service: migration, routes, payment client, OpenAPI',
    repo,
    base: 'main',
    head: 'feature/checkout-v2',
  };
}

/**
 * A follow-up to the example, written as a real commit: refunds. A migration with a new table and
 * an index, a new route and payment-client call, edits inside existing functions, the OpenAPI
 * description and the README.
 */
async function refundsPullRequest(): Promise<PullRequest> {
  const repo = await tempRepo();
  await buildExampleRepo(repo.dir);
  const head = (path: string) =>
    readFile(join(EXAMPLE_DIR, 'head', path), 'utf8');
  await repo.git('checkout', '--quiet', 'feature/checkout-v2');
  await repo.git('checkout', '--quiet', '-b', 'feature/refunds');
  await repo.write(
    'db/migrations/003_refunds.sql',
    [
      '-- Refunds: one row per refund request, several per order at most up to its total.',
      'CREATE TABLE refunds (',
      '  id bigserial PRIMARY KEY,',
      '  order_id bigint NOT NULL REFERENCES orders (id),',
      '  amount_cents integer NOT NULL CHECK (amount_cents > 0),',
      '  reason text,',
      "  status text NOT NULL DEFAULT 'pending',",
      '  provider_refund_id text,',
      '  created_at timestamptz NOT NULL DEFAULT now()',
      ');',
      '',
      'CREATE INDEX refunds_order_id_idx ON refunds (order_id);',
      '',
      'ALTER TABLE orders ADD COLUMN refunded_cents integer NOT NULL DEFAULT 0;',
      '',
    ].join('\n'),
  );
  const client = await head('src/payments/payment-client.ts');
  await repo.write(
    'src/payments/payment-client.ts',
    `${client.replace(
      '    headers: { authorization: `Bearer ${config.payments.secretKey}` },\n  });',
      '    headers: { authorization: `Bearer ${config.payments.secretKey}` },\n    signal: AbortSignal.timeout(config.payments.timeoutMs),\n  });',
    )}
export interface Refund {
  id: string;
  status: string;
}

/** Refunds part of a captured payment; the provider deduplicates on the idempotency key. */
export async function refundPayment(intentId: string, amountCents: number, idempotencyKey: string): Promise<Refund> {
  const response = await fetch(\`\${config.payments.baseUrl}/v1/refunds\`, {
    method: 'POST',
    headers: {
      authorization: \`Bearer \${config.payments.secretKey}\`,
      'content-type': 'application/x-www-form-urlencoded',
      'idempotency-key': idempotencyKey,
    },
    body: new URLSearchParams({ payment_intent: intentId, amount: String(amountCents) }),
  });
  if (!response.ok) throw new PaymentError(\`refund failed with \${response.status}\`, response.status);
  const body = (await response.json()) as Refund;
  return { id: body.id, status: body.status };
}
`,
  );
  const routes = await head('src/routes/orders.ts');
  await repo.write(
    'src/routes/orders.ts',
    `${routes
      .replace(
        "import { capturePayment, createPaymentIntent, PaymentError } from '../payments/payment-client.ts';",
        "import { capturePayment, createPaymentIntent, PaymentError, refundPayment } from '../payments/payment-client.ts';",
      )
      .replace(
        "    'SELECT id, status, currency, customer_ref, created_at FROM orders WHERE id = $1',",
        "    'SELECT id, status, currency, customer_ref, refunded_cents, created_at FROM orders WHERE id = $1',",
      )}
const CreateRefund = z.object({
  amount_cents: z.int().min(1),
  reason: z.string().max(500).optional(),
});

ordersRouter.post('/:id/refunds', async (req, res) => {
  const parsed = CreateRefund.safeParse(req.body);
  if (!parsed.success) {
    res.status(400).json({ error: 'invalid_request', details: parsed.error.issues });
    return;
  }
  const { rows } = await pool.query('SELECT payment_intent_id, total_cents, refunded_cents FROM orders WHERE id = $1', [req.params.id]);
  if (rows.length === 0) {
    res.status(404).json({ error: 'not_found' });
    return;
  }
  const order = rows[0];
  if (order.refunded_cents + parsed.data.amount_cents > order.total_cents) {
    res.status(409).json({ error: 'refund_exceeds_total' });
    return;
  }
  const refund = await refundPayment(order.payment_intent_id, parsed.data.amount_cents, randomUUID());
  await pool.query('INSERT INTO refunds (order_id, amount_cents, reason, status, provider_refund_id) VALUES ($1, $2, $3, $4, $5)', [
    req.params.id,
    parsed.data.amount_cents,
    parsed.data.reason ?? null,
    refund.status,
    refund.id,
  ]);
  await pool.query('UPDATE orders SET refunded_cents = refunded_cents + $1 WHERE id = $2', [parsed.data.amount_cents, req.params.id]);
  res.status(201).json({ id: refund.id, status: refund.status });
});
`,
  );
  const openapi = await head('openapi.yaml');
  await repo.write(
    'openapi.yaml',
    openapi.replace(
      /\ncomponents:/,
      `
  /orders/{id}/refunds:
    post:
      operationId: refundOrder
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [amount_cents]
              properties:
                amount_cents:
                  type: integer
                  minimum: 1
                reason:
                  type: string
                  maxLength: 500
      responses:
        '201':
          description: Refund requested
        '404':
          description: No such order
        '409':
          description: The refund would exceed the order total
components:`,
    ),
  );
  await repo.write(
    'README.md',
    '# orders-service\n\nRefunds: `POST /orders/{id}/refunds` refunds part or all of a captured order.\n',
  );
  const sha = await repo.commitAll(
    'Refunds: partial refunds through the payment provider',
  );
  return {
    name: 'refunds',
    what: 'a follow-up commit: refunds table, route, client call, edits, OpenAPI, README',
    repo,
    base: 'feature/checkout-v2',
    head: sha,
  };
}

interface Measured {
  pr: PullRequest;
  requests: Sent[];
  /** The requests of an earlier review sent to the same model, for the steady state. */
  earlier: Sent[];
  warmUps: number;
  /** From the first request sent to the first chunk sent: what waiting for a warm-up cost. */
  fanOutDelayMs: number;
  naive: string;
  files: number;
}

/** The repository's own config at head, with the repository tools turned off. */
async function withoutTools(pr: PullRequest): Promise<string> {
  const own = await pr.repo
    .git('show', `${pr.head}:.github/architect.yml`)
    .catch(() => '');
  // Inside .git: removed with the repository, and no part of any commit.
  const path = join(pr.repo.dir, '.git', 'architect-no-tools.yml');
  await writeFile(path, `${own}\nmodel:\n  tools: false\n`);
  return path;
}

/**
 * Reviews the pull request against a fresh fake model, whose cache (like the simulated one) starts
 * empty; `afterAnother`: first another review, so the fixed prefix is warm as on a busy server.
 */
async function measure(
  pr: PullRequest,
  tools: boolean,
  afterAnother = false,
): Promise<Measured> {
  const model = await new FakeModel(() => ({ findings: [] })).listen();
  model.delayMs = MODEL_DELAY_MS;
  try {
    if (afterAnother) await review(pr, tools, model);
    const earlier = model.requests.filter((r) => !isVerification(r.body));
    model.requests.length = 0;
    await review(pr, tools, model);
    const naive = `${SYSTEM_PROMPT}\n\n${await pr.repo.git('diff', pr.base, pr.head)}`;
    const files = (await pr.repo.git('diff', '--name-only', pr.base, pr.head))
      .split('\n')
      .filter(Boolean).length;
    const sent = model.requests.filter((r) => !isVerification(r.body));
    const first = Math.min(...sent.map((r) => r.startedAt));
    const firstChunk = Math.min(
      ...sent.filter((r) => !isWarmUp(r.body)).map((r) => r.startedAt),
    );
    const plain = (r: (typeof sent)[number]): Sent => ({
      body: r.body,
      startedAt: r.startedAt,
      endedAt: r.endedAt ?? r.startedAt,
    });
    return {
      pr,
      naive,
      files,
      warmUps: sent.filter((r) => isWarmUp(r.body)).length,
      fanOutDelayMs: firstChunk - first,
      requests: sent.map(plain),
      earlier: earlier.map(plain),
    };
  } finally {
    await model.close();
  }
}

async function review(
  pr: PullRequest,
  tools: boolean,
  model: FakeModel,
): Promise<void> {
  const err: string[] = [];
  const code = await runReview(
    {
      repo: pr.repo.dir,
      base: pr.base,
      head: pr.head,
      format: 'json',
      model: true,
      verbose: false,
      ...(tools ? {} : { config: await withoutTools(pr) }),
    },
    {
      stdout: { write: () => true },
      stderr: { write: (t: string) => err.push(t) },
      env: {
        ANTHROPIC_API_KEY: 'bench-key',
        ANTHROPIC_BASE_URL: model.url,
      },
    },
  );
  if (code === 2)
    throw new Error(`review of ${pr.name} failed: ${err.join('')}`);
}

const pad = (s: string | number, n: number) => String(s).padStart(n);
const verdict = (ratio: number) => (ratio <= TARGET ? 'PASS' : 'FAIL');

const builders = [
  ordersServicePullRequest,
  refundsPullRequest,
  () => handlersPullRequest(3),
  () => handlersPullRequest(16),
  () => handlersPullRequest(60),
  () => sweepPullRequest(30),
];
const runs: Array<{ tools: Measured; plain: Measured; steady: Measured }> = [];
for (const build of builders) {
  const pr = await build();
  try {
    runs.push({
      tools: await measure(pr, true),
      plain: await measure(pr, false),
      steady: await measure(pr, true, true),
    });
  } finally {
    await pr.repo.remove();
  }
}

function table(label: string, measured: Measured[]): void {
  console.log('');
  console.log(label);
  console.log(
    `${'pull request'.padEnd(16)}${pad('files', 6)}${pad('reqs', 5)}${pad('naive', 9)}${pad('sent', 9)}${pad('raw', 7)}${pad('billed', 9)}${pad('ratio', 7)}${pad('read', 8)}${pad('write', 8)}  chars/4 raw, billed`,
  );
  const sums = { naive: 0, raw: 0, billed: 0, qNaive: 0, qRaw: 0, qBilled: 0 };
  for (const m of measured) {
    const count = countReview(m.requests, tokens, m.earlier);
    const naive = tokens(m.naive);
    const q = countReview(m.requests, quarter, m.earlier);
    const qNaive = quarter(m.naive);
    sums.naive += naive;
    sums.raw += count.raw;
    sums.billed += count.billed;
    sums.qNaive += qNaive;
    sums.qRaw += q.raw;
    sums.qBilled += q.billed;
    const requests = `${m.requests.length - m.warmUps}${m.warmUps ? `+${m.warmUps}` : ''}`;
    console.log(
      `${m.pr.name.padEnd(16)}${pad(m.files, 6)}${pad(requests, 5)}${pad(naive, 9)}${pad(count.raw, 9)}${pad((count.raw / naive).toFixed(2), 7)}${pad(Math.round(count.billed), 9)}${pad((count.billed / naive).toFixed(2), 7)}${pad(count.read, 8)}${pad(count.written, 8)}  ${(q.raw / qNaive).toFixed(2)}, ${(q.billed / qNaive).toFixed(2)}`,
    );
  }
  const rawRatio = sums.raw / sums.naive;
  const billedRatio = sums.billed / sums.naive;
  console.log(
    `${'overall'.padEnd(16)}${pad('', 11)}${pad(sums.naive, 9)}${pad(sums.raw, 9)}${pad(rawRatio.toFixed(2), 7)}${pad(Math.round(sums.billed), 9)}${pad(billedRatio.toFixed(2), 7)}${pad('', 16)}  ${(sums.qRaw / sums.qNaive).toFixed(2)}, ${(sums.qBilled / sums.qNaive).toFixed(2)}`,
  );
  console.log(
    `  raw (tokens sent / naive) ${rawRatio.toFixed(3)} (target <= ${TARGET}) ${verdict(rawRatio)}; billed-equivalent (cache reads x ${CACHE_READ}, writes x ${CACHE_WRITE}) / naive ${billedRatio.toFixed(3)} (target <= ${TARGET}) ${verdict(billedRatio)}`,
  );
}

console.log('');
console.log('Backend Architect token benchmark');
console.log(
  `input tokens of every review request (warm-ups included, shown as +N) vs one naive prompt (system prompt + whole unified diff); cache simulated per review; fake model ${MODEL_DELAY_MS} ms/answer, the model reports at once (no tool rounds), no findings (so no verification pass)`,
);
console.log(
  'estimator: cl100k-style pre-tokenizer pieces (cross-check: characters / 4); read/write: cache tokens over the review',
);
table(
  'repository tools on (the default): every round is cached up to its last block for the next round',
  runs.map((r) => r.tools),
);
table(
  'repository tools off (model.tools: false)',
  runs.map((r) => r.plain),
);
table(
  'steady state of a busy server: tools on, the fixed prefix still cached from an earlier review (not the target: the target is per review)',
  runs.map((r) => r.steady),
);
console.log('');
const fanOut = runs
  .flatMap((r) => [r.tools, r.plain])
  .filter((m) => m.warmUps > 0);
console.log(
  fanOut.length > 0
    ? `prompt-cache warm-ups: ${fanOut.length} reviews waited for one before fanning out, ${fanOut.map((m) => m.fanOutDelayMs).join(', ')} ms (the fake model answers a 1-token warm-up in a tenth of its delay)`
    : 'prompt-cache warm-ups: none',
);
for (const r of runs) console.log(`  ${r.tools.pr.name}: ${r.tools.pr.what}`);
