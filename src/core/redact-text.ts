import type { Hunk } from './diff/parse-patch.ts';
import type { Logger } from './logger.ts';
import type { SecretRedactor } from './ports.ts';

/**
 * Free text bound for the model (a pull request's title and description, a review thread) with its
 * secrets masked. If masking fails the text is left out: it never leaves unmasked.
 */
export async function redactText(
  redactor: SecretRedactor | undefined,
  label: string,
  text: string | undefined,
  logger: Logger,
): Promise<string | undefined> {
  if (!redactor || !text) return text;
  try {
    return await redactor.redact(label, text);
  } catch (error) {
    logger.error(
      { err: error, what: label },
      'secret redaction failed; the text is left out of the model request',
    );
    return undefined;
  }
}

/** Secrets never reach the model: the redactor masks them across the file's diff text, line for line. */
export async function redactHunks(
  redactor: SecretRedactor,
  path: string,
  hunks: Hunk[],
): Promise<Hunk[]> {
  const lines = hunks.flatMap((hunk) => hunk.lines.map((line) => line.text));
  const redacted = (await redactor.redact(path, lines.join('\n'))).split('\n');
  if (redacted.length !== lines.length)
    throw new Error(`redactor changed the line count of ${path}`);
  let i = 0;
  return hunks.map((hunk) => ({
    ...hunk,
    lines: hunk.lines.map((line) => ({ ...line, text: redacted[i++]! })),
  }));
}
