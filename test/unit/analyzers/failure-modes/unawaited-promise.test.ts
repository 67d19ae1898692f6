import { describe, expect, it } from 'vitest';
import { createFailureModeAnalyzer } from '../../../../src/analyzers/failure-modes/index.ts';
import { findingsOf, runAnalyzer } from './change-set-builder.ts';

const RULE = 'failure-mode/unawaited-promise';
const check = async (path: string, head: string) =>
  (await findingsOf(createFailureModeAnalyzer(), [{ path, head }])).filter(
    (f) => f.startsWith(RULE),
  );

describe('unawaited-promise', () => {
  it('flags local async functions, Prisma writes, pool.query, save() and fetch left floating in handlers [+failure-mode/unawaited-promise]', async () => {
    const head = [
      "import { prisma } from './db';", // 1
      'async function sendWelcome(user) {',
      '  await mailer.send(user.email);',
      '}',
      'class Users {', // 5
      '  async audit(event) {}',
      '  async create(req, res) {',
      '    this.audit("create");',
      '    res.status(201).end();',
      '  }', // 10
      '}',
      "router.post('/users', async (req, res) => {",
      '  const user = await prisma.user.create({ data: req.body });',
      '  sendWelcome(user);',
      '  prisma.auditLog.create({ data: { userId: user.id } });', // 15
      "  pool.query('UPDATE stats SET signups = signups + 1');",
      '  user.save();',
      "  fetch(WEBHOOK_URL, { method: 'POST', signal: AbortSignal.timeout(1000) });",
      '  res.status(201).json(user);',
      '});', // 20
    ].join('\n');
    expect(await check('src/users.ts', head)).toEqual([
      `${RULE}@14:high`,
      `${RULE}@15:high`,
      `${RULE}@16:high`,
      `${RULE}@17:high`,
      `${RULE}@18:high`,
      `${RULE}@8:high`,
    ]);
  });

  it('does not flag awaited, returned, void-ed, handled or synchronous calls, nor code outside handlers [-failure-mode/unawaited-promise]', async () => {
    const head = [
      'async function sendWelcome(user) {}',
      'function track(event) {}',
      "router.post('/users', async (req, res) => {",
      '  await sendWelcome(req.body);',
      '  void sendWelcome(req.body);',
      '  sendWelcome(req.body).catch((err) => logger.error(err));',
      '  track("signup");',
      "  connection.query('SELECT 1', (err, rows) => {});",
      '  res.json({ ok: true });',
      '  return sendWelcome(req.body);',
      '});',
      'export function startup() {',
      '  sendWelcome(admin);',
      '}',
    ].join('\n');
    expect(await check('src/ok.ts', head)).toEqual([]);
  });

  it('is off when the failure-mode lens is off', async () => {
    const head =
      "async function a() {}\napp.post('/x', (req, res) => { a(); });\n";
    const output = await runAnalyzer(
      createFailureModeAnalyzer(),
      [{ path: 'src/x.ts', head }],
      ['api-contract', 'security', 'performance', 'schema'],
    );
    expect(output).toEqual({ findings: [], notes: [] });
  });
});
