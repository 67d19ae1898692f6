/**
 * Turns the two snapshots of examples/orders-service into a git repository: base committed on
 * `main`, head on `feature/checkout-v2`, the way a pull request would look.
 */
import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import { devNull } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runGit } from '../src/cli/git.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const EXAMPLE_DIR = join(ROOT, 'examples', 'orders-service');
export const EXAMPLE_BASE_BRANCH = 'main';
export const EXAMPLE_HEAD_BRANCH = 'feature/checkout-v2';

/** Fixed identity and dates: no git config needed, and the same commits (same SHAs) on every machine. */
function commitEnv(date: string): NodeJS.ProcessEnv {
  return {
    GIT_AUTHOR_NAME: 'Orders Team',
    GIT_AUTHOR_EMAIL: 'orders-team@example.com',
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: 'Orders Team',
    GIT_COMMITTER_EMAIL: 'orders-team@example.com',
    GIT_COMMITTER_DATE: date,
    // The user's own config (signing, hooks, templates) must not change the example.
    GIT_CONFIG_GLOBAL: devNull,
    GIT_CONFIG_NOSYSTEM: '1',
  };
}

/** Creates (or recreates) the example repository at `target`. */
export async function buildExampleRepo(target: string): Promise<void> {
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  const git = (args: string[], date = '2025-03-03T09:00:00Z') =>
    runGit(args, { cwd: target, env: commitEnv(date) });

  await git(['init', '--quiet', '--initial-branch', EXAMPLE_BASE_BRANCH]);
  await cp(join(EXAMPLE_DIR, 'base'), target, { recursive: true });
  await git(['add', '--all']);
  await git([
    'commit',
    '--quiet',
    '--message',
    'Orders service 1.4: create orders and payment intents',
  ]);

  await git(['checkout', '--quiet', '-b', EXAMPLE_HEAD_BRANCH]);
  for (const entry of await readdir(target)) {
    if (entry !== '.git')
      await rm(join(target, entry), { recursive: true, force: true });
  }
  await cp(join(EXAMPLE_DIR, 'head'), target, { recursive: true });
  await git(['add', '--all']);
  await git(
    [
      'commit',
      '--quiet',
      '--message',
      'Checkout v2: customer accounts and payment capture',
    ],
    '2025-03-10T14:30:00Z',
  );
}
