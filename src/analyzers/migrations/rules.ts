import type { RuleDescriptor } from '../../core/rules.ts';
import { CATALOG } from './catalog.ts';

/** Every rule the schema-migrations analyzer reports, for SARIF and the docs. */
export const rules: RuleDescriptor[] = [...CATALOG.values()].map((entry) => ({
  id: entry.id,
  lens: 'schema',
  severity: entry.severity,
  title: entry.title,
}));
