import pkg from '../../package.json' with { type: 'json' };
import { ruleHelpUri } from '../core/rules.ts';

/** The product's home page (package.json `homepage`); rule pages live under it by default. */
export const PRODUCT_HOMEPAGE: string = pkg.homepage;

/** Where rule links point: ARCHITECT_DOCS_URL (a fork or an internal mirror), else the product's repository. */
export function ruleDocsBase(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  return env.ARCHITECT_DOCS_URL || `${PRODUCT_HOMEPAGE}/blob/main`;
}

/** The public URL of a rule's page. */
export function ruleLink(
  ruleId: string,
  env?: Readonly<Record<string, string | undefined>>,
): string {
  return ruleHelpUri(ruleId, ruleDocsBase(env));
}
