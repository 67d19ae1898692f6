import { describe, expect, it } from 'vitest';
import { added } from './build-input.ts';
import { hits } from './run.ts';

describe('security/tls-verification-disabled', () => {
  it('flags disabled verification in each language and leaves safe settings alone [+security/tls-verification-disabled]', async () => {
    const ts = added(
      'src/http/client.ts',
      `
import https from 'node:https';
export const insecure = new https.Agent({ rejectUnauthorized: false });
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
export const secure = new https.Agent({ rejectUnauthorized: true, ca });
`,
    );
    const py = added(
      'app/client.py',
      `
import requests, ssl, jwt
r = requests.get(url, verify=False)
ctx = ssl._create_unverified_context()
ctx2.verify_mode = ssl.CERT_NONE
claims = jwt.decode(token, verify=False)
ok = requests.get(url, verify="/etc/ca.pem")
`,
    );
    const go = added(
      'internal/client/http.go',
      `
package client

var insecure = &tls.Config{InsecureSkipVerify: true}
var secure = &tls.Config{MinVersion: tls.VersionTLS12}
`,
    );
    const java = added(
      'src/main/java/app/TrustAll.java',
      `
class TrustAll implements X509TrustManager {
  public void checkClientTrusted(X509Certificate[] chain, String authType) {}
  public void checkServerTrusted(X509Certificate[] chain, String authType) {}
  public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
  void setup(HttpsURLConnection conn) { conn.setHostnameVerifier((host, session) -> true); }
}
`,
    );
    const ruby = added(
      'lib/client.rb',
      `
http.verify_mode = OpenSSL::SSL::VERIFY_NONE
http2.verify_mode = OpenSSL::SSL::VERIFY_PEER
`,
    );
    expect(
      await hits('tls-verification-disabled', ts, py, go, java, ruby),
    ).toEqual([
      'app/client.py:2:high',
      'app/client.py:3:high',
      'app/client.py:4:high',
      'internal/client/http.go:3:high',
      'lib/client.rb:1:high',
      'src/http/client.ts:2:high',
      'src/http/client.ts:3:high',
      'src/main/java/app/TrustAll.java:3:high',
      'src/main/java/app/TrustAll.java:5:high',
    ]);
  });
});
