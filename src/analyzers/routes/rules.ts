import type { RuleDescriptor } from '../../core/rules.ts';
import { ROUTE_RULES } from './diff-routes.ts';

/** Every rule of the route analyzer, declared with the comparison that reports them. */
export const rules: RuleDescriptor[] = [...ROUTE_RULES];
