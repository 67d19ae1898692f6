import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { devNull, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** A throwaway repository in the system temp directory, driven by plain git commands. */
export interface TempRepo {
  dir: string;
  git(...args: string[]): Promise<string>;
  write(path: string, content: string | Uint8Array): Promise<void>;
  commitAll(message: string): Promise<string>;
  remove(): Promise<void>;
}

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_GLOBAL: devNull,
  GIT_CONFIG_NOSYSTEM: '1',
};

export async function tempRepo(initialBranch = 'main'): Promise<TempRepo> {
  const dir = await mkdtemp(join(tmpdir(), 'architect-cli-'));
  const git = async (...args: string[]) =>
    (await exec('git', args, { cwd: dir, env: ENV })).stdout;
  await git('init', '--quiet', '--initial-branch', initialBranch);
  return {
    dir,
    git,
    async write(path, content) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    },
    async commitAll(message) {
      await git('add', '--all');
      await git('commit', '--quiet', '--allow-empty', '--message', message);
      return (await git('rev-parse', 'HEAD')).trim();
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** `count` numbered lines, `line 1` to `line <count>`, each ending in a newline. */
export function numberedLines(count: number): string {
  return Array.from({ length: count }, (_, i) => `line ${i + 1}\n`).join('');
}
