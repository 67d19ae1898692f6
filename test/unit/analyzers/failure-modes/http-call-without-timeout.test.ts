import { describe, expect, it } from 'vitest';
import { createFailureModeAnalyzer } from '../../../../src/analyzers/failure-modes/index.ts';
import { findingsOf, runAnalyzer } from './change-set-builder.ts';

const RULE = 'failure-mode/http-call-without-timeout';
const only = (found: string[]) => found.filter((f) => f.startsWith(RULE));

describe('http-call-without-timeout: JavaScript/TypeScript', () => {
  it('flags fetch, axios, got and undici calls without a timeout, high inside a route handler [+failure-mode/http-call-without-timeout]', async () => {
    const head = [
      "import axios from 'axios';", // 1
      "import got from 'got';",
      "import { request } from 'undici';",
      "router.post('/orders', async (req, res) => {",
      '  const quote = await fetch(PRICING_URL);', // 5
      '  await axios.post(BILLING_URL, { amount: 1 });',
      '  await got.get(INVENTORY_URL);',
      '  await request(AUDIT_URL, { method: "POST" });',
      '  res.json(quote);',
      '});', // 10
      'export const billing = axios.create({ baseURL: BILLING_URL });',
      'export async function warmUp() {',
      '  await fetch(HEALTH_URL, { headers: { accept: "text/plain" } });',
      '}',
    ].join('\n');
    expect(
      only(
        await findingsOf(createFailureModeAnalyzer(), [
          { path: 'src/orders.ts', head },
        ]),
      ),
    ).toEqual([
      `${RULE}@11:medium`,
      `${RULE}@13:medium`,
      `${RULE}@5:high`,
      `${RULE}@6:high`,
      `${RULE}@7:high`,
      `${RULE}@8:high`,
    ]);
  });

  it('does not flag calls that set a timeout, forward unknown options, or use a shadowed fetch [-failure-mode/http-call-without-timeout]', async () => {
    const head = [
      "import axios from 'axios';",
      "import got from 'got';",
      "import { fetch } from './test-doubles';",
      "app.post('/x', async (req, res) => {",
      '  await fetch(A);', // imported from a local module, not the global fetch
      '  await axios.get(B, { timeout: 2000 });',
      '  await axios.post(C, body, options);', // options not visible
      '  await axios.post(C, body, { ...defaults });',
      '  await got(D, { timeout: { request: 1000 } });',
      '  const client = axios.create({ baseURL: E, timeout: 5000 });',
      '});',
    ].join('\n');
    expect(
      only(
        await findingsOf(createFailureModeAnalyzer(), [
          { path: 'src/x.ts', head },
        ]),
      ),
    ).toEqual([]);
    const withSignal =
      'export const load = () => fetch(URL, { signal: AbortSignal.timeout(3000) });\n';
    expect(
      only(
        await findingsOf(createFailureModeAnalyzer(), [
          { path: 'src/y.js', head: withSignal },
        ]),
      ),
    ).toEqual([]);
  });

  it('treats axios.defaults.timeout in the same file as a timeout for default-instance calls', async () => {
    const head = [
      "import axios from 'axios';",
      'axios.defaults.timeout = 5000;',
      'export const get = (u) => axios.get(u);',
    ].join('\n');
    expect(
      only(
        await findingsOf(createFailureModeAnalyzer(), [
          { path: 'src/http.ts', head },
        ]),
      ),
    ).toEqual([]);
  });

  it('only looks at added lines', async () => {
    const base = 'export async function sync() {\n  await fetch(URL);\n}\n';
    const head =
      "export async function sync() {\n  await fetch(URL);\n  console.log('synced');\n}\n";
    const output = await runAnalyzer(createFailureModeAnalyzer(), [
      { path: 'src/sync.ts', base, head },
    ]);
    expect(output.findings).toEqual([]);
  });
});

