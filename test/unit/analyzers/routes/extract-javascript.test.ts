import { describe, expect, it } from 'vitest';
import { extractRoutes } from '../../../../src/analyzers/routes/index.ts';
import { parsedFile } from '../failure-modes/change-set-builder.ts';
import { table } from './route-table-format.ts';

describe('route extraction: Express, Koa, Fastify', () => {
  it('reads verbs, route chains, per-route middleware, router.use guards and the app/router scope', async () => {
    const file = await parsedFile(
      'src/app.ts',
      [
        "import express from 'express';", // 1
        'const app = express();',
        'const admin = express.Router();',
        "app.get('/health', (req, res) => res.send('ok'));",
        "app.post('/orders', requireAuth, asyncHandler(orders.create));", // 5
        "app.route('/books/:id').get(books.show).put(books.update);",
        "admin.delete('/users/:id', users.remove);",
        'admin.use(requireAdmin);',
        "admin.post('/users', users.create);",
        "app.use('/internal', checkJwt);", // 10
        "app.post('/internal/jobs', jobs.run);",
        "app.post('/public/signup', signup);",
        "cache.get('/not-a-route');",
      ].join('\n'),
    );
    expect(table(extractRoutes(file))).toEqual([
      'GET /health - open app@4',
      'POST /orders orders.create auth:requireAuth app@5',
      // The outer call of a chain comes first.
      'PUT /books/:id books.update open app@6',
      'GET /books/:id books.show open app@6',
      'DELETE /users/:id users.remove open router@7',
      'POST /users users.create auth:requireAdmin router@9',
      'POST /internal/jobs jobs.run auth:checkJwt app@11',
      'POST /public/signup signup open app@12',
    ]);
  });

  it('reads Fastify shorthand with hooks in options, route objects, and addHook guards', async () => {
    const file = await parsedFile(
      'src/server.js',
      [
        "const fastify = require('fastify')();", // 1
        "fastify.post('/a', { preHandler: [fastify.authenticate] }, async (request, reply) => ({}));",
        "fastify.route({ method: ['PUT', 'PATCH'], url: '/b', handler: updateB });",
        'export default async function plugin(instance) {',
        "  instance.addHook('onRequest', instance.verifyJWT);", // 5
        "  instance.post('/c', createC);",
        '}',
      ].join('\n'),
    );
    expect(table(extractRoutes(file))).toEqual([
      'POST /a - auth:authenticate router@2',
      'PUT /b updateB open router@3',
      'PATCH /b updateB open router@3',
      'POST /c createC auth:verifyJWT router@6',
    ]);
  });

  it('reads koa-router named routes and inline handlers that check the caller', async () => {
    const file = await parsedFile(
      'src/routes.js',
      [
        "const Router = require('@koa/router');",
        'const router = new Router();',
        "router.post('create-user', '/users', async (ctx) => { if (!ctx.state.user) ctx.throw(401); });",
        "router.del('/users/:id', removeUser);",
      ].join('\n'),
    );
    expect(table(extractRoutes(file))).toEqual([
      'POST /users - auth:ctx.state.user router@3',
      'DELETE /users/:id removeUser open router@4',
    ]);
  });

  it('ignores HTTP clients and test agents that share the verbs', async () => {
    const file = await parsedFile(
      'src/clients.ts',
      [
        "import axios from 'axios';",
        "import request from 'supertest';",
        'const billing = axios.create({ baseURL: BILLING, timeout: 5000 });',
        "export const charge = (body) => billing.post('/charges', body);",
        "export const refund = (body) => axios.post('/refunds', body, { timeout: 5000 });",
        "test('x', async () => { await request(app).post('/users').send(user); });",
      ].join('\n'),
    );
    expect(extractRoutes(file)).toEqual([]);
  });
});

describe('route extraction: NestJS', () => {
  it('joins controller and method paths, and reads guards and @Public()', async () => {
    const file = await parsedFile(
      'src/users.controller.ts',
      [
        "@Controller('users')", // 1
        'export class UsersController {',
        '  @Get(":id")',
        '  find() {}',
        '  @Post()', // 5
        '  @UseGuards(JwtAuthGuard)',
        '  create() {}',
        "  @Delete(':id')",
        '  remove() {}',
        '  @Post("register")', // 10
        '  @Public()',
        '  register() {}',
        '}',
        "@Controller({ path: 'admin' })",
        '@UseGuards(RolesGuard)', // 15
        'class AdminController {',
        "  @Patch(['a', 'b'])",
        '  update() {}',
        '}',
      ].join('\n'),
    );
    const routes = extractRoutes(file);
    expect(table(routes)).toEqual([
      'GET /users/:id UsersController.find open router@3',
      'POST /users UsersController.create auth:@UseGuards router@5',
      'DELETE /users/:id UsersController.remove open router@8',
      'POST /users/register UsersController.register open router@10',
      'PATCH /admin/a AdminController.update auth:@UseGuards router@17',
      'PATCH /admin/b AdminController.update auth:@UseGuards router@17',
    ]);
    expect(routes.filter((r) => r.explicitlyPublic).map((r) => r.path)).toEqual(
      ['/users/register'],
    );
  });
});
