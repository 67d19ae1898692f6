import { defineRule, type RuleDescriptor } from '../../core/rules.ts';
import { reportedRuleIds, reportedSeverity, ruleText } from './rules/texts.ts';

/**
 * Every OpenAPI rule that can produce a finding, under `api-contract/<oasdiff id>`. The oasdiff
 * catalog (levels and texts) is the natural form for these; each is exposed as the same descriptor.
 */
export const rules: RuleDescriptor[] = reportedRuleIds().map((id) =>
  defineRule({
    id: `api-contract/${id}`,
    severity: reportedSeverity(id)!,
    title: ruleText(id)!.summary,
    appliesTo: { fileKinds: ['openapi'] },
  }),
);
