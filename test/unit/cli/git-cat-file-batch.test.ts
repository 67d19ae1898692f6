import { afterEach, describe, expect, it } from 'vitest';
import {
  catFileBatch,
  type CatFileBatch,
} from '../../../src/cli/git-cat-file-batch.ts';
import { tempRepo, type TempRepo } from './git-fixture.ts';

let repo: TempRepo | undefined;
let batch: CatFileBatch | undefined;
afterEach(async () => {
  batch?.close();
  await repo?.remove();
  repo = batch = undefined;
});

describe('catFileBatch', () => {
  it('answers pipelined reads in order: blobs, missing paths, trees and blobs over budget', async () => {
    repo = await tempRepo();
    await repo.write('a.txt', 'first\n');
    await repo.write('dir/b.txt', 'second, no newline');
    await repo.write('big.txt', 'x'.repeat(5_000));
    await repo.write('empty.txt', '');
    await repo.commitAll('files');
    batch = catFileBatch({ cwd: repo.dir, maxBytes: 1_000 });

    const answers = await Promise.all(
      [
        'HEAD:a.txt',
        'HEAD:nope.txt',
        'HEAD:dir',
        'HEAD:big.txt',
        'HEAD:dir/b.txt',
        'HEAD:empty.txt',
      ].map((name) => batch!.read(name)),
    );

    expect(
      answers.map((a) => (a.kind === 'blob' ? a.data.toString('utf8') : a)),
    ).toEqual([
      'first\n',
      { kind: 'missing' },
      { kind: 'not-a-blob', type: 'tree' },
      { kind: 'too-large', size: 5_000 },
      'second, no newline',
      '',
    ]);
  });

  it('works in a bare repository and starts git again after close', async () => {
    repo = await tempRepo();
    await repo.write('a.txt', 'v1\n');
    const sha = await repo.commitAll('one');
    const bare = `${repo.dir}/.git`;
    batch = catFileBatch({ cwd: bare, maxBytes: 1_000 });

    const first = await batch.read(`${sha}:a.txt`);
    batch.close();
    const second = await batch.read(`${sha}:a.txt`);

    expect(first).toEqual({ kind: 'blob', data: Buffer.from('v1\n') });
    expect(second).toEqual(first);
  });

  it('rejects an aborted read without losing the answers to later ones', async () => {
    repo = await tempRepo();
    await repo.write('a.txt', 'a\n');
    await repo.write('b.txt', 'b\n');
    await repo.commitAll('files');
    batch = catFileBatch({ cwd: repo.dir, maxBytes: 1_000 });
    const controller = new AbortController();

    const aborted = batch.read('HEAD:a.txt', controller.signal);
    controller.abort(new Error('stop'));
    const later = batch.read('HEAD:b.txt');

    await expect(aborted).rejects.toThrow('stop');
    expect(await later).toEqual({ kind: 'blob', data: Buffer.from('b\n') });
  });

  it('refuses names the line protocol cannot carry, and fails reads outside a repository', async () => {
    repo = await tempRepo();
    batch = catFileBatch({ cwd: repo.dir, maxBytes: 1_000 });
    await expect(batch.read('HEAD:two\nlines')).rejects.toThrow('newline');

    const outside = catFileBatch({ cwd: '/', maxBytes: 1_000 });
    await expect(outside.read('HEAD:a.txt')).rejects.toThrow(/git cat-file/);
    outside.close();
  });
});
