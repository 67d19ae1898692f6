import { ProbotOctokit } from 'probot';
import { describe, expect, it } from 'vitest';
import type { SecretRedactor } from '../../../src/core/ports.ts';
import { createSecretRedactor } from '../../../src/analyzers/secrets/redactor.ts';
import {
  MASK,
  maskOutgoing,
  maskedValues,
  maskText,
  rememberedSecrets,
  rememberingRedactor,
  withSecretScope,
} from '../../../src/github/client/outgoing-mask.ts';

// Built at run time, so no scanner flags this file.
const AWS_KEY_ID = ['AKIA', 'ZXCVBNMASDFGHJKL'].join('');
const PASSWORD = ['correct', '-horse-', 'battery'].join('');

describe('outgoing masking', () => {
  const redactor = createSecretRedactor();

  it('remembers what the redactor masked for the model, within the job`s scope only', async () => {
    const remembering = rememberingRedactor(redactor);
    const seen = await withSecretScope(async () => {
      await remembering.redact(
        'src/db.ts',
        `const dbPassword = "${PASSWORD}";\nconst region = 'eu-west-1';`,
      );
      return [...rememberedSecrets()];
    });
    expect(seen).toEqual([PASSWORD]);
    expect([...rememberedSecrets()]).toEqual([]);
  });

  it('masks remembered secrets and secret-shaped text, and leaves the rest as it was', async () => {
    const text = `Rotate ${AWS_KEY_ID} and ${PASSWORD}; see \`src/db.ts\` line 3.`;
    expect(await maskText(text, redactor, new Set([PASSWORD]))).toBe(
      `Rotate ${MASK} and ${MASK}; see \`src/db.ts\` line 3.`,
    );
    expect(await maskText('Nothing secret here.', redactor, new Set())).toBe(
      'Nothing secret here.',
    );
  });

  it('finds the masked runs of a redaction, line by line', () => {
    expect(maskedValues('a = "0123456789"\nb', 'a = "**********"\nb')).toEqual([
      '0123456789',
    ]);
    expect(maskedValues('***', '***')).toEqual([]);
  });

  it('masks every text field of a write in one scan, leaves identifiers and the caller`s objects alone, and never touches reads', async () => {
    const sent: unknown[] = [];
    const octokit = new ProbotOctokit({
      auth: { token: 'ghs_test' },
      throttle: { enabled: false },
      retry: { enabled: false },
      request: {
        fetch: async (_url: string, init: { body?: string }) => {
          sent.push(
            init.body === undefined ? undefined : JSON.parse(init.body),
          );
          return new Response('{}', {
            status: 200,
            headers: { 'content-type': 'application/json' },
          });
        },
      },
    });
    let scans = 0;
    const counting: SecretRedactor = {
      redact: (path, text) => (scans++, redactor.redact(path, text)),
    };
    maskOutgoing(octokit, { redactor: counting });
    const comments = [
      {
        path: `src/${AWS_KEY_ID}.ts`,
        line: 3,
        body: `Key ${AWS_KEY_ID} is committed.`,
      },
    ];
    await octokit.request(
      'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
      {
        owner: 'o',
        repo: 'r',
        pull_number: 1,
        commit_id: 'a'.repeat(40),
        body: `Summary: ${AWS_KEY_ID}`,
        comments,
      },
    );
    expect(sent[0]).toEqual({
      commit_id: 'a'.repeat(40),
      body: `Summary: ${MASK}`,
      comments: [
        {
          path: `src/${AWS_KEY_ID}.ts`,
          line: 3,
          body: `Key ${MASK} is committed.`,
        },
      ],
    });
    expect(comments[0]!.body).toContain(AWS_KEY_ID);
    expect(scans).toBe(1);
    await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
      owner: 'o',
      repo: 'r',
      pull_number: 1,
    });
    expect(scans).toBe(1);
  });
});
