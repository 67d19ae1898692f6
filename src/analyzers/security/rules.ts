import type { RuleDescriptor } from '../../core/rules.ts';
import { CHECKS } from './checks/index.ts';

/** Every security rule of the code checks, derived from the checks that report them. */
export const rules: RuleDescriptor[] = CHECKS.flatMap((check) => check.rules);
