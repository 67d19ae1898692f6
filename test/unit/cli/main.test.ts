import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { USAGE } from '../../../src/cli/parse-args.ts';
import { captureIo } from './cli-io.ts';
import { tempRepo, type TempRepo } from './git-fixture.ts';

let repo: TempRepo;

beforeAll(async () => {
  repo = await tempRepo();
  await repo.write('api/handler.go', 'package api\n');
  await repo.commitAll('base');
  await repo.git('checkout', '--quiet', '-b', 'feature');
  await repo.write('api/handler.go', 'package api\n\nfunc Handle() {}\n');
  await repo.commitAll('handler');
});

afterAll(async () => {
  await repo.remove();
});

describe('main', () => {
  it('exits 2 on a bad --format, naming the problem and showing usage', async () => {
    const { io, stdout, stderr } = captureIo();
    expect(await main(['review', '--format', 'html'], io)).toBe(2);
    expect(stdout()).toBe('');
    expect(stderr()).toBe(
      `architect: --format must be one of text, markdown, json, sarif (got "html")\n\n${USAGE}`,
    );
  });

  it('exits 2 on an unknown command', async () => {
    const { io, stderr } = captureIo();
    expect(await main(['deploy'], io)).toBe(2);
    expect(stderr()).toMatch(/^architect: unknown command "deploy"/);
  });

  it('prints help to stdout and exits 0', async () => {
    const { io, stdout, stderr } = captureIo();
    expect(await main(['help'], io)).toBe(0);
    expect(stdout()).toBe(USAGE);
    expect(stderr()).toBe('');
  });

  it('prints the package version', async () => {
    const pkg = JSON.parse(
      await readFile(new URL('../../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    const { io, stdout } = captureIo();
    expect(await main(['--version'], io)).toBe(0);
    expect(stdout()).toBe(`${pkg.version}\n`);
  });

  it('runs a review end to end and exits with the gate', async () => {
    const { io, stdout, stderr } = captureIo();
    const code = await main(
      [
        'review',
        '--repo',
        repo.dir,
        '--base',
        'main',
        '--head',
        'feature',
        '--format',
        'markdown',
        '--no-model',
      ],
      io,
      {
        analyzers: [],
        signal: new AbortController().signal,
      },
    );
    expect(code).toBe(0);
    expect(stdout().length).toBeGreaterThan(0);
    expect(stderr()).toMatch(
      /reviewing 1 changed file main \([0-9a-f]{7}\)\.\.feature \([0-9a-f]{7}\)/,
    );
    expect(stderr()).toContain(
      '--no-model: only the deterministic analyzers run',
    );
    expect(stderr()).toMatch(/architect: success: /);
  });

  it('exits 130 when interrupted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('interrupted'));
    const { io, stderr } = captureIo();
    const code = await main(
      ['review', '--repo', repo.dir, '--base', 'main', '--head', 'feature'],
      io,
      { analyzers: [], signal: controller.signal },
    );
    expect(code).toBe(130);
    expect(stderr()).toContain('architect: interrupted');
  });
});
