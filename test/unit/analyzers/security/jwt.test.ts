import { describe, expect, it } from 'vitest';
import { added } from './build-input.ts';
import { analyze, summary } from './run.ts';

async function jwtFindings(
  ...files: Parameters<typeof analyze>
): Promise<string[]> {
  const output = await analyze(...files);
  return summary(
    output.findings.filter((f) => f.ruleId.startsWith('security/jwt-')),
  );
}

describe('JWT rules', () => {
  it('flags the none algorithm, hard-coded keys, fallbacks and missing expiry with jsonwebtoken [+security/jwt-none-algorithm +security/jwt-hardcoded-secret +security/jwt-without-expiry]', async () => {
    const file = added(
      'src/auth/tokens.ts',
      `
import jwt from 'jsonwebtoken';
const SECRET = 'dev-secret-123';
export function issue(user) {
  const a = jwt.sign({ sub: user.id }, 'hunter2', { expiresIn: '1h' });
  const b = jwt.sign({ sub: user.id }, SECRET, { expiresIn: '1h' });
  const c = jwt.sign({ sub: user.id }, process.env.JWT_SECRET || 'changeme', { expiresIn: '1h' });
  const d = jwt.sign({ sub: user.id }, process.env.JWT_SECRET);
  const e = jwt.verify(token, process.env.JWT_SECRET, { algorithms: ['HS256', 'none'] });
  const f = jwt.sign({ sub: user.id, exp: Math.floor(Date.now() / 1000) + 600 }, process.env.JWT_SECRET);
  const g = jwt.sign(payload, process.env.JWT_SECRET, options);
  return [a, b, c, d, e, f, g];
}
`,
    );
    expect(await jwtFindings(file)).toEqual([
      'jwt-hardcoded-secret@4:high',
      'jwt-hardcoded-secret@5:high',
      'jwt-hardcoded-secret@6:medium',
      'jwt-without-expiry@7:medium',
      'jwt-none-algorithm@8:high',
    ]);
  });

  it('flags jwt.decode only when the file never verifies [+security/jwt-decode-without-verify]', async () => {
    const decodeOnly = added(
      'src/auth/middleware.ts',
      `
import jwt from 'jsonwebtoken';
export function user(req) {
  const claims = jwt.decode(req.headers.authorization.slice(7));
  return claims.sub;
}
`,
    );
    const decodeThenVerify = added(
      'src/auth/keys.ts',
      `
import jwt from 'jsonwebtoken';
export function verify(token, keys) {
  const { header } = jwt.decode(token, { complete: true });
  return jwt.verify(token, keys[header.kid], { algorithms: ['RS256'] });
}
`,
    );
    expect(await jwtFindings(decodeOnly, decodeThenVerify)).toEqual([
      'jwt-decode-without-verify@3:medium',
    ]);
  });

  it('covers PyJWT', async () => {
    const file = added(
      'app/auth.py',
      `
import jwt, os
def tokens(token, user):
    claims = jwt.decode(token, options={"verify_signature": False})
    issued = jwt.encode({"sub": user.id}, "s3cret", algorithm="HS256")
    key = os.environ.get("JWT_KEY", "fallback-key")
    checked = jwt.decode(token, key, algorithms=["none"])
    good = jwt.encode({"sub": user.id, "exp": expiry}, os.environ["JWT_KEY"], algorithm="HS256")
`,
    );
    expect(await jwtFindings(file)).toEqual([
      'jwt-decode-without-verify@3:high',
      'jwt-hardcoded-secret@4:high',
      'jwt-without-expiry@4:medium',
      'jwt-hardcoded-secret@6:medium',
      'jwt-none-algorithm@6:high',
    ]);
  });

  it('covers golang-jwt and Java libraries', async () => {
    const go = added(
      'internal/auth/jwt.go',
      `
package auth

func Issue(id string) (string, error) {
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": id})
	return token.SignedString([]byte("super-secret"))
}

func Read(raw string) {
	t, _, _ := jwt.NewParser().ParseUnverified(raw, jwt.MapClaims{})
	_ = jwt.SigningMethodNone
}
`,
    );
    const java = added(
      'src/main/java/app/Tokens.java',
      `
class Tokens {
  String issue(String user) {
    return JWT.create().withSubject(user).sign(Algorithm.HMAC256("secret"));
  }
  String ok(String user) {
    return JWT.create().withSubject(user).withExpiresAt(expiry).sign(algorithm);
  }
}
`,
    );
    expect(await jwtFindings(go, java)).toEqual([
      'jwt-without-expiry@4:medium',
      'jwt-hardcoded-secret@5:high',
      'jwt-decode-without-verify@9:medium',
      'jwt-none-algorithm@10:high',
      'jwt-hardcoded-secret@3:high',
      'jwt-without-expiry@3:medium',
    ]);
  });
});
