import type { CliIo } from '../../../src/cli/run-review.ts';

/** Captures what the CLI writes, with a clean environment (no API key from the machine running the tests). */
export function captureIo(env: NodeJS.ProcessEnv = {}): {
  io: CliIo;
  stdout: () => string;
  stderr: () => string;
} {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (text: string) => out.push(text), isTTY: false },
      stderr: { write: (text: string) => err.push(text) },
      env,
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}
