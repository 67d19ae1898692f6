/**
 * Name tests over identifiers: split `accessToken`, `API_KEY`, `x-api-key` into words and look at
 * what the name ends with, so `token` and `userPassword` count and `tokenCount` does not.
 */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const SECRET_LAST = new Set([
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'authorization',
  'apikey',
  'cookie',
  'cookies',
  'credential',
  'credentials',
  'jwt',
  'bearer',
]);
const SECRET_PAIRS = new Set([
  'api key',
  'private key',
  'secret key',
  'access key',
  'session id',
  'signing key',
  'set cookie',
  'client secret',
]);

/** Leading words that make a name a flag or a question about the credential, not the credential. */
const FLAG_PREFIX = new Set([
  'has',
  'is',
  'should',
  'can',
  'needs',
  'need',
  'requires',
  'require',
  'with',
  'without',
  'no',
  'missing',
  'valid',
  'invalid',
  'use',
  'uses',
  'show',
  'hide',
  'allow',
  'enable',
  'disable',
]);

/** A name whose value is a credential: `password`, `accessToken`, `req.headers.authorization`, `API_KEY`. */
export function isSecretName(name: string): boolean {
  const parts = words(name.slice(name.lastIndexOf('.') + 1));
  const last = parts.at(-1);
  if (!last || FLAG_PREFIX.has(parts[0]!)) return false;
  if (SECRET_LAST.has(last)) return !(last === 'jwt' && parts.length === 1);
  return parts.length >= 2 && SECRET_PAIRS.has(`${parts.at(-2)} ${last}`);
}

const PASSWORD_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'pass',
]);

/** A name about a password anywhere in it: `hashPassword`, `user_pwd`, `newPass`. */
export function isPasswordName(name: string): boolean {
  return words(name).some((word) => PASSWORD_WORDS.has(word));
}

const RANDOM_SECRET_WORDS = new Set([
  'token',
  'secret',
  'password',
  'passwd',
  'nonce',
  'salt',
  'otp',
  'apikey',
  'csrf',
  'passphrase',
]);
const RANDOM_SECRET_PAIRS = new Set([
  'api key',
  'session id',
  'reset code',
  'verification code',
  'auth code',
  'secret key',
  'invite code',
]);
/** Words after which a name is about the secret's metadata, not the secret. */
const METADATA_TAIL = new Set([
  'index',
  'idx',
  'count',
  'length',
  'len',
  'size',
  'type',
  'name',
  'expiry',
  'expires',
  'ttl',
  'timeout',
  'delay',
  'label',
  'field',
  'header',
  'url',
  'prefix',
  'at',
  'ms',
  'seconds',
]);

/** A name for something that must be unguessable: `resetToken`, `sessionId`, `nonce`, `generateSecret`. */
export function isUnguessableName(name: string): boolean {
  const parts = words(name);
  if (parts.length === 0 || METADATA_TAIL.has(parts.at(-1)!)) return false;
  if (parts.some((word) => RANDOM_SECRET_WORDS.has(word))) return true;
  return parts.some(
    (word, i) => i > 0 && RANDOM_SECRET_PAIRS.has(`${parts[i - 1]} ${word}`),
  );
}

/** `MAX_ROWS`, `Tables.USERS`: constants by naming convention. */
export function isConstantName(name: string): boolean {
  const last = name.split(/[.:]/).at(-1) ?? '';
  return /^[A-Z][A-Z0-9_]*$/.test(last) && /[A-Z]/.test(last);
}
