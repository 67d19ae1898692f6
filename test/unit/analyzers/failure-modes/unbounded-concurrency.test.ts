import { describe, expect, it } from 'vitest';
import { createFailureModeAnalyzer } from '../../../../src/analyzers/failure-modes/index.ts';
import { findingsOf } from './change-set-builder.ts';

const RULE = 'failure-mode/unbounded-concurrency';
const check = async (path: string, head: string) =>
  (await findingsOf(createFailureModeAnalyzer(), [{ path, head }])).filter(
    (f) => f.startsWith(RULE),
  );

describe('unbounded-concurrency', () => {
  it('flags fan-out over request input (high) and over unlimited query results (medium) [+failure-mode/unbounded-concurrency]', async () => {
    const head = [
      "router.post('/invites', async (req, res) => {", // 1
      '  await Promise.all(req.body.emails.map((email) => sendInvite(email)));',
      '  const { items } = req.body;',
      '  await Promise.allSettled(items.map(async (item) => { await reserve(item); }));',
      '  const users = await prisma.user.findMany({ where: { active: true } });', // 5
      '  await Promise.all(users.map((u) => notify(u)));',
      "  const { rows } = await pool.query('SELECT id FROM subscribers');",
      '  await Promise.all(rows.map(async (r) => push(r.id)));',
      '  res.sendStatus(202);',
      '});', // 10
    ].join('\n');
    expect(await check('src/invites.ts', head)).toEqual([
      `${RULE}@2:high`,
      `${RULE}@4:high`,
      `${RULE}@6:medium`,
      `${RULE}@8:medium`,
    ]);
  });

  it('does not flag bounded sources, constant lists, or synchronous mapping [-failure-mode/unbounded-concurrency]', async () => {
    const head = [
      "router.post('/x', async (req, res) => {",
      '  const page = await prisma.user.findMany({ take: 50 });',
      '  await Promise.all(page.map((u) => notify(u)));',
      "  const { rows } = await pool.query('SELECT id FROM subscribers LIMIT 100');",
      '  await Promise.all(rows.map(async (r) => push(r.id)));',
      '  await Promise.all([loadA(), loadB()]);',
      '  await Promise.all(REGIONS.map((region) => warm(region)));',
      '  const ids = req.body.ids.map((id) => Number(id));',
      '  await Promise.all(chunk.map((c) => c.id));',
      '  res.end();',
      '});',
    ].join('\n');
    expect(await check('src/ok.ts', head)).toEqual([]);
  });
});
