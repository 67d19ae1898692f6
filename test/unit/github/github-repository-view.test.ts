import { createGzip } from 'node:zlib';
import nock from 'nock';
import { pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { githubContentReader } from '../../../src/github/repository/github-content-reader.ts';
import { githubRepositoryView } from '../../../src/github/repository/github-repository-view.ts';
import { API, strictNock, testOctokit } from './helpers.ts';

strictNock();

const HEAD = 'a'.repeat(40);
const BASE = 'b'.repeat(40);

async function tarball(
  entries: Array<{ name: string; text?: string; link?: string }>,
): Promise<Buffer> {
  const p = pack();
  for (const e of entries) {
    if (e.link !== undefined)
      p.entry({ name: e.name, type: 'symlink', linkname: e.link });
    else p.entry({ name: e.name, type: 'file' }, e.text ?? '');
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of p.pipe(createGzip())) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function view(maxSnapshotBytes?: number, maxMemoryBytes?: number) {
  const octokit = testOctokit();
  const contents = githubContentReader(octokit, {
    owner: 'acme',
    repo: 'api',
    baseSha: BASE,
    headSha: HEAD,
    maxFileBytes: 1000,
  });
  return githubRepositoryView(octokit, {
    owner: 'acme',
    repo: 'api',
    headSha: HEAD,
    maxFileBytes: 1000,
    contents,
    ...(maxSnapshotBytes ? { maxSnapshotBytes } : {}),
    ...(maxMemoryBytes !== undefined ? { maxMemoryBytes } : {}),
  });
}

describe('githubRepositoryView', () => {
  it('fetches the head once as a tarball, serves reads and searches from it, and removes it on close', async () => {
    const body = await tarball([
      { name: 'acme-api-aaaaaaa/src/app.ts', text: "app.use('/', orders);\n" },
      {
        name: 'acme-api-aaaaaaa/src/orders.ts',
        text: 'export const orders = router;\n',
      },
      { name: 'acme-api-aaaaaaa/big.txt', text: 'x'.repeat(2000) },
      { name: 'acme-api-aaaaaaa/src/escape.ts', link: '../../../etc/passwd' },
      { name: 'acme-api-aaaaaaa/../../evil.ts', text: 'outside' },
    ]);
    nock(API)
      .get(`/repos/acme/api/tarball/${HEAD}`)
      .reply(200, body, { 'content-type': 'application/x-gzip' });
    // Room in memory for one file: the other is read back from the temporary directory.
    const v = view(undefined, 30);
    expect(await v.listFiles('head')).toEqual([
      'big.txt',
      'src/app.ts',
      'src/orders.ts',
    ]);
    const app = await v.readFile('head', 'src/app.ts');
    expect(app.kind === 'file' && app.bytes.toString()).toBe(
      "app.use('/', orders);\n",
    );
    expect(await v.readFile('head', 'src/escape.ts')).toEqual({
      kind: 'not-a-file',
      what: 'symlink',
    });
    expect(await v.readFile('head', 'big.txt')).toEqual({
      kind: 'too-large',
      size: 2000,
    });
    expect(await v.readFile('head', 'evil.ts')).toEqual({ kind: 'missing' });
    expect(
      await v.search({ pattern: 'orders', regex: false, maxMatches: 10 }),
    ).toEqual({
      matches: [
        { path: 'src/app.ts', line: 1, text: "app.use('/', orders);" },
        {
          path: 'src/orders.ts',
          line: 1,
          text: 'export const orders = router;',
        },
      ],
      truncated: false,
    });
    expect(v.stats()).toMatchObject({ mode: 'snapshot', requests: 1 });
    await v.close();
    // The snapshot's files are gone with it.
    await expect(v.readFile('head', 'src/orders.ts')).rejects.toThrow(/ENOENT/);
    await expect(v.readFile('head', 'src/app.ts')).rejects.toThrow(/ENOENT/);
  });

  it('falls back to file-by-file reads for a repository over the cap', async () => {
    const body = await tarball([
      { name: 'r/a.ts', text: 'a'.repeat(900) },
      { name: 'r/b.ts', text: 'b'.repeat(900) },
    ]);
    nock(API)
      .get(`/repos/acme/api/tarball/${HEAD}`)
      .reply(200, body, { 'content-type': 'application/x-gzip' })
      .get(`/repos/acme/api/git/trees/${HEAD}`)
      .query({ recursive: '1' })
      .reply(200, {
        sha: HEAD,
        truncated: false,
        tree: [{ path: 'src/a.ts', type: 'blob' }],
      })
      .get('/repos/acme/api/contents/src%2Fa.ts')
      .query({ ref: HEAD })
      .reply(200, {
        type: 'file',
        size: 6,
        encoding: 'base64',
        content: Buffer.from('a = 1\n').toString('base64'),
      });
    const v = view(1000);
    expect(await v.listFiles('head')).toEqual(['src/a.ts']);
    const a = await v.readFile('head', 'src/a.ts');
    expect(a.kind === 'file' && a.bytes.toString()).toBe('a = 1\n');
    expect(v.stats()).toMatchObject({
      mode: 'on-demand',
      requests: 3,
      note: expect.stringContaining('over the'),
    });
    await v.close();
  });
});
