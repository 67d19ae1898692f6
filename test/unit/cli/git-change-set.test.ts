import { chmod, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitChangeSet, repoRoot } from '../../../src/cli/git-change-set.ts';
import { GitError } from '../../../src/cli/git.ts';
import { parsePatch } from '../../../src/core/diff/parse-patch.ts';
import { numberedLines, tempRepo, type TempRepo } from './git-fixture.ts';

const repos: TempRepo[] = [];
async function newRepo(initialBranch?: string): Promise<TempRepo> {
  const repo = await tempRepo(initialBranch);
  repos.push(repo);
  return repo;
}

afterEach(async () => {
  await Promise.all(repos.splice(0).map((r) => r.remove()));
});

function byPath<T extends { path: string }>(files: T[], path: string): T {
  const file = files.find((f) => f.path === path);
  if (!file)
    throw new Error(
      `no changed file ${path} in ${files.map((f) => f.path).join(', ')}`,
    );
  return file;
}

describe('gitChangeSet', () => {
  it('lists added, modified, removed and renamed files with counts and patches', async () => {
    const repo = await newRepo();
    await repo.write(
      'src/app.ts',
      'export const a = 1;\nexport const b = 2;\n',
    );
    await repo.write('src/old-name.ts', numberedLines(20));
    await repo.write('src/gone.ts', 'export {};\n');
    const baseSha = await repo.commitAll('base');
    await repo.git('checkout', '--quiet', '-b', 'feature');
    await repo.write(
      'src/app.ts',
      'export const a = 1;\nexport const b = 3;\nexport const c = 4;\n',
    );
    await repo.git('mv', 'src/old-name.ts', 'src/new-name.ts');
    await repo.write('src/new-name.ts', numberedLines(21));
    await repo.git('rm', '--quiet', 'src/gone.ts');
    await repo.write(
      'db/migrations/001_init.sql',
      'CREATE TABLE t (id int);\n',
    );
    const headSha = await repo.commitAll('feature work');

    const changeSet = await gitChangeSet({
      repo: repo.dir,
      base: 'main',
      head: 'feature',
    });

    expect(changeSet.baseSha).toBe(baseSha);
    expect(changeSet.headSha).toBe(headSha);
    expect(changeSet.baseRef).toBe('main');
    expect(changeSet.headRef).toBe('feature');
    expect(changeSet.listingComplete).toBe(true);
    expect(changeSet.title).toBe('feature work');
    expect(changeSet.files.map((f) => [f.path, f.status]).sort()).toEqual([
      ['db/migrations/001_init.sql', 'added'],
      ['src/app.ts', 'modified'],
      ['src/gone.ts', 'removed'],
      ['src/new-name.ts', 'renamed'],
    ]);

    const modified = byPath(changeSet.files, 'src/app.ts');
    expect([modified.additions, modified.deletions]).toEqual([2, 1]);
    expect(modified.patch).toBe(
      '@@ -1,2 +1,3 @@\n export const a = 1;\n-export const b = 2;\n+export const b = 3;\n+export const c = 4;',
    );

    const renamed = byPath(changeSet.files, 'src/new-name.ts');
    expect(renamed.previousPath).toBe('src/old-name.ts');
    expect([renamed.additions, renamed.deletions]).toEqual([1, 0]);

    const removed = byPath(changeSet.files, 'src/gone.ts');
    expect([removed.additions, removed.deletions]).toEqual([0, 1]);
    expect(removed.patch).toBe('@@ -1 +0,0 @@\n-export {};');

    const added = byPath(changeSet.files, 'db/migrations/001_init.sql');
    expect(added.patch).toBe('@@ -0,0 +1 @@\n+CREATE TABLE t (id int);');
    expect(added.previousPath).toBeUndefined();
  });

  it('gives hunks whose line numbers match the files at both sides', async () => {
    const repo = await newRepo();
    await repo.write('service.py', numberedLines(40));
    await repo.commitAll('base');
    await repo.git('checkout', '--quiet', '-b', 'feature');
    const lines = numberedLines(40).split('\n');
    lines.splice(0, 0, 'import os'); // one line inserted at the top shifts everything below by one
    lines[30] = 'line 30 changed'; // head line 31, base line 30
    await repo.write('service.py', lines.join('\n'));
    await repo.commitAll('edit');

    const changeSet = await gitChangeSet({
      repo: repo.dir,
      base: 'main',
      head: 'feature',
    });
    const hunks = parsePatch(byPath(changeSet.files, 'service.py').patch);

    expect(
      hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines]),
    ).toEqual([
      [1, 3, 1, 4],
      [27, 7, 28, 7],
    ]);
    const addedLines = hunks.flatMap((h) =>
      h.lines.filter((l) => l.kind === 'add').map((l) => [l.newLine, l.text]),
    );
    expect(addedLines).toEqual([
      [1, 'import os'],
      [31, 'line 30 changed'],
    ]);
    const removedLines = hunks.flatMap((h) =>
      h.lines.filter((l) => l.kind === 'del').map((l) => [l.oldLine, l.text]),
    );
    expect(removedLines).toEqual([[30, 'line 30']]);

    const head = (await changeSet.contents.read('head', 'service.py'))!.split(
      '\n',
    );
    const base = (await changeSet.contents.read('base', 'service.py'))!.split(
      '\n',
    );
    expect(head[31 - 1]).toBe('line 30 changed');
    expect(base[30 - 1]).toBe('line 30');
  });

  it('reports binary files without a patch and says why', async () => {
    const repo = await newRepo();
    await repo.write('assets/logo.bin', new Uint8Array([0, 1, 2, 3]));
    await repo.commitAll('base');
    await repo.git('checkout', '--quiet', '-b', 'feature');
    await repo.write('assets/logo.bin', new Uint8Array([0, 9, 9, 9, 9]));
    await repo.write('assets/new.bin', new Uint8Array([0, 0, 7]));
    await repo.commitAll('binary');

    const changeSet = await gitChangeSet({
      repo: repo.dir,
      base: 'main',
      head: 'feature',
    });
    const modified = byPath(changeSet.files, 'assets/logo.bin');
    expect(modified.status).toBe('modified');
    expect(modified.patch).toBeUndefined();
    expect(modified.patchMissingReason).toMatch(/binary/);
    const added = byPath(changeSet.files, 'assets/new.bin');
    expect(added.status).toBe('added');
    expect(added.patch).toBeUndefined();
    expect(added.patchMissingReason).toMatch(/binary/);
    expect(
      await changeSet.contents.read('head', 'assets/logo.bin'),
    ).toBeUndefined();
  });

  it('reads contents at base and head, and lists head paths', async () => {
    const repo = await newRepo();
    await repo.write('a.ts', 'base a\n');
    await repo.write('removed.ts', 'base only\n');
    await repo.write('big.sql', 'x'.repeat(5000));
    await repo.commitAll('base');
    await repo.git('checkout', '--quiet', '-b', 'feature');
    await repo.write('a.ts', 'head a\n');
    await repo.write('nested/dir/b.ts', 'head only\n');
    await repo.git('rm', '--quiet', 'removed.ts');
    await repo.commitAll('head');
    // Uncommitted edits are not part of the change and never read.
    await repo.write('a.ts', 'dirty working tree\n');

    const changeSet = await gitChangeSet({
      repo: repo.dir,
      base: 'main',
      head: 'feature',
      maxFileBytes: 4000,
    });
    const { contents } = changeSet;
    expect(await contents.read('base', 'a.ts')).toBe('base a\n');
    expect(await contents.read('head', 'a.ts')).toBe('head a\n');
    expect(await contents.read('base', 'nested/dir/b.ts')).toBeUndefined();
    expect(await contents.read('head', 'nested/dir/b.ts')).toBe('head only\n');
    expect(await contents.read('base', 'removed.ts')).toBe('base only\n');
    expect(await contents.read('head', 'removed.ts')).toBeUndefined();
    expect(await contents.read('head', 'nested')).toBeUndefined();
    expect(await contents.read('head', 'big.sql')).toBeUndefined();
    expect((await contents.listHeadPaths!()).sort()).toEqual([
      'a.ts',
      'big.sql',
      'nested/dir/b.ts',
    ]);
    expect(changeSet.files.map((f) => f.path).sort()).toEqual([
      'a.ts',
      'nested/dir/b.ts',
      'removed.ts',
    ]);
  });

  it('diffs from the merge base, so later commits on the base branch are not part of the change', async () => {
    const repo = await newRepo();
    await repo.write('shared.ts', 'v1\n');
    const forkPoint = await repo.commitAll('base');
    await repo.git('checkout', '--quiet', '-b', 'feature');
    await repo.write('feature.ts', 'feature\n');
    await repo.commitAll('feature');
    await repo.git('checkout', '--quiet', 'main');
    await repo.write('main-only.ts', 'main moved on\n');
    await repo.write('shared.ts', 'v2\n');
    await repo.commitAll('main moves on');

    const changeSet = await gitChangeSet({
      repo: repo.dir,
      base: 'main',
      head: 'feature',
    });
    expect(changeSet.baseSha).toBe(forkPoint);
    expect(changeSet.files.map((f) => f.path)).toEqual(['feature.ts']);
    expect(await changeSet.contents.read('base', 'shared.ts')).toBe('v1\n');
  });

  it('defaults head to HEAD and base to main, then master, then origin/HEAD when present', async () => {
    const repo = await newRepo('master');
    await repo.write('a.ts', '1\n');
    const masterSha = await repo.commitAll('base');
    await repo.git('checkout', '--quiet', '-b', 'topic');
    await repo.write('a.ts', '2\n');
    const topicSha = await repo.commitAll('topic');

    const onMaster = await gitChangeSet({ repo: repo.dir });
    expect([
      onMaster.baseRef,
      onMaster.headRef,
      onMaster.baseSha,
      onMaster.headSha,
    ]).toEqual(['master', 'HEAD', masterSha, topicSha]);

    await repo.git('branch', 'main', masterSha);
    expect((await gitChangeSet({ repo: repo.dir })).baseRef).toBe('main');

    await repo.git('update-ref', 'refs/remotes/origin/trunk', masterSha);
    await repo.git(
      'symbolic-ref',
      'refs/remotes/origin/HEAD',
      'refs/remotes/origin/trunk',
    );
    expect((await gitChangeSet({ repo: repo.dir })).baseRef).toBe(
      'origin/trunk',
    );
  });

  it('works from a subdirectory and resolves the repository root', async () => {
    const repo = await newRepo();
    await repo.write('pkg/inner/x.ts', '1\n');
    await repo.commitAll('base');
    await repo.git('checkout', '--quiet', '-b', 'feature');
    await repo.write('top.ts', '2\n');
    await repo.commitAll('feature');

    const changeSet = await gitChangeSet({
      repo: join(repo.dir, 'pkg', 'inner'),
      base: 'main',
      head: 'feature',
    });
    expect(changeSet.files.map((f) => f.path)).toEqual(['top.ts']);
    expect(await changeSet.contents.read('head', 'top.ts')).toBe('2\n');
    expect(await repoRoot(join(repo.dir, 'pkg'))).toBe(changeSet.root);
  });

  it('keeps unusual paths intact and folds mode and type changes into one entry', async () => {
    const repo = await newRepo();
    await repo.write('dir with space/file "quoted".ts', 'a\n');
    await repo.write('tab\tname.ts', 'a\n');
    await repo.write('ünïcode.ts', 'a\n');
    await repo.write('run.sh', 'echo hi\n');
    await repo.write('link', 'plain file\n');
    await repo.commitAll('base');
    await repo.git('checkout', '--quiet', '-b', 'feature');
    await repo.write('dir with space/file "quoted".ts', 'b\n');
    await repo.write('tab\tname.ts', 'b\n');
    await repo.write('ünïcode.ts', 'b\n');
    await chmod(join(repo.dir, 'run.sh'), 0o755);
    await rm(join(repo.dir, 'link'));
    await symlink('run.sh', join(repo.dir, 'link'));
    await repo.commitAll('edits');

    const changeSet = await gitChangeSet({
      repo: repo.dir,
      base: 'main',
      head: 'feature',
    });
    for (const path of [
      'dir with space/file "quoted".ts',
      'tab\tname.ts',
      'ünïcode.ts',
    ]) {
      const file = byPath(changeSet.files, path);
      expect(file.status).toBe('modified');
      expect(file.patch).toBe('@@ -1 +1 @@\n-a\n+b');
      expect(await changeSet.contents.read('head', path)).toBe('b\n');
    }
    const modeOnly = byPath(changeSet.files, 'run.sh');
    expect([
      modeOnly.status,
      modeOnly.patch,
      modeOnly.additions,
      modeOnly.deletions,
    ]).toEqual(['changed', '', 0, 0]);
    const typeChange = changeSet.files.filter((f) => f.path === 'link');
    expect(typeChange).toHaveLength(1);
    expect(typeChange[0]!.status).toBe('changed');
    expect(
      parsePatch(typeChange[0]!.patch).map((h) =>
        h.lines.map((l) => `${l.kind}:${l.text}`),
      ),
    ).toEqual([['del:plain file'], ['add:run.sh']]);
  });

  it('drops the patch of a file whose diff is over the byte budget, with the reason', async () => {
    const repo = await newRepo();
    await repo.write('seed.sql', '');
    await repo.commitAll('base');
    await repo.git('checkout', '--quiet', '-b', 'feature');
    await repo.write('seed.sql', 'INSERT INTO t VALUES (1);\n'.repeat(200));
    await repo.commitAll('seed');

    const changeSet = await gitChangeSet({
      repo: repo.dir,
      base: 'main',
      head: 'feature',
      maxFileBytes: 1000,
    });
    const file = byPath(changeSet.files, 'seed.sql');
    expect(file.patch).toBeUndefined();
    expect(file.patchMissingReason).toMatch(/larger than 1000 bytes/);
    expect([file.additions, file.deletions]).toEqual([200, 0]);
  });

  it('returns no files when head is the merge base', async () => {
    const repo = await newRepo();
    await repo.write('a.ts', '1\n');
    const sha = await repo.commitAll('base');
    const changeSet = await gitChangeSet({
      repo: repo.dir,
      base: 'main',
      head: 'main',
    });
    expect(changeSet.files).toEqual([]);
    expect(changeSet.headSha).toBe(sha);
    expect(changeSet.title).toBeUndefined();
  });

  describe('errors', () => {
    it('names an unknown ref', async () => {
      const repo = await newRepo();
      await repo.write('a.ts', '1\n');
      await repo.commitAll('base');
      await expect(
        gitChangeSet({ repo: repo.dir, base: 'main', head: 'no-such-branch' }),
      ).rejects.toThrow(
        new GitError(
          'unknown git ref "no-such-branch": no such branch, tag or commit',
        ),
      );
      await expect(
        gitChangeSet({ repo: repo.dir, base: 'nope', head: 'main' }),
      ).rejects.toThrow(/unknown git ref "nope"/);
    });

    it('refuses refs that git would read as options', async () => {
      const repo = await newRepo();
      await repo.write('a.ts', '1\n');
      await repo.commitAll('base');
      await expect(
        gitChangeSet({ repo: repo.dir, base: '--output=/tmp/x', head: 'main' }),
      ).rejects.toThrow(/invalid git ref/);
    });

    it('says when the directory is not a repository or does not exist', async () => {
      const repo = await newRepo();
      await repo.git('init', '--quiet', '--bare', 'bare.git');
      await expect(
        gitChangeSet({ repo: join(repo.dir, 'bare.git') }),
      ).rejects.toThrow(/is not inside a git working tree/);
      await expect(
        gitChangeSet({ repo: join(repo.dir, 'missing') }),
      ).rejects.toThrow(/missing does not exist/);
      await writeFile(join(repo.dir, 'plain.txt'), 'x');
      await expect(
        gitChangeSet({ repo: join(repo.dir, 'plain.txt') }),
      ).rejects.toThrow(/is not a directory/);
    });

    it('says when there is no base branch to compare with', async () => {
      const repo = await newRepo('trunk');
      await repo.write('a.ts', '1\n');
      await repo.commitAll('base');
      await expect(gitChangeSet({ repo: repo.dir })).rejects.toThrow(
        /could not find a base branch.*--base/,
      );
    });

    it('says when base and head share no history', async () => {
      const repo = await newRepo();
      await repo.write('a.ts', '1\n');
      await repo.commitAll('base');
      await repo.git('checkout', '--quiet', '--orphan', 'unrelated');
      await repo.write('b.ts', '2\n');
      await repo.commitAll('unrelated');
      await expect(
        gitChangeSet({ repo: repo.dir, base: 'main', head: 'unrelated' }),
      ).rejects.toThrow(/"main" and "unrelated" have no common history/);
    });
  });
});
