import { describe, expect, it } from 'vitest';
import { added } from './build-input.ts';
import { analyze, summary } from './run.ts';

describe('Kotlin and Ruby coverage', () => {
  it('finds logging, TLS and injection problems in Kotlin', async () => {
    const file = added(
      'src/main/kotlin/app/Client.kt',
      `
class TrustAll : X509TrustManager {
    override fun checkServerTrusted(chain: Array<X509Certificate>, authType: String) {}
}
fun login(user: String, password: String) {
    logger.info("login {} {}", user, password)
    println("token=$accessToken")
    Runtime.getRuntime().exec("ping " + host)
    logger.info("login {}", user)
}
`,
    );
    expect(summary((await analyze(file)).findings)).toEqual([
      'tls-verification-disabled@2:high',
      'secret-in-log@5:high',
      'secret-in-log@6:high',
      'command-injection@7:high',
    ]);
  });

  it('finds logging, hashing and TLS problems in Ruby', async () => {
    const file = added(
      'app/services/auth.rb',
      `
class Auth
  def login(user, password)
    logger.info "login #{user.email} #{password}"
    digest = Digest::MD5.hexdigest(password)
    hashed = BCrypt::Password.create(password, cost: 4)
    http.verify_mode = OpenSSL::SSL::VERIFY_NONE
    puts user.email
  end
end
`,
    );
    expect(summary((await analyze(file)).findings)).toEqual([
      'secret-in-log@3:high',
      'weak-password-hash@4:high',
      'bcrypt-low-cost@5:medium',
      'tls-verification-disabled@6:high',
    ]);
  });

  it('finds reflected CORS headers set by hand in Go', async () => {
    const file = added(
      'internal/http/cors.go',
      `
package http

func withCORS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
	w.Header().Set("Access-Control-Allow-Credentials", "true")
}
`,
    );
    expect(summary((await analyze(file)).findings)).toEqual([
      'cors-credentials-any-origin@4:high',
    ]);
  });
});
