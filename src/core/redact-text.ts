import type { Logger } from './logger.ts';
import type { SecretRedactor } from './ports.ts';

/**
 * Free text bound for the model (a pull request's title and description, a review thread) with its
 * secrets masked. If masking fails the text is left out: it never leaves unmasked.
 */
export async function redactText(redactor: SecretRedactor | undefined, label: string, text: string | undefined, logger: Logger): Promise<string | undefined> {
  if (!redactor || !text) return text;
  try {
    return await redactor.redact(label, text);
  } catch (error) {
    logger.error({ err: error, what: label }, 'secret redaction failed; the text is left out of the model request');
    return undefined;
  }
}
