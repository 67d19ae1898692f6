import { DATA_RULES } from './data/rules.ts';
import { MYSQL_RULES } from './mysql/rules.ts';
import { RAILS_RULES } from './orm/rails-rules.ts';
import type { DocumentedEntry } from './rule-page.ts';

/** Schema rules whose docs pages are written from their catalog texts (`npm run rule-pages`). */
export const DOCUMENTED_SCHEMA_RULES: readonly DocumentedEntry[] = [
  ...MYSQL_RULES,
  ...RAILS_RULES,
  ...DATA_RULES,
];
