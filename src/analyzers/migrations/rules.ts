import { defineRule, type RuleDescriptor } from '../../core/rules.ts';
import { CATALOG } from './catalog.ts';

/**
 * Every rule the schema-migrations analyzer reports. The catalog is the natural form here (one entry
 * per squawk rule plus our own, with the texts findings are written from); each entry is exposed as
 * the same descriptor every other rule has.
 */
export const rules: RuleDescriptor[] = [...CATALOG.values()].map((entry) =>
  defineRule({
    id: entry.id,
    severity: entry.severity,
    title: entry.title,
    appliesTo: {
      fileKinds: ['sql-migration', 'orm-migration', 'prisma-schema'],
    },
    enabledByDefault: entry.enabledByDefault ?? true,
  }),
);
