import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChangedFile, Revision } from '../../core/change-set.ts';
import { mapLimit } from '../../core/concurrency.ts';
import type { CoverageNote } from '../../core/coverage.ts';
import type { DraftFinding } from '../../core/finding.ts';
import type {
  Analyzer,
  AnalyzerInput,
  AnalyzerOutput,
} from '../../core/ports.ts';
import { safeConfig } from './config-files.ts';
import { annotationToFinding } from './findings.ts';
import { generatedCodeFindings, looksGenerated } from './generated-code.ts';
import { BufError, bufBinaryPath, runBufBreaking } from './run-buf.ts';
import {
  basename,
  basePathOf,
  configuredRoot,
  dirname,
  importsOf,
  inferModuleRoot,
  isProtoPath,
  isUnder,
  joinPath,
  protoRelatedPaths,
  type RepositoryPaths,
} from './trees.ts';

export const PROTOBUF_ANALYZER_NAME = 'protobuf';

export interface ProtobufAnalyzerOptions {
  /** The buf binary; defaults to the one the npm package installed for this platform. */
  binary?: string;
  /** Per buf run (one per module or workspace with changed files). */
  timeoutMs?: number;
  /** Largest number of .proto files one revision of one workspace may have. */
  maxFiles?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_FILES = 5_000;
const READ_CONCURRENCY = 16;

/**
 * Breaking changes in Protocol Buffers (gRPC, Connect) definitions, checked by buf itself: both
 * revisions of each workspace with a changed .proto file are written to temporary directories
 * (with the repository's buf.yaml and buf.work.yaml) and `buf breaking` compares them offline.
 * Generated code edited by hand, or left behind, is reported too.
 */
export function createProtobufAnalyzer(
  options: ProtobufAnalyzerOptions = {},
): Analyzer {
  return {
    name: PROTOBUF_ANALYZER_NAME,
    lenses: ['api-contract'],
    async analyze(input: AnalyzerInput): Promise<AnalyzerOutput> {
      const findings: DraftFinding[] = [];
      const notes: CoverageNote[] = [];
      if (!input.lenses.has('api-contract')) return { findings, notes };
      const changed = input.files
        .map(({ file }) => file)
        .filter(
          (file) =>
            isProtoPath(file.path) ||
            (file.previousPath !== undefined && isProtoPath(file.previousPath)),
        );
      const generated = input.changeSet.files.some(
        (file) => file.status !== 'removed' && looksGenerated(file.path),
      );
      if (changed.length === 0 && !generated) return { findings, notes };
      const paths = await protoRelatedPaths(input.changeSet, input.signal);
      findings.push(...(await generatedCodeFindings(input, changed, paths)));
      if (changed.length === 0) return { findings, notes };

      const binary = options.binary ?? bufBinaryPath();
      if (!binary) {
        for (const file of changed)
          notes.push(
            note(
              file.path,
              `not checked for breaking changes: no buf binary for ${process.platform}-${process.arch}`,
            ),
          );
        return { findings, notes };
      }
      if (!paths.complete) {
        notes.push(
          note(
            changed[0]!.path,
            'the repository could not be listed: .proto files were built from the changed files alone, so imports of unchanged files do not resolve',
          ),
        );
      }
      for (const [root, files] of await groupByRoot(input, changed, paths)) {
        input.signal.throwIfAborted();
        try {
          findings.push(
            ...(await compareRoot(input, root, files, paths, binary, options)),
          );
        } catch (error) {
          input.signal.throwIfAborted();
          const message =
            error instanceof Error ? error.message : String(error);
          const where = root === '' ? 'the repository root' : `\`${root}\``;
          for (const file of files)
            notes.push(
              note(
                file.path,
                `not checked for breaking changes: buf could not compare ${where} (${message})`,
              ),
            );
        }
      }
      return { findings, notes };
    },
  };
}

function note(path: string, message: string): CoverageNote {
  return { source: PROTOBUF_ANALYZER_NAME, path, message };
}

/** Changed files by the directory buf runs in. */
async function groupByRoot(
  input: AnalyzerInput,
  changed: ChangedFile[],
  paths: RepositoryPaths,
): Promise<Map<string, ChangedFile[]>> {
  const configs = new Set(
    [...paths.head, ...paths.base].filter((path) => !path.endsWith('.proto')),
  );
  const protos = new Set(
    [...paths.head, ...paths.base].filter((path) => path.endsWith('.proto')),
  );
  const groups = new Map<string, ChangedFile[]>();
  for (const file of changed) {
    const side = file.status === 'removed' ? 'base' : 'head';
    const path = side === 'base' ? basePathOf(file)! : file.path;
    const root =
      configuredRoot(path, configs) ??
      inferModuleRoot(
        path,
        await input.changeSet.contents.read(side, path, input.signal),
        protos,
      );
    const list = groups.get(root) ?? [];
    list.push(file);
    groups.set(root, list);
  }
  return groups;
}

async function compareRoot(
  input: AnalyzerInput,
  root: string,
  files: ChangedFile[],
  paths: RepositoryPaths,
  binary: string,
  options: ProtobufAnalyzerOptions,
): Promise<DraftFinding[]> {
  const maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
  const touched = new Set(
    input.changeSet.files.flatMap((file) => [
      file.path,
      ...(file.previousPath ? [file.previousPath] : []),
    ]),
  );
  const seeds = files.flatMap((file) => [
    file.path,
    ...(basePathOf(file) ? [basePathOf(file)!] : []),
  ]);
  const headTexts = await readClosure(
    input,
    'head',
    paths.head.filter((path) => isUnder(path, root)),
    seeds,
    maxFiles,
    () => undefined,
  );
  // Unchanged files are the same at both revisions: read them once.
  const baseTexts = await readClosure(
    input,
    'base',
    paths.base.filter((path) => isUnder(path, root)),
    seeds,
    maxFiles,
    (path) => (touched.has(path) ? undefined : headTexts.get(path)),
  );
  const head = [...headTexts.keys()].sort();
  const base = [...baseTexts.keys()].sort();
  const dir = await mkdtemp(join(tmpdir(), 'architect-buf-'));
  try {
    const headDir = join(dir, 'head');
    const baseDir = join(dir, 'base');
    const cacheDir = join(dir, 'cache');
    await mkdir(cacheDir);
    await mkdir(headDir, { recursive: true });
    await mkdir(baseDir, { recursive: true });
    const strip = (path: string) =>
      root === '' ? path : path.slice(root.length + 1);
    let droppedDeps = false;
    for (const [revision, texts, target] of [
      ['head', headTexts, headDir],
      ['base', baseTexts, baseDir],
    ] as const) {
      await mapLimit(
        [...texts],
        READ_CONCURRENCY,
        async ([path, text]) => {
          if (text === undefined) return;
          if (path.endsWith('.proto')) return put(target, strip(path), text);
          const config = safeConfig(path, text);
          droppedDeps ||= config.droppedDeps;
          await put(target, strip(path), config.text);
          // Local policy files named in a v2 buf.yaml resolve against the directory buf runs in.
          for (const policy of config.policies) {
            const policyText = await input.changeSet.contents.read(
              revision,
              joinPath(root, policy),
              input.signal,
            );
            if (policyText !== undefined)
              await put(target, policy, safeConfig(policy, policyText).text);
          }
        },
        input.signal,
      );
    }
    const unread = files.filter(
      (file) =>
        file.status !== 'removed' && headTexts.get(file.path) === undefined,
    );
    if (unread.length > 0)
      throw new BufError(
        `the head version of ${unread[0]!.path} could not be read`,
      );
    let annotations;
    try {
      annotations = await runBufBreaking({
        binary,
        headDir,
        baseDir,
        cacheDir,
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        signal: input.signal,
      });
    } catch (error) {
      if (droppedDeps && error instanceof BufError)
        throw new BufError(
          `${error.message}; buf.yaml dependencies (deps) are not fetched`,
        );
      throw error;
    }
    const context = { root, head: new Set(head), base: new Set(base), files };
    return annotations.map((annotation) =>
      annotationToFinding(annotation, context),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The files buf needs for the changed ones at one revision: every buf.yaml and buf.work.yaml under
 * the root, the changed files and their directories' other files (package-level rules compare whole
 * packages, which live in one directory), and everything they import, transitively. A repository
 * with hundreds of .proto files is then read only as far as the change reaches.
 */
async function readClosure(
  input: AnalyzerInput,
  revision: Revision,
  available: string[],
  seeds: string[],
  maxFiles: number,
  known: (path: string) => string | undefined,
): Promise<Map<string, string | undefined>> {
  const byName = new Map<string, string[]>();
  for (const path of available)
    byName.set(basename(path), [...(byName.get(basename(path)) ?? []), path]);
  const seedDirs = new Set(seeds.map(dirname));
  let queue = available.filter(
    (path) =>
      !path.endsWith('.proto') ||
      seedDirs.has(dirname(path)) ||
      seeds.includes(path),
  );
  const texts = new Map<string, string | undefined>();
  while (queue.length > 0) {
    if (texts.size + queue.length > maxFiles)
      throw new BufError(
        `the change reaches more than ${maxFiles} .proto files`,
      );
    for (const path of queue) texts.set(path, undefined);
    const read = await mapLimit(
      queue,
      READ_CONCURRENCY,
      async (path) =>
        known(path) ??
        (await input.changeSet.contents.read(revision, path, input.signal)),
      input.signal,
    );
    const next = new Set<string>();
    queue.forEach((path, i) => {
      const text = read[i];
      texts.set(path, text);
      if (text === undefined || !path.endsWith('.proto')) return;
      for (const imported of importsOf(text)) {
        for (const candidate of byName.get(basename(imported)) ?? []) {
          if (
            (candidate === imported || candidate.endsWith(`/${imported}`)) &&
            !texts.has(candidate)
          )
            next.add(candidate);
        }
      }
    });
    queue = [...next];
  }
  return texts;
}

async function put(dir: string, relative: string, text: string): Promise<void> {
  // Repository paths never climb out of the tree, but a path is data: refuse to write outside it.
  if (relative.split('/').some((part) => part === '..' || part === '')) return;
  const target = join(dir, ...relative.split('/'));
  await mkdir(join(target, '..'), { recursive: true });
  await writeFile(target, text);
}
