import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRedactor } from '../../../../src/analyzers/index.ts';
import { gitRepositoryView } from '../../../../src/cli/git-repository-view.ts';
import {
  checkToolPath,
  isSecretBearingPath,
} from '../../../../src/core/repository/path-policy.ts';
import { RepositoryTools } from '../../../../src/core/repository/repository-tools.ts';
import type { RepositoryView } from '../../../../src/core/repository/repository-view.ts';
import { ToolBudget } from '../../../../src/core/repository/tool-budget.ts';
import { tempRepo, type TempRepo } from '../../cli/git-fixture.ts';

const GITHUB_TOKEN = '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';
const signal = new AbortController().signal;

let repo: TempRepo;
let base: string;
let head: string;
let view: RepositoryView;

beforeAll(async () => {
  repo = await tempRepo();
  await repo.write(
    'src/middleware/auth.ts',
    [
      'export function requireAuth(req, res, next) {',
      '  if (!req.user) return res.status(401).end();',
      '  next();',
      '}',
      '',
    ].join('\n'),
  );
  await repo.write(
    'src/routes/orders.ts',
    [
      "import { requireAuth } from '../middleware/auth.ts';",
      "router.get('/orders', requireAuth, list);",
      '',
    ].join('\n'),
  );
  await repo.write(
    'src/config.ts',
    `export const token = '${GITHUB_TOKEN}';\nexport const port = 3000;\n`,
  );
  await repo.write('.env', `GITHUB_TOKEN=${GITHUB_TOKEN}\n`);
  await repo.write(
    'deploy/server.pem',
    '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n',
  );
  await repo.write(
    'assets/logo.png',
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3]),
  );
  await repo.write('big.txt', 'x'.repeat(5000));
  await repo.write(
    'services/billing.py',
    'def charge(order):\n    return requireAuth\n',
  );
  base = await repo.commitAll('base');
  // A symlink pointing out of the repository: its target must never be read.
  await repo.git('config', 'core.symlinks', 'true');
  const { symlink } = await import('node:fs/promises');
  await symlink('/etc/passwd', `${repo.dir}/src/passwd-link`);
  await repo.write(
    'src/routes/orders.ts',
    [
      "import { requireAuth } from '../middleware/auth.ts';",
      "router.get('/orders', requireAuth, list);",
      "router.post('/orders', create);",
      '',
    ].join('\n'),
  );
  head = await repo.commitAll('head');
  view = gitRepositoryView({
    cwd: repo.dir,
    baseSha: base,
    headSha: head,
    maxFileBytes: 4000,
  });
});

afterAll(async () => {
  await view.close();
  await repo.remove();
});

function tools(
  limits: Partial<ConstructorParameters<typeof ToolBudget>[0]> = {},
) {
  return new RepositoryTools({
    view,
    redactor: defaultRedactor(),
    budget: new ToolBudget({
      maxRounds: 8,
      maxResultBytes: 200_000,
      maxTokens: 1_000_000,
      ...limits,
    }),
    maxFileBytes: 4000,
  });
}

describe('path policy', () => {
  it('keeps paths inside the repository and out of .git', () => {
    expect(checkToolPath('./src//app.ts')).toEqual({
      ok: true,
      path: 'src/app.ts',
    });
    for (const bad of [
      '../etc/passwd',
      'src/../../x',
      '/etc/passwd',
      'C:/Windows/win.ini',
      '.git/config',
      'src/.GIT/HEAD',
      '',
      'a\u0000b',
      '.',
    ]) {
      expect(checkToolPath(bad).ok, bad).toBe(false);
    }
  });

  it('knows files that hold credentials by their nature', () => {
    for (const path of [
      '.env',
      'config/.env.production',
      'deploy/server.pem',
      'home/.ssh/id_rsa',
      '.npmrc',
      'gcp-service-account.json',
      'secrets.yml',
    ])
      expect(isSecretBearingPath(path), path).toBe(true);
    for (const path of [
      'src/env.ts',
      'docs/secrets-handling.md',
      'src/keys.ts',
    ])
      expect(isSecretBearingPath(path), path).toBe(false);
  });
});

