import { describe, expect, it } from 'vitest';
import { added } from './build-input.ts';
import { analyze, summary } from './run.ts';

const RULES = new Set([
  'security/weak-password-hash',
  'security/bcrypt-low-cost',
  'security/insecure-random',
]);

async function cryptoFindings(
  ...files: Parameters<typeof analyze>
): Promise<string[]> {
  return summary(
    (await analyze(...files)).findings.filter((f) => RULES.has(f.ruleId)),
  );
}

describe('weak hashing and randomness', () => {
  it('flags MD5/SHA-1 of passwords, low bcrypt cost and Math.random tokens in JS/TS [+security/weak-password-hash +security/bcrypt-low-cost +security/insecure-random]', async () => {
    const file = added(
      'src/auth/passwords.ts',
      `
import crypto from 'node:crypto';
import bcrypt from 'bcrypt';
export function hashPassword(pw: string) {
  return crypto.createHash('sha1').update(pw).digest('hex');
}
export async function store(user, password: string) {
  user.hash = crypto.createHash('md5').update(password).digest('hex');
  user.bcrypt = await bcrypt.hash(password, 8);
  user.resetToken = Math.random().toString(36).slice(2);
  const etag = crypto.createHash('md5').update(user.body).digest('hex');
  const strong = await bcrypt.hash(password, 12);
  const jitter = Math.random() * 100;
  const tokenCount = Math.floor(Math.random() * 10);
}
export function generateApiKey() {
  return Math.random().toString(36).slice(2);
}
`,
    );
    expect(await cryptoFindings(file)).toEqual([
      'weak-password-hash@4:high',
      'weak-password-hash@7:high',
      'bcrypt-low-cost@8:medium',
      'insecure-random@9:high',
      'insecure-random@16:high',
    ]);
  });

  it('covers Python, Go and Java', async () => {
    const python = added(
      'app/users.py',
      `
import hashlib, random, bcrypt
def set_password(user, password):
    user.digest = hashlib.md5(password.encode()).hexdigest()
    user.salt = bcrypt.gensalt(rounds=6)
    user.reset_token = "".join(random.choices("abcdef0123456789", k=32))
    checksum = hashlib.md5(data).hexdigest()
    delay = random.random()
`,
    );
    const go = added(
      'internal/users/hash.go',
      `
package users

import "math/rand"

func HashPassword(password string) [16]byte {
	return md5.Sum([]byte(password))
}

func Issue() {
	sessionToken := rand.Int63()
	hashed, _ := bcrypt.GenerateFromPassword(pw, bcrypt.MinCost)
	backoff := rand.Intn(100)
}
`,
    );
    const java = added(
      'src/main/java/app/Passwords.java',
      `
class Passwords {
  byte[] hash(String password) throws Exception {
    MessageDigest md = MessageDigest.getInstance("MD5");
    return md.digest(password.getBytes());
  }
  PasswordEncoder encoder() { return new BCryptPasswordEncoder(4); }
  String checksum(byte[] data) throws Exception { return hex(MessageDigest.getInstance("SHA-1").digest(data)); }
}
`,
    );
    expect(await cryptoFindings(python, go, java)).toEqual([
      'weak-password-hash@3:high',
      'bcrypt-low-cost@4:medium',
      'insecure-random@5:high',
      'weak-password-hash@6:high',
      'insecure-random@10:high',
      'bcrypt-low-cost@11:medium',
      'weak-password-hash@3:high',
      'bcrypt-low-cost@6:medium',
    ]);
  });
});
