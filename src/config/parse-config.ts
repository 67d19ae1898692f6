import { z } from 'zod';
import { checkRuleIds } from './rule-ids.ts';
import { ConfigSchema, DEFAULT_CONFIG, type Config } from './schema.ts';

export interface ConfigProblem {
  /** Where the value came from, e.g. `.github/architect.yml`. */
  source: string;
  /** Dotted path inside the file, empty for the file as a whole. */
  path: string;
  message: string;
}

export interface ParsedConfig {
  config: Config;
  problems: ConfigProblem[];
}

/**
 * Validates raw configuration. An invalid file never stops a review: the problems are reported and
 * the defaults are used instead, so a typo cannot silently disable the gate.
 */
export function parseConfig(
  raw: unknown,
  source: string,
  ruleIds?: ReadonlySet<string>,
): ParsedConfig {
  if (raw === null || raw === undefined)
    return { config: DEFAULT_CONFIG, problems: [] };
  const result = ConfigSchema.safeParse(raw);
  // Unknown rule ids are reported and dropped; the rest of the file still applies.
  if (result.success)
    return ruleIds
      ? checkRuleIds(result.data, source, ruleIds)
      : { config: result.data, problems: [] };
  return {
    config: DEFAULT_CONFIG,
    problems: result.error.issues.map((issue) => ({
      source,
      path: issue.path.map(String).join('.'),
      message: issue.message,
    })),
  };
}

/** The JSON Schema of the file; with rule ids, `rules` keys are listed so editors complete them. */
export function configJsonSchema(ruleIds?: readonly string[]): unknown {
  const schema = z.toJSONSchema(ConfigSchema, {
    io: 'input',
    target: 'draft-2020-12',
  }) as Record<string, unknown>;
  if (!ruleIds) return schema;
  const ids = [...ruleIds].sort();
  const at = (
    node: unknown,
    ...keys: string[]
  ): Record<string, unknown> | undefined => {
    let current = node;
    for (const key of keys)
      current =
        typeof current === 'object' && current !== null
          ? (current as Record<string, unknown>)[key]
          : undefined;
    return typeof current === 'object' && current !== null
      ? (current as Record<string, unknown>)
      : undefined;
  };
  for (const rules of [
    at(schema, 'properties', 'rules'),
    at(schema, 'properties', 'overrides', 'items', 'properties', 'rules'),
  ]) {
    if (rules) rules.propertyNames = { enum: ids };
  }
  return schema;
}
