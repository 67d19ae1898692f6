import { describe, expect, it } from 'vitest';
import { added } from './build-input.ts';
import { analyze, hits } from './run.ts';

describe('security/secret-in-log', () => {
  it('flags credentials passed to loggers and console in JS/TS [+security/secret-in-log]', async () => {
    const file = added(
      'src/auth/login.ts',
      `
export async function login(req, logger) {
  logger.info({ user: req.body.email, password: req.body.password }, 'login attempt');
  console.log('auth header', req.headers.authorization);
  req.log.debug(\`issued \${accessToken}\`);
  logger.info({ token }, 'issued');
  logger.info({ hasToken: !!token, tokenCount: tokens.length }, 'state');
  logger.info('token refreshed', { tokenExpiresAt });
  logger.warn({ token: '[redacted]' });
  logger.info({ token: mask(token) });
  console.log(token.length);
  audit.info('password changed', { userId });
}
`,
    );
    expect(await hits('secret-in-log', file)).toEqual([
      'src/auth/login.ts:2:high',
      'src/auth/login.ts:3:high',
      'src/auth/login.ts:4:high',
      'src/auth/login.ts:5:high',
    ]);
  });

  it('covers Python logging/print, Go log/slog/zap and Java loggers', async () => {
    const py = added(
      'app/views.py',
      `
def login(request, user):
    logger.info("login %s %s", user.email, user.password)
    print(f"token={request.headers['Authorization']}")
    logging.info("login ok for %s", user.email)
`,
    );
    const go = added(
      'internal/auth/log.go',
      `
package auth

func Log(r *http.Request, token string) {
	log.Printf("token %s", token)
	slog.Info("login", "apiKey", key)
	logger.Info("auth", zap.String("authorization", r.Header.Get("Authorization")))
	log.Printf("user %s", user)
}
`,
    );
    const java = added(
      'src/main/java/app/Auth.java',
      `
class Auth {
  void login(String user, String password) {
    log.info("login {} {}", user, password);
    System.out.println("secret: " + clientSecret);
    log.info("login {}", user);
  }
}
`,
    );
    expect(await hits('secret-in-log', py, go, java)).toEqual([
      'app/views.py:2:high',
      'app/views.py:3:high',
      'internal/auth/log.go:4:high',
      'internal/auth/log.go:5:high',
      'internal/auth/log.go:6:high',
      'src/main/java/app/Auth.java:3:high',
      'src/main/java/app/Auth.java:4:high',
    ]);
  });

  it('names the credential but never quotes a value', async () => {
    const file = added('src/a.ts', `logger.info({ apiKey: config.apiKey });\n`);
    const [finding] = (await analyze(file)).findings;
    expect(finding).toMatchObject({
      ruleId: 'security/secret-in-log',
      title: 'Credential `apiKey` is written to the logs',
      lines: { start: 1, end: 1 },
    });
  });
});