describe('http-call-without-timeout: Python', () => {
  it('flags requests without timeout= (module, from-import and Session) and httpx with timeout=None', async () => {
    const head = [
      'import requests', // 1
      'import httpx',
      'from requests import post',
      '',
      '@app.post("/refunds")', // 5
      'def refund(order_id):',
      '    requests.get(f"{PAYMENTS}/orders/{order_id}")',
      '    post(PAYMENTS, json={"id": order_id})',
      '    return httpx.post(LEDGER, timeout=None)',
      '', // 10
      'session = requests.Session()',
      'def nightly():',
      '    session.get(REPORT_URL)',
      '    requests.get(REPORT_URL, timeout=None)',
    ].join('\n');
    expect(
      only(
        await findingsOf(createFailureModeAnalyzer(), [
          { path: 'app/refunds.py', head },
        ]),
      ),
    ).toEqual([
      `${RULE}@13:medium`,
      `${RULE}@14:medium`,
      `${RULE}@7:high`,
      `${RULE}@8:high`,
      `${RULE}@9:high`,
    ]);
  });

  it('does not flag requests with a timeout or **kwargs, nor httpx with its default timeout', async () => {
    const head = [
      'import requests',
      'import httpx',
      'def fetch(url, **kwargs):',
      '    requests.get(url, timeout=(3.05, 10))',
      '    requests.post(url, **kwargs)',
      '    httpx.get(url)',
      '    with httpx.Client() as client:',
      '        client.get(url)',
      '    other.get(url)',
    ].join('\n');
    expect(
      only(
        await findingsOf(createFailureModeAnalyzer(), [
          { path: 'app/fetch.py', head },
        ]),
      ),
    ).toEqual([]);
  });
});

describe('http-call-without-timeout: Go', () => {
  it('flags the default-client helpers and a client literal without Timeout', async () => {
    const head = [
      'package billing', // 1
      'import "net/http"',
      'func Handle(w http.ResponseWriter, r *http.Request) {',
      '  resp, err := http.Get(pricingURL)',
      '  _ = resp', // 5
      '  _ = err',
      '}',
      'var client = &http.Client{}',
    ].join('\n');
    expect(
      only(
        await findingsOf(createFailureModeAnalyzer(), [
          { path: 'billing/handler.go', head },
        ]),
      ),
    ).toEqual([`${RULE}@4:high`, `${RULE}@8:medium`]);
  });

  it('does not flag a client with Timeout, a custom Transport, or code that uses context deadlines', async () => {
    const withTimeout = [
      'package a',
      'import ("net/http"; "time")',
      'var c = &http.Client{Timeout: 10 * time.Second}',
      'var d = http.Client{Transport: tr}',
    ].join('\n');
    expect(
      only(
        await findingsOf(createFailureModeAnalyzer(), [
          { path: 'a/client.go', head: withTimeout },
        ]),
      ),
    ).toEqual([]);
    const withDeadline = [
      'package a',
      'import ("context"; "net/http"; "time")',
      'var c = &http.Client{}',
      'func call(ctx context.Context) {',
      '  ctx, cancel := context.WithTimeout(ctx, time.Second)',
      '  defer cancel()',
      '  req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)',
      '  c.Do(req)',
      '}',
    ].join('\n');
    expect(
      only(
        await findingsOf(createFailureModeAnalyzer(), [
          { path: 'a/deadline.go', head: withDeadline },
        ]),
      ),
    ).toEqual([]);
  });
});

describe('http-call-without-timeout: Java', () => {
  it('flags HttpClient/HttpRequest without timeouts, bare RestTemplate and URLConnection without timeouts', async () => {
    const head = [
      'class PricingClient {', // 1
      '  private final RestTemplate rest = new RestTemplate();',
      '  @GetMapping("/price")',
      '  Price price() throws Exception {',
      '    HttpClient client = HttpClient.newHttpClient();', // 5
      '    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).GET().build();',
      '    URLConnection conn = new URL(url).openConnection();',
      '    conn.setConnectTimeout(1000);',
      '    return null;',
      '  }', // 10
      '  HttpClient built = HttpClient.newBuilder().followRedirects(NORMAL).build();',
      '}',
    ].join('\n');
    expect(
      only(
        await findingsOf(createFailureModeAnalyzer(), [
          { path: 'src/PricingClient.java', head },
        ]),
      ),
    ).toEqual([
      `${RULE}@11:medium`,
      `${RULE}@2:medium`,
      `${RULE}@5:high`,
      `${RULE}@6:high`,
      `${RULE}@7:high`,
    ]);
  });

  it('does not flag clients and requests configured with timeouts', async () => {
    const head = [
      'class Ok {',
      '  HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();',
      '  HttpRequest r = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();',
      '  RestTemplate t = new RestTemplate(factory);',
      '  void open() throws Exception {',
      '    URLConnection conn = url.openConnection();',
      '    conn.setConnectTimeout(1000);',
      '    conn.setReadTimeout(5000);',
      '  }',
      '}',
    ].join('\n');
    expect(
      only(
        await findingsOf(createFailureModeAnalyzer(), [
          { path: 'src/Ok.java', head },
        ]),
      ),
    ).toEqual([]);
  });
});
