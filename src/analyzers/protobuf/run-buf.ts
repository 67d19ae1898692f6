import { createRequire } from 'node:module';
import { z } from 'zod';
import { type BinaryResult, runBinary } from '../tools/run-binary.ts';

/** One line of `buf breaking --error-format json`. Lines and columns are 1-based; a missing path means "gone entirely". */
const AnnotationSchema = z.object({
  path: z.string().optional(),
  start_line: z.int().nonnegative().optional(),
  start_column: z.int().nonnegative().optional(),
  end_line: z.int().nonnegative().optional(),
  end_column: z.int().nonnegative().optional(),
  type: z.string(),
  message: z.string(),
  policy_name: z.string().optional(),
  plugin_name: z.string().optional(),
});
export type BufAnnotation = z.infer<typeof AnnotationSchema>;

/** buf ships its binary in one npm package per platform; the wrapper package only picks one. */
const PLATFORM_PACKAGES: Record<string, string> = {
  'linux-x64': '@bufbuild/buf-linux-x64',
  'linux-arm64': '@bufbuild/buf-linux-aarch64',
  'linux-arm': '@bufbuild/buf-linux-armv7',
  'darwin-x64': '@bufbuild/buf-darwin-x64',
  'darwin-arm64': '@bufbuild/buf-darwin-arm64',
  'win32-x64': '@bufbuild/buf-win32-x64',
  'win32-arm64': '@bufbuild/buf-win32-arm64',
};

/** The buf binary for this platform, or undefined when its package is not installed. */
export function bufBinaryPath(): string | undefined {
  const pkg = PLATFORM_PACKAGES[`${process.platform}-${process.arch}`];
  if (!pkg) return undefined;
  try {
    return createRequire(import.meta.url).resolve(
      `${pkg}/bin/${process.platform === 'win32' ? 'buf.exe' : 'buf'}`,
    );
  } catch {
    return undefined;
  }
}

export class BufError extends Error {
  override name = 'BufError';
}

export interface BreakingRequest {
  binary: string;
  /** The head tree; buf runs inside it, so paths in its report are relative to it. */
  headDir: string;
  /** The base tree to compare against. */
  baseDir: string;
  /** buf's cache (kept inside the temporary tree: nothing from the machine's cache leaks in). */
  cacheDir: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

/**
 * Runs `buf breaking` on the head tree against the base tree. Throws BufError when buf cannot run,
 * times out, cannot build either tree or prints something that is not its report; rethrows the
 * caller's abort.
 */
export async function runBufBreaking(
  request: BreakingRequest,
): Promise<BufAnnotation[]> {
  const args = [
    'breaking',
    '.',
    '--against',
    request.baseDir,
    '--error-format',
    'json',
    '--exclude-imports',
  ];
  const { code, stdout, stderr } = await execute(request, args);
  // 0: nothing breaks; 100: breaking changes found, listed on stdout. Anything else is a failure.
  if (code !== 0 && code !== 100)
    throw new BufError(
      `buf exited with ${code}${stderr ? `: ${firstLine(stderr)}` : ''}`,
    );
  const annotations: BufAnnotation[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new BufError(`buf did not print JSON: ${line.slice(0, 200)}`);
    }
    const parsed = AnnotationSchema.safeParse(json);
    if (!parsed.success)
      throw new BufError(
        `unexpected buf output: ${z.prettifyError(parsed.error).split('\n')[0]}`,
      );
    annotations.push(parsed.data);
  }
  if (code === 100 && annotations.length === 0)
    throw new BufError(`buf failed${stderr ? `: ${firstLine(stderr)}` : ''}`);
  // A revision that does not compile is reported as COMPILE annotations, not as breaking changes.
  const compile = annotations.find(
    (annotation) => annotation.type === 'COMPILE',
  );
  if (compile)
    throw new BufError(
      `the .proto files do not compile: ${compile.path ?? ''}${compile.start_line ? `:${compile.start_line}` : ''}: ${compile.message}`,
    );
  return annotations;
}

function execute(
  request: BreakingRequest,
  args: string[],
): Promise<BinaryResult> {
  return runBinary({
    name: 'buf',
    binary: request.binary,
    args,
    cwd: request.headDir,
    // No PATH and no inherited environment: buf needs neither, and nothing it reads can point it elsewhere.
    env: {
      HOME: request.cacheDir,
      BUF_CACHE_DIR: request.cacheDir,
      NO_COLOR: '1',
      ...(process.platform === 'win32' && process.env.SystemRoot
        ? { SystemRoot: process.env.SystemRoot }
        : {}),
    },
    timeoutMs: request.timeoutMs,
    maxOutputBytes: MAX_OUTPUT_BYTES,
    signal: request.signal,
    error: (message) => new BufError(message),
  });
}

function firstLine(text: string): string {
  // buf prefixes errors with "Failure: "; the temporary directory's name means nothing to a reader.
  return text
    .replace(/^Failure:\s*/, '')
    .split('\n')[0]!
    .slice(0, 300);
}
