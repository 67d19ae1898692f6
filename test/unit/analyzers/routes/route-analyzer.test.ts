import { describe, expect, it } from 'vitest';
import { createRouteAnalyzer } from '../../../../src/analyzers/routes/index.ts';
import {
  joinPath,
  normalizePath,
} from '../../../../src/analyzers/routes/route.ts';
import {
  findingsOf,
  runAnalyzer,
} from '../failure-modes/change-set-builder.ts';

const ROUTER_BASE = [
  "import { Router } from 'express';", // 1
  'const router = Router();',
  "router.get('/users/:id', requireAuth, users.show);",
  "router.patch('/users/:id', requireAuth, users.update);",
  "router.delete('/users/:id', requireAuth, users.remove);", // 5
  "router.post('/exports', requireAuth, exportsCtl.create);",
  'export default router;',
].join('\n');

describe('route diff: API contract', () => {
  it('reports removed routes on the base side, and moved or re-methoded routes on the head side [+api-contract/route-removed +api-contract/route-path-changed +api-contract/route-method-changed]', async () => {
    const head = [
      "import { Router } from 'express';", // 1
      'const router = Router();',
      "router.get('/users/:userId', requireAuth, users.show);", // parameter renamed: same route
      "router.put('/users/:id', requireAuth, users.update);",
      "router.delete('/accounts/:id', requireAuth, users.remove);", // 5
      'export default router;',
    ].join('\n');
    const found = await findingsOf(createRouteAnalyzer(), [
      { path: 'src/users.ts', base: ROUTER_BASE, head },
    ]);
    expect(found).toEqual([
      'api-contract/route-method-changed@4:high',
      'api-contract/route-path-changed@5:high',
      'api-contract/route-removed@L6:high',
    ]);
  });

  it('does not report a route that moved to another changed file, or a removed file whose routes live on [-api-contract/route-removed -api-contract/route-path-changed -api-contract/route-method-changed]', async () => {
    const found = await findingsOf(createRouteAnalyzer(), [
      { path: 'src/users.ts', base: ROUTER_BASE },
      {
        path: 'src/routes/users.ts',
        head: ROUTER_BASE.replace(
          "import { Router } from 'express';",
          "import { Router } from 'express'; // moved",
        ),
      },
    ]);
    expect(found).toEqual([]);
  });

  it('follows renamed files and reports every route of a deleted file on the base side', async () => {
    const renamed = await findingsOf(createRouteAnalyzer(), [
      {
        path: 'src/routes/users.ts',
        previousPath: 'src/users.ts',
        base: ROUTER_BASE,
        head: ROUTER_BASE,
      },
    ]);
    expect(renamed).toEqual([]);
    const deleted = await findingsOf(createRouteAnalyzer(), [
      { path: 'src/users.ts', base: ROUTER_BASE },
    ]);
    expect(deleted).toEqual([
      'api-contract/route-removed@L3:high',
      'api-contract/route-removed@L4:high',
      'api-contract/route-removed@L5:high',
      'api-contract/route-removed@L6:high',
    ]);
  });

  it('ignores routes in test files', async () => {
    expect(
      await findingsOf(createRouteAnalyzer(), [
        { path: 'test/users.test.ts', base: ROUTER_BASE },
      ]),
    ).toEqual([]);
  });

  it('reports a class-level prefix change at the prefix line', async () => {
    const controller = (version: string) =>
      [
        '@RestController',
        `@RequestMapping("/api/${version}/orders")`,
        'class OrderController {',
        '  @GetMapping("/{id}")',
        '  Order get() { return null; }',
        '}',
      ].join('\n');
    const found = await findingsOf(createRouteAnalyzer(), [
      {
        path: 'src/OrderController.java',
        base: controller('v1'),
        head: controller('v2'),
      },
    ]);
    expect(found).toEqual(['api-contract/route-path-changed@2:high']);
  });

  it('leaves a file with a syntax error out with a note instead of reporting its routes as removed', async () => {
    const head = ROUTER_BASE.replace(
      "router.delete('/users/:id', requireAuth, users.remove);",
      "router.delete('/users/:id', requireAuth, users.remove;",
    );
    const output = await runAnalyzer(createRouteAnalyzer(), [
      { path: 'src/users.ts', base: ROUTER_BASE, head },
    ]);
    expect(output.findings).toEqual([]);
    expect(output.notes).toEqual([
      {
        source: 'routes',
        path: 'src/users.ts',
        line: 5,
        message: expect.stringMatching(
          /^could not analyse: syntax error at line 5 \(head\)/,
        ),
      },
    ]);
  });

  it('honours the lenses', async () => {
    const head = ROUTER_BASE.replace(
      "router.post('/exports', requireAuth, exportsCtl.create);\n",
      "router.post('/imports', importsCtl.create);\n",
    );
    const apiOnly = await findingsOf(
      createRouteAnalyzer(),
      [{ path: 'src/users.ts', base: ROUTER_BASE, head }],
      ['api-contract'],
    );
    expect(apiOnly).toEqual(['api-contract/route-removed@L6:high']);
    const securityOnly = await findingsOf(
      createRouteAnalyzer(),
      [{ path: 'src/users.ts', base: ROUTER_BASE, head }],
      ['security'],
    );
    expect(securityOnly).toEqual([
      'security/route-without-authorization@6:high',
    ]);
    expect(
      await runAnalyzer(
        createRouteAnalyzer(),
        [{ path: 'src/users.ts', base: ROUTER_BASE, head }],
        ['schema'],
      ),
    ).toEqual({ findings: [], notes: [] });
  });
});

