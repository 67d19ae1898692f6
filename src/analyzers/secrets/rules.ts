import { defineRule, type RuleDescriptor } from '../../core/rules.ts';

/**
 * One rule for every kind of credential: the secretlint rule that recognised it (github, aws,
 * privatekey, …) is named in each finding's title and body rather than in the rule id, so
 * suppressions and fingerprints stay stable when secretlint adds or renames detectors.
 */
export const HARDCODED_SECRET = defineRule({
  id: 'security/hardcoded-secret',
  severity: 'critical',
  title:
    'A credential (API key, token, private key, password) is committed in a changed file',
  appliesTo: { fileKinds: ['any-text'] },
});

export const rules: RuleDescriptor[] = [HARDCODED_SECRET];
