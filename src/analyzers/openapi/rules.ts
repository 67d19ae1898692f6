import type { RuleDescriptor } from '../../core/rules.ts';
import { reportedRuleIds, reportedSeverity, ruleText } from './rules/texts.ts';

/** Every OpenAPI rule that can produce a finding, under `api-contract/<oasdiff id>`. */
export const rules: RuleDescriptor[] = reportedRuleIds().map((id) => ({
  id: `api-contract/${id}`,
  lens: 'api-contract',
  severity: reportedSeverity(id)!,
  title: ruleText(id)!.summary,
}));
