// The GitHub Action's entry. It stays plain JavaScript so the runner's Node can start it before any
// dependency is installed: the repository carries no bundle, so on the first run in a job the
// production dependencies are installed into the action's own directory (`npm ci --omit=dev`, from
// the committed lockfile), then the TypeScript entry is imported. Node 24 strips the types of
// `.ts` files outside node_modules at load time.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  // npm's own CLI next to the running node when there is one, else npm from PATH.
  const bundled = join(
    dirname(process.execPath),
    '..',
    'lib',
    'node_modules',
    'npm',
    'bin',
    'npm-cli.js',
  );
  const [command, ...prefix] = existsSync(bundled)
    ? [process.execPath, bundled]
    : [process.platform === 'win32' ? 'npm.cmd' : 'npm'];
  // Install scripts of dependencies get neither the step's inputs (the model key) nor the runner's tokens.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !/^(INPUT_|ACTIONS_RUNTIME_TOKEN$|ACTIONS_ID_TOKEN_REQUEST_)/.test(
          name,
        ),
    ),
  );
  const started = Date.now();
  const result = spawnSync(
    command,
    [
      ...prefix,
      'ci',
      '--omit=dev',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
    ],
    {
      cwd: root,
      env,
      // npm's output goes to stderr: stdout is read for workflow commands.
      stdio: ['ignore', 2, 2],
      shell: process.platform === 'win32',
    },
  );
  if (result.status !== 0) {
    const why = result.error
      ? result.error.message
      : `npm ci exited with ${result.status}`;
    process.stdout.write(
      `::error title=Backend Architect::could not install the action's dependencies (${why}); the runner needs npm on PATH\n`,
    );
    process.exit(2);
  }
  process.stderr.write(
    `Backend Architect: installed its dependencies in ${Math.round((Date.now() - started) / 1000)} s\n`,
  );
}

await import('./main.ts');
