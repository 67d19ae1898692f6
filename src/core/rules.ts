import { createRequire } from 'node:module';
import type { Lens, Severity } from './finding.ts';

/** The product's home page (package.json `homepage`); rule pages live under it unless ARCHITECT_DOCS_URL says otherwise. */
export const PRODUCT_HOMEPAGE: string = (createRequire(import.meta.url)('../../package.json') as { homepage: string }).homepage;

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

/** The public URL of a rule page; ARCHITECT_DOCS_URL points the links at a fork or an internal mirror. */
export function ruleHelpUri(ruleId: string, base = process.env.ARCHITECT_DOCS_URL || `${PRODUCT_HOMEPAGE}/blob/main`): string {
  return `${base.replace(/\/$/, '')}/${rulePagePath(ruleId)}`;
}
