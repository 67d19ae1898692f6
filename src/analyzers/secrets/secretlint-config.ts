import { rules as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { ChangeSet } from '../../core/change-set.ts';
import type { CoverageNote } from '../../core/coverage.ts';
import { messageOf } from '../../core/error-message.ts';
import { readTeamFile, SETTINGS_SOURCE } from '../settings/team-file.ts';
import { shortRuleName } from './providers.ts';

export const PRESET_ID = '@secretlint/secretlint-rule-preset-recommend';

/** secretlint's config files, in the order secretlint looks for them. */
const CONFIG_FILES = [
  '.secretlintrc',
  '.secretlintrc.json',
  '.secretlintrc.yaml',
  '.secretlintrc.yml',
  '.secretlintrc.js',
  '.secretlintrc.cjs',
  '.secretlintrc.mjs',
] as const;

/** One rule's settings, as secretlint applies them to a rule inside a preset. */
export interface RuleSetting {
  id: string;
  options?: Record<string, unknown>;
  disabled?: boolean;
  allowMessageIds?: string[];
}

/** The team's secretlint settings the review applies to the recommended preset's rules. */
export interface SecretlintSettings {
  rules: RuleSetting[];
  /** Full rule ids turned off, applied to the findings too. */
  disabled: ReadonlySet<string>;
}

const RuleEntry = z.looseObject({
  id: z.string(),
  options: z.record(z.string(), z.unknown()).optional(),
  disabled: z.boolean().optional(),
  allowMessageIds: z.array(z.string()).optional(),
});
const ConfigFile = z.looseObject({
  rules: z.array(RuleEntry.extend({ rules: z.array(RuleEntry).optional() })),
});

const BUNDLED = new Set(recommendedRules.map((rule) => rule.meta.id));
/** secretlint accepts `secretlint-rule-aws` and `aws` for `@secretlint/secretlint-rule-aws`. */
function fullId(id: string): string {
  if (BUNDLED.has(id)) return id;
  const short = id
    .replace(/^@secretlint\//, '')
    .replace(/^secretlint-rule-/, '');
  return `@secretlint/secretlint-rule-${short}`;
}

/**
 * The team's `.secretlintrc*` at the base: options, `allowMessageIds` and `disabled` of the
 * recommended preset's rules (set inside the preset entry or at the top level). Rules and presets the
 * review does not bundle are named in coverage; a JavaScript config is never run (it is code).
 */
export async function loadSecretlintConfig(
  changeSet: Pick<ChangeSet, 'contents' | 'files'>,
  signal: AbortSignal,
): Promise<{ settings?: SecretlintSettings; notes: CoverageNote[] }> {
  const file = await readTeamFile(
    changeSet,
    CONFIG_FILES,
    'secretlint',
    signal,
  );
  if (!file.found) return { notes: file.notes };
  if (/\.[cm]?js$/.test(file.path))
    return {
      notes: [
        {
          source: SETTINGS_SOURCE,
          path: file.path,
          message: `${file.path} is JavaScript, which the review does not run; secretlint's defaults were used`,
        },
      ],
    };
  return readConfig(file.path, file.text);
}

export function readConfig(
  path: string,
  text: string,
): { settings?: SecretlintSettings; notes: CoverageNote[] } {
  let parsed: z.infer<typeof ConfigFile>;
  try {
    const raw: unknown =
      path.endsWith('.yaml') || path.endsWith('.yml')
        ? parseYaml(text)
        : (() => {
            try {
              return JSON.parse(text);
            } catch {
              // `.secretlintrc` may be YAML too.
              return parseYaml(text);
            }
          })();
    parsed = ConfigFile.parse(raw);
  } catch (error) {
    return {
      notes: [
        {
          source: SETTINGS_SOURCE,
          path,
          message: `${path} could not be read as a secretlint config, so secretlint's defaults were used: ${error instanceof z.ZodError ? z.prettifyError(error) : messageOf(error)}`,
        },
      ],
    };
  }
  const rules = new Map<string, RuleSetting>();
  const unknown: string[] = [];
  const take = (entry: z.infer<typeof RuleEntry>) => {
    const id = fullId(entry.id);
    if (!BUNDLED.has(id)) {
      unknown.push(entry.id);
      return;
    }
    rules.set(id, {
      id,
      ...(entry.options ? { options: entry.options } : {}),
      ...(entry.disabled !== undefined ? { disabled: entry.disabled } : {}),
      ...(entry.allowMessageIds
        ? { allowMessageIds: entry.allowMessageIds }
        : {}),
    });
  };
  let presetOff = false;
  for (const entry of parsed.rules) {
    if (entry.id === PRESET_ID || entry.id === 'preset-recommend') {
      presetOff = entry.disabled === true;
      for (const inner of entry.rules ?? []) take(inner);
    } else take(entry);
  }
  const disabled = new Set(
    presetOff
      ? BUNDLED
      : [...rules.values()].filter((r) => r.disabled).map((r) => r.id),
  );
  const parts = [
    `${rules.size} rule ${rules.size === 1 ? 'setting' : 'settings'}`,
    ...(disabled.size > 0
      ? [`turned off: ${[...disabled].map(shortRuleName).sort().join(', ')}`]
      : []),
    ...(unknown.length > 0
      ? [`not bundled with the review, so not run: ${unknown.join(', ')}`]
      : []),
  ];
  return {
    settings: { rules: [...rules.values()], disabled },
    notes: [
      {
        source: SETTINGS_SOURCE,
        path,
        message: `applied the team's ${path} from the base branch (${parts.join('; ')})`,
      },
    ],
  };
}
