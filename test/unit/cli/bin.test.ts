import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = fileURLToPath(
  new URL('../../../bin/architect.js', import.meta.url),
);

describe('bin/architect.js', () => {
  it('says how to get a suitable Node, and exits 2, where Node cannot run TypeScript sources', async () => {
    // Turning type stripping off makes this Node behave like Node 20 for the shim.
    const failure = await run(process.execPath, [
      '--no-experimental-strip-types',
      bin,
      '--version',
    ]).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 2, stdout: '' });
    const stderr = (failure as { stderr: string }).stderr;
    expect(stderr).toContain('needs a Node.js that runs TypeScript sources');
    expect(stderr).toContain('scripts/dev.sh');
    expect(stderr).not.toContain('ERR_UNKNOWN_FILE_EXTENSION');
  });

  it('runs the CLI where it can', async () => {
    const { stdout } = await run(process.execPath, [bin, '--version']);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
