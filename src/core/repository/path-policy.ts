/**
 * Which repository paths the model's tools may touch. Paths come from the model, which reads
 * attacker-controlled code, so every one is checked before any adapter sees it.
 */

/** Files that hold credentials by their nature; they are refused outright, masked or not. */
const SECRET_FILE_PATTERNS: RegExp[] = [
  /(?:^|\/)\.env(?:\.[^/]*)?$/i,
  /(?:^|\/)\.envrc$/i,
  /\.(?:pem|key|p12|pfx|jks|keystore|kdbx|ppk|asc|gpg|tfstate|tfvars)$/i,
  /(?:^|\/)id_(?:rsa|dsa|ecdsa|ed25519)(?:\.pub)?$/i,
  /(?:^|\/)\.(?:npmrc|pypirc|netrc|pgpass|htpasswd|git-credentials|dockercfg)$/i,
  /(?:^|\/)\.docker\/config\.json$/i,
  /(?:^|\/)\.aws\/credentials$/i,
  /(?:^|\/)(?:credentials|secrets?)(?:\.[a-z0-9]+)?$/i,
  /(?:^|\/)[^/]*(?:service[-_]?account|client[-_]?secret)[^/]*\.json$/i,
  /(?:^|\/)(?:master\.key|credentials\.yml\.enc)$/i,
];

export type PathCheck =
  | { ok: true; path: string }
  | { ok: false; reason: string };

/** The normalised repository-relative path, or why the tools will not touch it. */
export function checkToolPath(raw: string): PathCheck {
  if (typeof raw !== 'string' || raw.trim() === '')
    return { ok: false, reason: 'the path is empty' };
  if (raw.length > 1000) return { ok: false, reason: 'the path is too long' };
  if (/[\u0000-\u001f]/.test(raw))
    return { ok: false, reason: 'the path contains control characters' };
  let path = raw.trim().replace(/\\/g, '/');
  if (path.startsWith('/') || /^[a-z]:\//i.test(path))
    return {
      ok: false,
      reason:
        'absolute paths are outside the repository; give a path relative to its root',
    };
  path = path
    .replace(/^(?:\.\/)+/, '')
    .replace(/\/{2,}/g, '/')
    .replace(/\/$/, '');
  const segments = path.split('/');
  if (segments.some((s) => s === '..'))
    return {
      ok: false,
      reason: '".." is not allowed: paths must stay inside the repository',
    };
  if (segments.some((s) => s.toLowerCase() === '.git'))
    return {
      ok: false,
      reason: 'the .git directory is not part of the reviewed code',
    };
  const clean = segments.filter((s) => s !== '.').join('/');
  if (clean === '')
    return {
      ok: false,
      reason: 'the path names the repository root, not a file',
    };
  return { ok: true, path: clean };
}

/** True for files whose whole purpose is to hold secrets (.env, private keys, credential stores). */
export function isSecretBearingPath(path: string): boolean {
  return SECRET_FILE_PATTERNS.some((pattern) => pattern.test(path));
}

/** Git's own test for binary content: a NUL byte near the start. */
export function looksBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8000).includes(0);
}
