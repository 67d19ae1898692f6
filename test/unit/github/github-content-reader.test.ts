import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { githubContentReader } from '../../../src/github/repository/github-content-reader.ts';
import { API, recordingLogger, strictNock, testOctokit } from './helpers.ts';

strictNock();

const HEAD = 'a'.repeat(40);
const BASE = 'b'.repeat(40);
const options = {
  owner: 'acme',
  repo: 'api',
  baseSha: BASE,
  headSha: HEAD,
  maxFileBytes: 1000,
};

function contents(text: string | Buffer) {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  return {
    type: 'file',
    size: bytes.length,
    encoding: 'base64',
    content: bytes.toString('base64'),
    name: 'x',
    path: 'x',
    sha: 'x',
  };
}

describe('githubContentReader', () => {
  it('reads and decodes a file at the right revision, once per revision and path', async () => {
    nock(API)
      .get('/repos/acme/api/contents/src%2Fa.ts')
      .query({ ref: HEAD })
      .reply(200, contents('export const a = 1;\n'))
      .get('/repos/acme/api/contents/src%2Fa.ts')
      .query({ ref: BASE })
      .reply(200, contents('export const a = 0;\n'));
    const reader = githubContentReader(testOctokit(), options);
    expect(await reader.read('head', 'src/a.ts')).toBe('export const a = 1;\n');
    expect(await reader.read('head', 'src/a.ts')).toBe('export const a = 1;\n');
    expect(await reader.read('base', 'src/a.ts')).toBe('export const a = 0;\n');
  });

  it('serves added files from their patches and knows what does not exist, without requests', async () => {
    // Strict nock: any request would fail the test.
    const reader = githubContentReader(testOctokit(), {
      ...options,
      addedFiles: new Map([['src/new.ts', 'export const n = 1;\n']]),
      absent: { base: new Set(['src/new.ts']), head: new Set(['src/gone.ts']) },
    });
    expect(await reader.read('head', 'src/new.ts')).toBe(
      'export const n = 1;\n',
    );
    expect(await reader.read('base', 'src/new.ts')).toBeUndefined();
    expect(await reader.read('head', 'src/gone.ts')).toBeUndefined();
  });

  it('returns undefined for missing, oversized and binary files', async () => {
    nock(API)
      .get('/repos/acme/api/contents/missing.ts')
      .query(true)
      .reply(404, { message: 'Not Found' })
      .get('/repos/acme/api/contents/big.sql')
      .query(true)
      .reply(200, { type: 'file', size: 5000, encoding: 'base64', content: '' })
      .get('/repos/acme/api/contents/blob.bin')
      .query(true)
      .reply(200, contents(Buffer.from([0x50, 0x4b, 0x00, 0x01])))
      .get('/repos/acme/api/contents/src')
      .query(true)
      .reply(200, [{ type: 'file', name: 'a.ts' }]);
    const reader = githubContentReader(testOctokit(), options);
    expect(await reader.read('head', 'missing.ts')).toBeUndefined();
    expect(await reader.read('head', 'big.sql')).toBeUndefined();
    expect(await reader.read('head', 'blob.bin')).toBeUndefined();
    expect(await reader.read('head', 'src')).toBeUndefined();
  });

  it('stops reading once the per-review byte budget is used up', async () => {
    nock(API)
      .get('/repos/acme/api/contents/one.ts')
      .query(true)
      .reply(200, contents('x'.repeat(600)));
    const reader = githubContentReader(testOctokit(), {
      ...options,
      budgetBytes: 500,
    });
    expect(await reader.read('head', 'one.ts')).toHaveLength(600);
    // No request is made for the second file: the mock list above has no entry for it.
    expect(await reader.read('head', 'two.ts')).toBeUndefined();
  });

  it('fetches the raw file when GitHub sends no inline content (files over 1 MB)', async () => {
    nock(API)
      .get('/repos/acme/api/contents/mid.sql')
      .query(true)
      .reply(200, { type: 'file', size: 20, encoding: 'none', content: '' })
      .get('/repos/acme/api/contents/mid.sql')
      .query(true)
      .matchHeader('accept', /application\/vnd\.github\.v3\.raw/)
      .reply(200, 'select 1 from orders;', {
        'content-type': 'application/vnd.github.raw; charset=utf-8',
      });
    const reader = githubContentReader(testOctokit(), options);
    expect(await reader.read('head', 'mid.sql')).toBe('select 1 from orders;');
  });

  it('throws on server errors instead of pretending the file does not exist, and retries later', async () => {
    nock(API)
      .get('/repos/acme/api/contents/a.ts')
      .query(true)
      .reply(502, { message: 'Bad Gateway' })
      .get('/repos/acme/api/contents/a.ts')
      .query(true)
      .reply(200, contents('ok'));
    const reader = githubContentReader(testOctokit(), options);
    await expect(reader.read('head', 'a.ts')).rejects.toMatchObject({
      status: 502,
    });
    expect(await reader.read('head', 'a.ts')).toBe('ok');
  });

  it('lists head paths from the recursive tree and warns when GitHub truncated it', async () => {
    nock(API)
      .get(`/repos/acme/api/git/trees/${HEAD}`)
      .query({ recursive: '1' })
      .reply(200, {
        sha: HEAD,
        truncated: true,
        tree: [
          { path: 'src', type: 'tree' },
          { path: 'src/a.ts', type: 'blob' },
          { path: 'db/001.sql', type: 'blob' },
        ],
      });
    const logger = recordingLogger();
    const reader = githubContentReader(testOctokit(), { ...options, logger });
    expect(await reader.listHeadPaths!()).toEqual(['src/a.ts', 'db/001.sql']);
    expect(await reader.listHeadPaths!()).toEqual(['src/a.ts', 'db/001.sql']);
    expect(
      logger.entries.some((e) => e.level === 'warn' && /truncated/.test(e.msg)),
    ).toBe(true);
  });
});
