import { ruleIds } from '../../analyzers/index.ts';
import { parseConfig, type ParsedConfig } from '../../config/parse-config.ts';
import { CONFIG_PATH } from '../../config/schema.ts';
import {
  messageOf,
  REQUEST_TIMEOUT_MS,
  type GitHubClient,
} from '../client/github-client.ts';

type Plain = Record<string, unknown>;

/** One file that contributed to the configuration, lowest priority first. */
export interface ConfigSource {
  owner: string;
  repo: string;
  path: string;
  /** The file's own settings, before merging (without `_extends`). */
  config: Plain;
}

export interface LoadedConfig extends ParsedConfig {
  sources: ConfigSource[];
}

/**
 * Reads `.github/architect.yml` the way Probot's `context.config` does: from the default branch,
 * falling back to the owner's `.github` repository, following `_extends`, deep-merged. A missing
 * file means defaults; an unreadable or invalid one is reported as a problem and defaults are used,
 * so a broken config never stops the review or silently weakens the gate.
 */
export async function loadRepoConfig(
  octokit: GitHubClient,
  target: { owner: string; repo: string },
  signal?: AbortSignal,
): Promise<ParsedConfig> {
  const { sources: _sources, ...parsed } = await loadRepoConfigWithSources(
    octokit,
    target,
    signal,
  );
  return parsed;
}

/** As `loadRepoConfig`, also naming the files the settings came from. */
export async function loadRepoConfigWithSources(
  octokit: GitHubClient,
  target: { owner: string; repo: string },
  signal?: AbortSignal,
): Promise<LoadedConfig> {
  const fallbackSource = `${target.owner}/${target.repo}:${CONFIG_PATH}`;
  try {
    const { config, files } = await withDeadline(
      octokit.config.get({
        owner: target.owner,
        repo: target.repo,
        path: CONFIG_PATH,
        defaults: (configs) => mergeAll(configs),
      }),
      // The plugin makes up to a handful of sequential reads and takes no signal of its own.
      REQUEST_TIMEOUT_MS * 2,
      signal,
    );
    const found = files.filter((file) => file.config !== null);
    if (found.length === 0)
      return { ...parseConfig(undefined, fallbackSource), sources: [] };
    const source = found
      .map((file) => `${file.owner}/${file.repo}:${file.path}`)
      .join(' + ');
    // The plugin lists the repository's own file first; merging goes the other way.
    const sources = [...found].reverse().map((file) => ({
      owner: file.owner,
      repo: file.repo,
      path: file.path,
      config: isPlain(file.config) ? file.config : {},
    }));
    return { ...parseConfig(config, source, ruleIds()), sources };
  } catch (error) {
    signal?.throwIfAborted();
    const message = messageOf(error).replace(
      /^\[@probot\/octokit-plugin-config\]\s*/,
      '',
    );
    const yamlDetail =
      error instanceof Error && error.cause instanceof Error
        ? `: ${error.cause.message.split('\n')[0]}`
        : '';
    const parsed = parseConfig(undefined, fallbackSource);
    return {
      config: parsed.config,
      problems: [
        {
          source: fallbackSource,
          path: '',
          message: `could not be loaded, defaults used: ${message}${yamlDetail}`,
        },
      ],
      sources: [],
    };
  }
}

/** deepmerge's semantics, as `context.config` uses them: objects merge, arrays concatenate, later scalars win. */
export function mergeAll(configs: Plain[]): Plain {
  return configs.reduce<Plain>((merged, next) => mergeTwo(merged, next), {});
}

function mergeTwo(target: Plain, source: Plain): Plain {
  const result: Plain = { ...target };
  for (const [key, value] of Object.entries(source)) {
    const existing = result[key];
    if (Array.isArray(existing) && Array.isArray(value))
      result[key] = [...existing, ...value];
    else if (isPlain(existing) && isPlain(value))
      result[key] = mergeTwo(existing, value);
    else result[key] = value;
  }
  return result;
}

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
  signal?: AbortSignal,
): Promise<T> {
  const deadline = signal
    ? AbortSignal.any([signal, AbortSignal.timeout(ms)])
    : AbortSignal.timeout(ms);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(
        deadline.reason instanceof Error
          ? deadline.reason
          : new Error('config read aborted'),
      );
    if (deadline.aborted) return onAbort();
    deadline.addEventListener('abort', onAbort, { once: true });
    promise
      .then(resolve, reject)
      .finally(() => deadline.removeEventListener('abort', onAbort));
  });
}
