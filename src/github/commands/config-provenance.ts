import { ruleById } from '../../analyzers/index.ts';
import type { Config } from '../../config/schema.ts';
import type { ConfigSource } from '../repository/load-repo-config.ts';

export interface ConfigEntry {
  /** Dotted path, e.g. `gate.severity`. */
  key: string;
  value: unknown;
  /** Where the value came from, in words: "default", "repository file", … */
  origin: string;
}

type Plain = Record<string, unknown>;

/**
 * Every effective setting with the file it came from. Later sources win for values; arrays are
 * concatenated across sources, so all contributing files are named.
 */
export function configProvenance(
  config: Config,
  sources: readonly ConfigSource[],
  target: { owner: string; repo: string },
): ConfigEntry[] {
  const entries: ConfigEntry[] = [];
  for (const [key, value] of leaves(config as unknown as Plain)) {
    const path = key.split('.');
    const setting = sources.filter((source) => hasPath(source.config, path));
    if (key === 'overrides' && Array.isArray(value)) {
      // One row per override, so each rule setting shows the paths it holds for.
      const origin =
        setting.length === 0
          ? 'default'
          : setting.map((source) => describe(source, target)).join(' + ');
      value.forEach((override: Config['overrides'][number], i) => {
        for (const [rule, ruleSetting] of Object.entries(override.rules)) {
          entries.push({
            key: `overrides[${i}].rules.${rule}`,
            value: `${ruleSetting} for ${override.paths.join(', ')}${defaultOf(rule)}`,
            origin,
          });
        }
      });
      continue;
    }
    let origin: string;
    if (setting.length === 0) origin = 'default';
    else if (Array.isArray(value))
      origin = setting.map((source) => describe(source, target)).join(' + ');
    else origin = describe(setting[setting.length - 1]!, target);
    entries.push({
      key,
      value:
        path[0] === 'rules' && path.length === 2
          ? `${String(value)}${defaultOf(path[1]!)}`
          : value,
      origin,
    });
  }
  return entries;
}

/** " (default: high)" for a rule id, so a reader sees what the setting changed. */
function defaultOf(ruleId: string): string {
  const rule = ruleById(ruleId);
  return rule
    ? ` (default: ${rule.enabledByDefault ? rule.severity : 'off'})`
    : '';
}

function describe(
  source: ConfigSource,
  target: { owner: string; repo: string },
): string {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (same(source.owner, target.owner) && same(source.repo, target.repo))
    return `repository file (${source.path})`;
  if (same(source.owner, target.owner) && source.repo === '.github')
    return `organisation .github repository (${source.path})`;
  return `extended from ${source.owner}/${source.repo} (${source.path})`;
}

function* leaves(value: Plain, prefix = ''): Generator<[string, unknown]> {
  for (const [key, child] of Object.entries(value)) {
    if (key === '_extends') continue;
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (isPlain(child)) yield* leaves(child, path);
    else yield [path, child];
  }
}

function hasPath(config: Plain, path: string[]): boolean {
  let node: unknown = config;
  for (const key of path) {
    if (!isPlain(node) || !(key in node)) return false;
    node = node[key];
  }
  return true;
}

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
