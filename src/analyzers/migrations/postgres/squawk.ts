import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { runBinary } from '../../tools/run-binary.ts';
import type { SqlSettings } from '../types.ts';

/** One diagnostic of `squawk --reporter json`. Lines and columns are 0-based; columns count UTF-8 bytes. */
const ViolationSchema = z.object({
  file: z.string(),
  line: z.int().nonnegative(),
  column: z.int().nonnegative(),
  line_end: z.int().nonnegative(),
  column_end: z.int().nonnegative(),
  level: z.string(),
  message: z.string(),
  help: z.string().nullish(),
  rule_name: z.string(),
});
const OutputSchema = z.array(ViolationSchema);
export type SquawkViolation = z.infer<typeof ViolationSchema>;

/** squawk ships its binary in one npm package per platform; the wrapper package only picks one. */
const PLATFORM_PACKAGES: Record<string, string> = {
  'linux-x64': '@squawk-cli/linux-x64',
  'linux-arm64': '@squawk-cli/linux-arm64',
  'darwin-x64': '@squawk-cli/darwin-x64',
  'darwin-arm64': '@squawk-cli/darwin-arm64',
  'win32-x64': '@squawk-cli/win32-x64',
};

/** The squawk binary for this platform, or undefined when its package is not installed. */
export function squawkBinaryPath(): string | undefined {
  const pkg = PLATFORM_PACKAGES[`${process.platform}-${process.arch}`];
  if (!pkg) return undefined;
  try {
    return createRequire(import.meta.url).resolve(
      `${pkg}/bin/${process.platform === 'win32' ? 'squawk.exe' : 'squawk'}`,
    );
  } catch {
    return undefined;
  }
}

export class SquawkError extends Error {
  override name = 'SquawkError';
}

export interface SquawkRequest {
  binary: string;
  settings: SqlSettings;
  /** Opt-in squawk rules to turn on, e.g. require-table-schema. */
  include?: readonly string[];
  sources: readonly string[];
  timeoutMs: number;
  signal?: AbortSignal;
}

const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/**
 * Lints every source in one squawk process and returns the violations of each source, in order.
 * Throws SquawkError when squawk cannot run, times out or prints something that is not its report;
 * rethrows the caller's abort.
 */
export async function runSquawk(
  request: SquawkRequest,
): Promise<SquawkViolation[][]> {
  const dir = await mkdtemp(join(tmpdir(), 'architect-squawk-'));
  try {
    // An empty config pins squawk's defaults: no .squawk.toml from the working directory leaks in.
    await writeFile(join(dir, '.squawk.toml'), '');
    const names = request.sources.map(
      (_, i) => `${String(i).padStart(5, '0')}.sql`,
    );
    await Promise.all(
      names.map((name, i) => writeFile(join(dir, name), request.sources[i]!)),
    );
    const args = [
      '--reporter=json',
      `--pg-version=${request.settings.pgVersion}`,
      request.settings.assumeInTransaction
        ? '--assume-in-transaction'
        : '--no-assume-in-transaction',
      '--config=.squawk.toml',
      ...(request.include && request.include.length > 0
        ? [`--include=${request.include.join(',')}`]
        : []),
      ...names,
    ];
    const stdout = await execute(
      request.binary,
      args,
      dir,
      request.timeoutMs,
      request.signal,
    );
    const parsed = OutputSchema.safeParse(parseJson(stdout));
    if (!parsed.success)
      throw new SquawkError(
        `unexpected squawk output: ${z.prettifyError(parsed.error).split('\n')[0]}`,
      );
    const byName = new Map(names.map((name, i) => [name, i]));
    const result: SquawkViolation[][] = request.sources.map(() => []);
    for (const violation of parsed.data) {
      const index = byName.get(violation.file.replace(/^.*[\\/]/, ''));
      if (index !== undefined) result[index]!.push(violation);
    }
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.trim() === '' ? '[]' : text);
  } catch {
    throw new SquawkError(`squawk did not print JSON: ${text.slice(0, 200)}`);
  }
}

async function execute(
  binary: string,
  args: string[],
  cwd: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<string> {
  const { code, killedBy, stdout, stderr } = await runBinary({
    name: 'squawk',
    binary,
    args,
    cwd,
    timeoutMs,
    maxOutputBytes: MAX_OUTPUT_BYTES,
    signal,
    error: (message) => new SquawkError(message),
  });
  // Exit code 1 means "violations found"; the report is still on stdout.
  if (code !== 0 && code !== 1) {
    throw new SquawkError(
      `squawk exited with ${code ?? killedBy}${stderr ? `: ${firstLine(stderr)}` : ''}`,
    );
  }
  if (code === 1 && stdout.trim() === '')
    throw new SquawkError(
      `squawk failed${stderr ? `: ${firstLine(stderr)}` : ''}`,
    );
  return stdout;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 300);
}
