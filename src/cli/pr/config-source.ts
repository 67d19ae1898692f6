import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { Severity } from '../../core/finding.ts';
import type { GitHubClient } from '../../github/client/github-client.ts';
import { UsageError } from '../parse-args.ts';

type Plain = Record<string, unknown>;
type ConfigApi = GitHubClient['config'];
type GetOptions = Parameters<ConfigApi['get']>[0];

export interface ConfigSourceOptions {
  /** A local file that replaces the repository's `.github/architect.yml` (`--config`, the Action's `config` input). */
  file?: string;
  /** Replaces `gate.severity` (`--fail-on`, the Action's `fail-on` input). */
  failOn?: Severity;
}

/**
 * The client with its config reader adjusted for a command-line run: a local file instead of the
 * repository's, and flags over the file. Everything else (the request methods) is the client's
 * own, so the app's config loader, with its validation and problem reporting, still does the work.
 */
export async function withConfigSource(
  octokit: GitHubClient,
  options: ConfigSourceOptions,
): Promise<GitHubClient> {
  if (options.file === undefined && options.failOn === undefined)
    return octokit;
  const local =
    options.file === undefined ? undefined : await readLocal(options.file);
  const inner = octokit.config;
  const get = async (request: GetOptions) => {
    const loaded = local ? fromLocal(request, local) : await inner.get(request);
    if (!options.failOn) return loaded;
    const gate = isPlain(loaded.config.gate) ? loaded.config.gate : {};
    return {
      ...loaded,
      config: { ...loaded.config, gate: { ...gate, severity: options.failOn } },
    };
  };
  return {
    request: octokit.request,
    graphql: octokit.graphql,
    config: { get: get as ConfigApi['get'] },
  };
}

interface LocalFile {
  path: string;
  /** Parsed YAML, or the parse error (reported by the loader as a config problem). */
  data: unknown;
}

async function readLocal(file: string): Promise<LocalFile> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read config file ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  try {
    return { path, data: parseYaml(text) ?? {} };
  } catch (error) {
    return {
      path,
      data: error instanceof Error ? error : new Error(String(error)),
    };
  }
}

function fromLocal(request: GetOptions, local: LocalFile) {
  if (local.data instanceof Error)
    throw new Error(`${local.path} is not valid YAML`, { cause: local.data });
  const data = isPlain(local.data) ? local.data : {};
  const defaults = request.defaults;
  const config =
    typeof defaults === 'function'
      ? defaults([data])
      : { ...(defaults ?? {}), ...data };
  return {
    config,
    files: [
      {
        owner: request.owner,
        repo: request.repo,
        path: local.path,
        url: pathToFileURL(local.path).href,
        config: data,
      },
    ],
  };
}

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
