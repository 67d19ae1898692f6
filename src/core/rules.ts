import type { Lens, Severity } from './finding.ts';

/** Static description of a deterministic rule; every rule has a page at docs/rules/<id>.md. */
export interface RuleDescriptor {
  /** `<lens>/<rule>`, e.g. `schema/adding-not-nullable-field`. */
  id: string;
  lens: Lens;
  /** The severity the rule reports with unless a finding says otherwise. */
  severity: Severity;
  /** One line, shown as SARIF shortDescription. */
  title: string;
}

/** Where rule pages live, relative to the repository root. */
export function rulePagePath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

/** The public URL of a rule page; the base can be overridden for forks and GitHub Enterprise mirrors. */
export function ruleHelpUri(ruleId: string, base = process.env.ARCHITECT_DOCS_URL ?? 'https://github.com/backend-architect/backend-architect/blob/main'): string {
  return `${base.replace(/\/$/, '')}/${rulePagePath(ruleId)}`;
}
