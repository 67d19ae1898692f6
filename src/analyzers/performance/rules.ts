import type { RuleDescriptor } from '../../core/rules.ts';
import { rulesOf } from '../code/code-analyzer.ts';
import { CHECKS } from './checks.ts';

/** Every performance rule, derived from the checks that report them. */
export const rules: RuleDescriptor[] = rulesOf(CHECKS);
