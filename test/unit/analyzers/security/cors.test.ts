import { describe, expect, it } from 'vitest';
import { added } from './build-input.ts';
import { hits } from './run.ts';

describe('security/cors-credentials-any-origin', () => {
  it('flags reflected or wildcard origins with credentials in Express/Nest-style config [+security/cors-credentials-any-origin]', async () => {
    const file = added(
      'src/server.ts',
      `
app.use(cors({ origin: true, credentials: true }));
app.enableCors({ origin: (origin, cb) => cb(null, true), credentials: true });
app.use(cors({ origin: '*', credentials: true }));
app.use(cors({ origin: ['https://app.example.com'], credentials: true }));
app.use(cors({ origin: true }));
app.use((req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', req.headers.origin);
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  next();
});
`,
    );
    expect(await hits('cors-credentials-any-origin', file)).toEqual([
      'src/server.ts:1:high',
      'src/server.ts:2:high',
      'src/server.ts:3:medium',
      'src/server.ts:7:high',
    ]);
  });

  it('covers Flask-CORS, Starlette, django-cors-headers, Go and Spring', async () => {
    const flask = added(
      'app/__init__.py',
      `
CORS(app, supports_credentials=True)
CORS(app, origins=["https://app.example.com"], supports_credentials=True)
app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)
app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=False)
`,
    );
    const django = added(
      'project/settings.py',
      `
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = True
`,
    );
    const go = added(
      'cmd/server/main.go',
      `
package main

var c = cors.Config{AllowAllOrigins: true, AllowCredentials: true}
var d = cors.Options{AllowedOrigins: []string{"https://app.example.com"}, AllowCredentials: true}
`,
    );
    const spring = added(
      'src/main/java/app/WebConfig.java',
      `
class WebConfig implements WebMvcConfigurer {
  public void addCorsMappings(CorsRegistry registry) {
    registry.addMapping("/**").allowedOriginPatterns("*").allowCredentials(true);
  }
}
`,
    );
    expect(
      await hits('cors-credentials-any-origin', flask, django, go, spring),
    ).toEqual([
      'app/__init__.py:1:high',
      'app/__init__.py:3:high',
      'cmd/server/main.go:3:high',
      'project/settings.py:1:high',
      'src/main/java/app/WebConfig.java:3:high',
    ]);
  });
});
