import { describe, expect, it } from 'vitest';
import { createSecretRedactor } from '../../../../src/analyzers/secrets/index.ts';

const GITHUB_TOKEN = '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';
const SLACK_TOKEN = 'xoxb-23984754863-2348975623000-AAAAANzjawSSE9krECohd';
const JWT =
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

async function redact(text: string, path = 'src/config.ts'): Promise<string> {
  const result = await createSecretRedactor().redact(path, text);
  expect(result.split('\n')).toHaveLength(text.split('\n').length);
  expect(result).toHaveLength(text.length);
  return result;
}

describe('secret redactor', () => {
  it('masks provider tokens secretlint finds, even under a secretlint-disable comment', async () => {
    const text = [
      `const gh = "${GITHUB_TOKEN}"; // secretlint-disable-line`,
      'const region = "eu";',
      `slack: ${SLACK_TOKEN}`,
    ].join('\n');
    const result = await redact(text);
    expect(result).not.toContain(GITHUB_TOKEN.slice(4));
    expect(result).not.toContain(SLACK_TOKEN.slice(5));
    expect(result).toContain('const region = "eu";');
    expect(result).toContain('// secretlint-disable-line');
  });

  it('masks generic credentials: assignments, env lines, URL passwords, bearer tokens, JWTs, AWS key ids', async () => {
    const lines = [
      'const dbPassword = "correct-horse-battery";',
      'API_KEY=sk_live_abcdefghijklmnop',
      'url = "postgres://app:Sup3rS3cret@db:5432/app"',
      'headers: { Authorization: "Bearer abcdefghijklmnopqrstuvwxyz012345" }',
      `const session = "${JWT}";`,
      'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
    ];
    const result = (await redact(lines.join('\n'))).split('\n');
    expect(result[0]).toBe('const dbPassword = "*********************";');
    expect(result[1]).toBe('API_KEY=************************');
    expect(result[2]).toMatch(/^url = "[^*]*\*{11,}/);
    expect(result[2]).not.toContain('Sup3rS3cret');
    expect(result[3]).toBe(
      'headers: { Authorization: "Bearer ********************************" }',
    );
    expect(result[4]).not.toContain('eyJ');
    expect(result[5]).not.toContain('AKIA');
  });

  it('masks a private key block through its END line, and a cut-off block through its last key line', async () => {
    const full = [
      'key:',
      '-----BEGIN PRIVATE KEY-----',
      'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
      'BKcwggSjAgEAAoIBAQC7',
      '-----END PRIVATE KEY-----',
      'next: 1',
    ].join('\n');
    const masked = (await redact(full)).split('\n');
    expect(masked[0]).toBe('key:');
    expect(masked.slice(1, 5).every((line) => /^\*+$/.test(line))).toBe(true);
    expect(masked[5]).toBe('next: 1');
    const cut = [
      'const pem = `-----BEGIN OPENSSH PRIVATE KEY-----',
      'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ',
      'AAAAMwAAAAtzc2gtZWQyNTUxOQ',
      'export const x = 1;',
    ].join('\n');
    const cutMasked = (await redact(cut)).split('\n');
    expect(cutMasked[0]).toMatch(/^const pem = `\*{35}$/);
    expect(cutMasked[1]).toMatch(/^\*+$/);
    expect(cutMasked[2]).toMatch(/^\*+$/);
    expect(cutMasked[3]).toBe('export const x = 1;');
  });

  it('leaves ordinary code, references and placeholders alone', async () => {
    const text = [
      'const password = req.body.password;',
      'const token = process.env.API_TOKEN;',
      'DATABASE_URL=postgres://app:${DB_PASSWORD}@db/app',
      'if (!secret) throw new Error("missing secret");',
      'logger.info({ tokenCount: tokens.length });',
    ].join('\n');
    expect(await redact(text)).toBe(text);
  });
});
