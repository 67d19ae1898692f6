import { describe, expect, it } from 'vitest';
import { createFailureModeAnalyzer } from '../../../../src/analyzers/failure-modes/index.ts';
import { findingsOf } from './change-set-builder.ts';

const RULE = 'failure-mode/retry-without-idempotency-key';
const check = async (path: string, head: string) =>
  (await findingsOf(createFailureModeAnalyzer(), [{ path, head }])).filter(
    (f) => f.startsWith(RULE),
  );

describe('retry-without-idempotency-key', () => {
  it('JavaScript: a POST inside a retry loop, and got configured to retry POST [+failure-mode/retry-without-idempotency-key]', async () => {
    const head = [
      "import axios from 'axios';", // 1
      "import got from 'got';",
      'export async function charge(order) {',
      '  for (let attempt = 0; attempt < 3; attempt++) {',
      '    try {', // 5
      '      return await axios.post(PSP_URL, order, { timeout: 5000 });',
      '    } catch (err) {',
      '      await sleep(2 ** attempt * 100);',
      '    }',
      '  }', // 10
      '}',
      'export const api = got.extend({ timeout: { request: 5000 }, retry: { limit: 3, methods: ["GET", "POST"] } });',
    ].join('\n');
    expect(await check('src/charge.ts', head)).toEqual([
      `${RULE}@12:medium`,
      `${RULE}@6:medium`,
    ]);
  });

  it('JavaScript: not when an idempotency key is sent, or when the retried request is a GET [-failure-mode/retry-without-idempotency-key]', async () => {
    const head = [
      "import axios from 'axios';",
      'export async function charge(order) {',
      '  const key = randomUUID();',
      '  for (let attempt = 0; attempt < 3; attempt++) {',
      '    try {',
      "      return await axios.post(PSP_URL, order, { timeout: 5000, headers: { 'Idempotency-Key': key } });",
      '    } catch (err) { await sleep(2 ** attempt * 100); }',
      '  }',
      '}',
      'export async function read(id) {',
      '  for (let attempt = 0; attempt < 3; attempt++) {',
      '    try { return await axios.get(`${API}/${id}`, { timeout: 5000 }); }',
      '    catch (err) { await sleep(2 ** attempt * 100); }',
      '  }',
      '}',
    ].join('\n');
    expect(await check('src/ok.ts', head)).toEqual([]);
  });

  it('Python: urllib3 Retry allowing POST, and a POST in a retry loop', async () => {
    const head = [
      'import requests', // 1
      'from urllib3.util.retry import Retry',
      'retries = Retry(total=3, backoff_factor=0.5, allowed_methods=["GET", "POST"])',
      'safe = Retry(total=3, backoff_factor=0.5)',
      'def submit(payload):', // 5
      '    for attempt in range(3):',
      '        try:',
      '            return requests.post(URL, json=payload, timeout=5)',
      '        except requests.RequestException:',
      '            time.sleep(2 ** attempt)', // 10
    ].join('\n');
    expect(await check('app/submit.py', head)).toEqual([
      `${RULE}@3:medium`,
      `${RULE}@8:medium`,
    ]);
  });

  it('Go and Java: a POST request sent in a retry loop, and @Retryable around a POST', async () => {
    const go = [
      'package pay', // 1
      'import "net/http"',
      'func Charge(body []byte) (*http.Response, error) {',
      '  req, _ := http.NewRequest(http.MethodPost, pspURL, bytes.NewReader(body))',
      '  for i := 0; i < 3; i++ {', // 5
      '    resp, err := client.Do(req)',
      '    if err == nil {',
      '      return resp, nil',
      '    }',
      '    time.Sleep(time.Duration(i+1) * time.Second)', // 10
      '  }',
      '  return nil, errors.New("failed")',
      '}',
    ].join('\n');
    expect(await check('pay/charge.go', go)).toEqual([`${RULE}@6:medium`]);
    const java = [
      'class Payments {', // 1
      '  @Retryable(maxAttempts = 3)',
      '  Receipt charge(Order o) {',
      '    return restTemplate.postForObject(pspUrl, o, Receipt.class);',
      '  }', // 5
      '  @Retryable(maxAttempts = 3)',
      '  Receipt status(String id) {',
      '    return restTemplate.getForObject(pspUrl + id, Receipt.class);',
      '  }',
      '}', // 10
    ].join('\n');
    expect(await check('src/Payments.java', java)).toEqual([
      `${RULE}@4:medium`,
    ]);
  });
});
