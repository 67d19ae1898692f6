import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The App's private key from PRIVATE_KEY (PEM, base64-encoded PEM, or PEM with `\n` escapes, as
 * Probot accepts it) or PRIVATE_KEY_PATH. Throws with a message naming the variable at fault.
 */
export function resolvePrivateKey(
  env: { PRIVATE_KEY?: string; PRIVATE_KEY_PATH?: string },
  cwd = process.cwd(),
): string {
  let pem: string;
  let origin: string;
  if (env.PRIVATE_KEY) {
    origin = 'PRIVATE_KEY';
    pem = env.PRIVATE_KEY;
    if (!pem.includes('-----BEGIN'))
      pem = Buffer.from(pem.trim(), 'base64').toString('utf8');
    pem = pem.replace(/\\n/g, '\n');
  } else if (env.PRIVATE_KEY_PATH) {
    origin = `PRIVATE_KEY_PATH (${env.PRIVATE_KEY_PATH})`;
    try {
      pem = readFileSync(resolve(cwd, env.PRIVATE_KEY_PATH), 'utf8');
    } catch (error) {
      throw new Error(
        `${origin} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  } else {
    throw new Error(
      'PRIVATE_KEY or PRIVATE_KEY_PATH must be set to the GitHub App private key',
    );
  }
  try {
    createPrivateKey(pem);
  } catch {
    throw new Error(`${origin} does not hold a valid PEM private key`);
  }
  return pem;
}
