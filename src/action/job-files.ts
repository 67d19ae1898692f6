import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { allRules } from '../analyzers/index.ts';
import type { ReviewResult } from '../core/review.ts';
import { formatSarif } from '../report/format-sarif.ts';
import { limitMarkdown } from '../report/limit.ts';
import { VERSION } from '../cli/version.ts';

/** GitHub shows at most 1 MiB of a step's summary. */
const STEP_SUMMARY_LIMIT = 1_000_000;

/** Files the runner gives a step: the job summary, the step's outputs, the workspace. */
export interface JobFiles {
  summaryPath?: string;
  outputPath?: string;
  workspace: string;
}

export function jobFiles(env: NodeJS.ProcessEnv): JobFiles {
  return {
    ...(env.GITHUB_STEP_SUMMARY
      ? { summaryPath: env.GITHUB_STEP_SUMMARY }
      : {}),
    ...(env.GITHUB_OUTPUT ? { outputPath: env.GITHUB_OUTPUT } : {}),
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
  };
}

export async function appendSummary(
  files: JobFiles,
  markdown: string,
): Promise<void> {
  if (!files.summaryPath) return;
  await appendFile(
    files.summaryPath,
    `${limitMarkdown(markdown, STEP_SUMMARY_LIMIT)}\n`,
    'utf8',
  );
}

/** `name=value` lines for `steps.<id>.outputs`; values here are single-line. */
export async function setOutputs(
  files: JobFiles,
  outputs: Record<string, string>,
): Promise<void> {
  if (!files.outputPath) return;
  const lines = Object.entries(outputs).map(
    ([name, value]) => `${name}=${value.replace(/[\r\n]+/g, ' ')}\n`,
  );
  await appendFile(files.outputPath, lines.join(''), 'utf8');
}

/** Writes the SARIF report for `github/codeql-action/upload-sarif`; returns its path. */
export async function writeSarif(
  files: JobFiles,
  file: string,
  result: ReviewResult,
): Promise<string> {
  const path = isAbsolute(file) ? file : resolve(files.workspace, file);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(
    path,
    `${formatSarif(result, { rules: allRules(), toolVersion: VERSION })}\n`,
    'utf8',
  );
  return path;
}
