import type { RuleDescriptor } from '../../core/rules.ts';

export const HARDCODED_SECRET = 'security/hardcoded-secret';

/**
 * One rule for every kind of credential: the secretlint rule that recognised it (github, aws,
 * privatekey, …) is named in each finding's title and body rather than in the rule id, so
 * suppressions and fingerprints stay stable when secretlint adds or renames detectors.
 */
export const rules: RuleDescriptor[] = [
  {
    id: HARDCODED_SECRET,
    lens: 'security',
    severity: 'critical',
    title: 'A credential (API key, token, private key, password) is committed in a changed file',
  },
];
