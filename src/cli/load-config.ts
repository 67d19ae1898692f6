import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ruleIds } from '../analyzers/index.ts';
import { parseConfig, type ConfigProblem } from '../config/parse-config.ts';
import { CONFIG_PATH, DEFAULT_CONFIG, type Config } from '../config/schema.ts';
import { UsageError } from './parse-args.ts';

export interface LoadedConfig {
  config: Config;
  /** Invalid settings; when there are any, `config` is the defaults. */
  problems: ConfigProblem[];
  /** Things worth knowing that do not invalidate the file. */
  notes: string[];
  /** The file read, if any. */
  source?: string;
}

export interface LoadConfigOptions {
  /** The repository's top-level directory; its working tree holds `.github/architect.yml`. */
  root: string;
  /** An explicit config file (`--config`), relative to the current directory. */
  file?: string;
}

/**
 * Reads the config the way the app would, from the working tree rather than a branch. A missing
 * repository file means defaults; a missing `--config` file is a usage error, since it was asked for.
 */
export async function loadConfig(
  options: LoadConfigOptions,
): Promise<LoadedConfig> {
  const explicit = options.file !== undefined;
  const path = explicit
    ? resolve(options.file!)
    : join(options.root, CONFIG_PATH);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!explicit && code === 'ENOENT')
      return { config: DEFAULT_CONFIG, problems: [], notes: [] };
    throw new UsageError(
      `cannot read config file ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }

  const source = explicit ? path : CONFIG_PATH;
  let raw: unknown;
  // The YAML parser loads only when there is a file: without one the CLI starts without its 70 modules.
  const { parse: parseYaml } = await import('yaml');
  try {
    raw = parseYaml(text);
  } catch (error) {
    const message =
      error instanceof Error ? error.message.split('\n')[0]! : String(error);
    return {
      config: DEFAULT_CONFIG,
      problems: [{ source, path: '', message: `not valid YAML: ${message}` }],
      notes: [],
      source,
    };
  }

  const { config, problems } = parseConfig(raw, source, ruleIds());
  const notes: string[] = [];
  if (problems.length === 0 && config._extends) {
    notes.push(
      `${source}: _extends (${config._extends}) is not followed locally; only this file's settings apply`,
    );
  }
  if (problems.length === 0 && !config.enabled) {
    notes.push(
      `${source}: enabled is false, which only affects pull requests; reviewing anyway`,
    );
  }
  return { config, problems, notes, source };
}

/** Command-line flags win over the file. */
export function applyOverrides(
  config: Config,
  overrides: { failOn?: Config['gate']['severity']; model: boolean },
): Config {
  return {
    ...config,
    gate: {
      ...config.gate,
      severity: overrides.failOn ?? config.gate.severity,
    },
    model: {
      ...config.model,
      enabled: config.model.enabled && overrides.model,
    },
  };
}
