import { describe, expect, it } from 'vitest';
import { createSecretRedactor } from '../../../src/analyzers/secrets/redactor.ts';
import { MASK, maskedValues, maskText, rememberedSecrets, rememberingRedactor, withSecretScope } from '../../../src/github/outgoing-mask.ts';

// Built at run time, so no scanner flags this file.
const AWS_KEY_ID = ['AKIA', 'ZXCVBNMASDFGHJKL'].join('');
const PASSWORD = ['correct', '-horse-', 'battery'].join('');

describe('outgoing masking', () => {
  const redactor = createSecretRedactor();

  it('remembers what the redactor masked for the model, within the job`s scope only', async () => {
    const remembering = rememberingRedactor(redactor);
    const seen = await withSecretScope(async () => {
      await remembering.redact('src/db.ts', `const dbPassword = "${PASSWORD}";\nconst region = 'eu-west-1';`);
      return [...rememberedSecrets()];
    });
    expect(seen).toEqual([PASSWORD]);
    expect([...rememberedSecrets()]).toEqual([]);
  });

  it('masks remembered secrets and secret-shaped text, and leaves the rest as it was', async () => {
    const text = `Rotate ${AWS_KEY_ID} and ${PASSWORD}; see \`src/db.ts\` line 3.`;
    expect(await maskText(text, redactor, new Set([PASSWORD]))).toBe(`Rotate ${MASK} and ${MASK}; see \`src/db.ts\` line 3.`);
    expect(await maskText('Nothing secret here.', redactor, new Set())).toBe('Nothing secret here.');
  });

  it('finds the masked runs of a redaction, line by line', () => {
    expect(maskedValues('a = "0123456789"\nb', 'a = "**********"\nb')).toEqual(['0123456789']);
    expect(maskedValues('***', '***')).toEqual([]);
  });
});
