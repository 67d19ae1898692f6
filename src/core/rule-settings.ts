import picomatch from 'picomatch';
import type { Config, RuleSetting } from '../config/schema.ts';
import type { DraftFinding } from './finding.ts';

export interface EffectiveRuleSetting {
  setting: RuleSetting;
  /** `rules`, or `overrides[i]` for the last override whose paths match. */
  origin: string;
}

/** Resolves `rules:` and `overrides:` for one rule at one path: later overrides win, as in eslint. */
export function ruleSettingResolver(
  config: Pick<Config, 'rules' | 'overrides'>,
): (ruleId: string, path: string) => EffectiveRuleSetting | undefined {
  const overrides = config.overrides.map((override, i) => ({
    matches: picomatch(override.paths, { dot: true }),
    rules: override.rules,
    origin: `overrides[${i}]`,
  }));
  return (ruleId, path) => {
    let effective: EffectiveRuleSetting | undefined =
      config.rules[ruleId] !== undefined
        ? { setting: config.rules[ruleId]!, origin: 'rules' }
        : undefined;
    for (const override of overrides) {
      const setting = override.rules[ruleId];
      if (setting !== undefined && override.matches(path))
        effective = { setting, origin: override.origin };
    }
    return effective;
  };
}

/** Drops findings of rules turned off and gives the configured severity to the rest. Model findings pass. */
export function applyRuleSettings(
  findings: readonly DraftFinding[],
  config: Pick<Config, 'rules' | 'overrides'>,
): DraftFinding[] {
  if (Object.keys(config.rules).length === 0 && config.overrides.length === 0)
    return [...findings];
  const resolve = ruleSettingResolver(config);
  const kept: DraftFinding[] = [];
  for (const finding of findings) {
    const effective =
      finding.source === 'analyzer'
        ? resolve(finding.ruleId, finding.path)
        : undefined;
    if (!effective) kept.push(finding);
    else if (effective.setting !== 'off')
      kept.push({ ...finding, severity: effective.setting });
  }
  return kept;
}