describe('repository tools over local git', () => {
  it('reads a file the change did not touch, numbered, at head and at base', async () => {
    const session = tools().session();
    const result = await session.run(
      'read_file',
      { path: 'src/middleware/auth.ts' },
      signal,
    );
    expect(result.ok).toBe(true);
    expect(result.text).toContain(
      '1  export function requireAuth(req, res, next) {',
    );
    expect(session.inspected).toEqual([
      { path: 'src/middleware/auth.ts', start: 1, end: 4 },
    ]);
    const before = await session.run(
      'read_file',
      { path: 'src/routes/orders.ts', revision: 'base' },
      signal,
    );
    expect(before.text).not.toContain("router.post('/orders'");
    const ranged = await session.run(
      'read_file',
      { path: 'src/routes/orders.ts', start_line: 3, end_line: 3 },
      signal,
    );
    expect(ranged.text).toBe("3  router.post('/orders', create);");
  });

  it('refuses escapes, .git, symlinks, binaries, oversized and credential files, as tool errors', async () => {
    const session = tools().session();
    const answers = await Promise.all(
      [
        '../outside.txt',
        '.git/config',
        'src/passwd-link',
        'assets/logo.png',
        'big.txt',
        '.env',
        'deploy/server.pem',
        'missing.ts',
      ].map((path) => session.run('read_file', { path }, signal)),
    );
    expect(answers.map((a) => a.ok)).toEqual(Array(8).fill(false));
    expect(answers.map((a) => a.text)).toEqual([
      expect.stringContaining('".." is not allowed'),
      expect.stringContaining('.git directory'),
      expect.stringContaining('symlinks and submodules are not followed'),
      expect.stringContaining('binary'),
      expect.stringContaining('larger than'),
      expect.stringContaining('refused'),
      expect.stringContaining('refused'),
      expect.stringContaining('no file missing.ts'),
    ]);
    for (const a of answers) expect(a.text).not.toContain('root:');
    expect(session.inspected).toEqual([]);
  });

  it('masks secrets in file reads and search results with the diff redactor', async () => {
    const session = tools().session();
    const read = await session.run(
      'read_file',
      { path: 'src/config.ts' },
      signal,
    );
    expect(read.ok).toBe(true);
    expect(read.text).not.toContain(GITHUB_TOKEN);
    expect(read.text).toContain('export const port = 3000;');
    const search = await session.run(
      'search_code',
      { pattern: 'ghp_' },
      signal,
    );
    expect(search.text).not.toContain(GITHUB_TOKEN);
    // The .env line matches too, but credential files are never shown, not even masked.
    expect(search.text).not.toContain('.env:');
    expect(search.text).toContain('credential files not shown');
  });

  it('searches, lists and finds symbols, with definitions told apart from uses', async () => {
    const session = tools().session();
    const search = await session.run(
      'search_code',
      { pattern: 'router\\.(get|post)', regex: true, path_glob: 'src/**' },
      signal,
    );
    expect(search.text.split('\n').filter((l) => l.startsWith('src/'))).toEqual(
      [
        "src/routes/orders.ts:2: router.get('/orders', requireAuth, list);",
        "src/routes/orders.ts:3: router.post('/orders', create);",
      ],
    );
    const list = await session.run(
      'list_files',
      { glob: 'src/**/*.ts' },
      signal,
    );
    expect(list.text.split('\n')).toEqual([
      'src/config.ts',
      'src/middleware/auth.ts',
      'src/routes/orders.ts',
    ]);
    const symbol = await session.run(
      'find_symbol',
      { name: 'requireAuth' },
      signal,
    );
    const [definitions, usages] = symbol.text.split('usages:');
    expect(definitions).toContain('src/middleware/auth.ts:1:');
    expect(definitions).not.toContain('src/routes/orders.ts');
    expect(usages).toContain('src/routes/orders.ts:1:');
    expect(usages).toContain('src/routes/orders.ts:2:');
    expect(usages).toContain('services/billing.py:2:');
    const invalid = await session.run(
      'search_code',
      { pattern: '(unclosed', regex: true },
      signal,
    );
    expect(invalid).toMatchObject({
      ok: false,
      text: expect.stringContaining('invalid regular expression'),
    });
  });

  it('answers bad input and unknown tools with errors, and stops handing out data once the budget is spent', async () => {
    const budgeted = tools({ maxResultBytes: 300 });
    const session = budgeted.session();
    expect(
      await session.run('write_file', { path: 'x' }, signal),
    ).toMatchObject({
      ok: false,
      text: expect.stringContaining('unknown tool'),
    });
    expect(await session.run('read_file', 'src/app.ts', signal)).toMatchObject({
      ok: false,
      text: expect.stringContaining('invalid input'),
    });
    expect(
      await session.run(
        'read_file',
        { path: 'src/app.ts', extra: true },
        signal,
      ),
    ).toMatchObject({ ok: false });
    await session.run('read_file', { path: 'src/middleware/auth.ts' }, signal);
    await session.run('read_file', { path: 'src/routes/orders.ts' }, signal);
    expect(budgeted.budget.exhausted).toBe(true);
    expect(
      await session.run('read_file', { path: 'src/config.ts' }, signal),
    ).toMatchObject({ ok: false, text: expect.stringContaining('budget') });
  });
});