describe('route diff: authorization', () => {
  it('high when sibling routes are protected, medium for public-looking paths and for routers without any visible auth [+security/route-without-authorization]', async () => {
    const head = ROUTER_BASE.replace(
      'export default router;',
      [
        "router.post('/users', users.create);",
        "router.post('/webhooks/stripe', stripeWebhook);",
        "router.get('/users', users.list);",
        'export default router;',
      ].join('\n'),
    );
    expect(
      await findingsOf(createRouteAnalyzer(), [
        { path: 'src/users.ts', base: ROUTER_BASE, head },
      ]),
    ).toEqual([
      'security/route-without-authorization@7:high',
      'security/route-without-authorization@8:medium',
    ]);
    const bare = [
      "import { Router } from 'express';",
      'const router = Router();',
      "router.delete('/carts/:id', carts.clear);",
      'export default router;',
    ].join('\n');
    expect(
      await findingsOf(createRouteAnalyzer(), [
        { path: 'src/carts.ts', head: bare },
      ]),
    ).toEqual(['security/route-without-authorization@3:medium']);
  });

  it('high for a mutating route on an application object with no auth in the file', async () => {
    const head = [
      'import express from "express";',
      'const app = express();',
      "app.post('/transfers', transfers.create);",
      'app.listen(3000);',
    ].join('\n');
    expect(
      await findingsOf(createRouteAnalyzer(), [
        { path: 'src/server.ts', head },
      ]),
    ).toEqual(['security/route-without-authorization@3:high']);
  });

  it('not for protected, explicitly public, read-only or unchanged routes [-security/route-without-authorization]', async () => {
    const head = [
      "@Controller('carts')",
      'export class CartsController {',
      '  @Post()',
      '  @UseGuards(AuthGuard)',
      '  create() {}',
      "  @Post('guest')",
      '  @Public()',
      '  guest() {}',
      "  @Get(':id')",
      '  find() {}',
      '}',
    ].join('\n');
    expect(
      await findingsOf(createRouteAnalyzer(), [
        { path: 'src/carts.controller.ts', head },
      ]),
    ).toEqual([]);
  });

  it('reports a route that lost its authentication', async () => {
    const base = [
      'from fastapi import APIRouter, Depends',
      'router = APIRouter()',
      '@router.delete("/items/{item_id}")',
      'def remove(item_id: int, user = Depends(get_current_user)): ...',
    ].join('\n');
    const head = [
      'from fastapi import APIRouter, Depends',
      'router = APIRouter()',
      '@router.delete("/items/{item_id}")',
      'def remove(item_id: int): ...',
    ].join('\n');
    const output = await runAnalyzer(createRouteAnalyzer(), [
      { path: 'app/items.py', base, head },
    ]);
    expect(
      output.findings.map(
        (f) => `${f.ruleId}@${f.lines?.side}${f.lines?.start}:${f.severity}`,
      ),
    ).toEqual(['security/route-without-authorization@LEFT4:high']);
    expect(output.findings[0]!.title).toContain('lost its authentication');
  });
});

describe('route paths', () => {
  it('normalises parameters of every framework and slashes', () => {
    expect(normalizePath('/users/:id/')).toBe('/users/{}');
    expect(normalizePath('/users/{user_id}')).toBe('/users/{}');
    expect(normalizePath('users/<int:pk>/')).toBe('/users/{}');
    expect(normalizePath('^legacy/(?P<slug>[-\\w]+)/$')).toBe('/legacy/{}');
    expect(normalizePath('/files/{path...}')).toBe('/files/{}');
    expect(normalizePath('/')).toBe('/');
    expect(normalizePath('/a//b')).toBe('/a/b');
  });

  it('joins prefixes', () => {
    expect(joinPath('/api/', '/users/')).toBe('/api/users');
    expect(joinPath('', '')).toBe('/');
    expect(joinPath('users', ':id')).toBe('/users/:id');
  });
});
