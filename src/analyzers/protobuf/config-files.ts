import { parse as parseYaml, stringify } from 'yaml';
import { BufError } from './run-buf.ts';

/**
 * A buf.yaml, buf.work.yaml or policy file from the pull request, made safe to hand to buf. The file
 * is attacker-controlled: `plugins` would make buf execute programs it names, and `deps` would make it
 * fetch modules over the network, so both are dropped (imports of a dropped dependency then fail to
 * compile, which the coverage note says).
 */
export interface SafeConfig {
  text: string;
  droppedDeps: boolean;
  /** Local policy files the configuration names, relative to the directory buf runs in. */
  policies: string[];
}

export function safeConfig(path: string, text: string): SafeConfig {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new BufError(
      `${path} is not valid YAML: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`,
    );
  }
  if (parsed === null || parsed === undefined)
    return { text: '', droppedDeps: false, policies: [] };
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw new BufError(`${path} is not a buf configuration`);
  const config = { ...(parsed as Record<string, unknown>) };
  delete config.plugins;
  const droppedDeps = Array.isArray(config.deps) && config.deps.length > 0;
  delete config.deps;
  if (Array.isArray(config.modules)) {
    config.modules = config.modules.map((module: unknown) => {
      if (!module || typeof module !== 'object') return module;
      const copy = { ...(module as Record<string, unknown>) };
      delete copy.plugins;
      return copy;
    });
  }
  const policies = Array.isArray(config.policies)
    ? config.policies
        .map((entry: unknown) => (entry as { policy?: unknown } | null)?.policy)
        .filter(
          (policy): policy is string =>
            typeof policy === 'string' &&
            /\.ya?ml$/.test(policy) &&
            !policy.includes(':') &&
            !policy.startsWith('/'),
        )
    : [];
  return { text: stringify(config), droppedDeps, policies };
}
