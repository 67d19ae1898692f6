import { z } from 'zod';
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
export function parseConfig(raw: unknown, source: string): ParsedConfig {
  if (raw === null || raw === undefined) return { config: DEFAULT_CONFIG, problems: [] };
  const result = ConfigSchema.safeParse(raw);
  if (result.success) return { config: result.data, problems: [] };
  return {
    config: DEFAULT_CONFIG,
    problems: result.error.issues.map((issue) => ({
      source,
      path: issue.path.map(String).join('.'),
      message: issue.message,
    })),
  };
}

export function configJsonSchema(): unknown {
  return z.toJSONSchema(ConfigSchema, { io: 'input', target: 'draft-2020-12' });
}
