import type { Severity } from '../../../core/finding.ts';
import type { Facts } from '../diff/change.ts';
import { allRuleLevels } from './catalog.ts';
import { FAMILY_TEXTS } from './family-texts.ts';
import { STATIC_TEXTS } from './static-texts.ts';
import {
  kindPhrase,
  parseGenericId,
  subjectOf,
  type SubjectKind,
} from './subjects.ts';

/** Everything a finding or a rule page says about one rule. */
export interface RuleText {
  summary: string;
  title(f: Facts): string;
  body(f: Facts): string;
  fix(f: Facts): string;
  example: { before: string; after: string };
  /** For generic rules: which part of the contract the rule is about. */
  kind?: SubjectKind;
}

/**
 * Info-level changes that are still worth a reviewer's attention: security requirements decide
 * who may call an endpoint, so adding one locks clients out and removing one may expose data.
 */
const SURFACED_INFO = new Set([
  'api-security-removed',
  'api-global-security-removed',
  'api-security-added',
  'api-global-security-added',
  'api-security-scope-added',
  'api-security-scope-removed',
  'api-global-security-scope-added',
  'api-global-security-scope-removed',
]);

/** The severity a rule's findings carry, or undefined for changes that are recorded but not reported. */
export function reportedSeverity(id: string): Severity | undefined {
  const level = allRuleLevels().get(id);
  if (level === 'error') return 'high';
  if (level === 'warning') return 'medium';
  if (level === 'info' && SURFACED_INFO.has(id)) return 'medium';
  return undefined;
}

const texts = new Map<string, RuleText | undefined>();

/** Texts for a rule; undefined for rules that never produce a finding. */
export function ruleText(id: string): RuleText | undefined {
  if (!texts.has(id)) texts.set(id, buildText(id));
  return texts.get(id);
}

function buildText(id: string): RuleText | undefined {
  const own = STATIC_TEXTS[id];
  if (own) return { ...own };
  const parsed = parseGenericId(id);
  if (!parsed) return undefined;
  const family = FAMILY_TEXTS[parsed.family];
  if (!family) return undefined;
  const { kind } = parsed;
  return {
    summary: family.summary(kindPhrase(kind)),
    title: (f) => family.title(subjectOf(kind, f), f),
    body: (f) => family.body(subjectOf(kind, f), f, kind),
    fix: (f) => family.fix(subjectOf(kind, f), f, kind),
    example: family.example,
    kind,
  };
}

/** Every rule that can produce a finding, in id order. */
export function reportedRuleIds(): string[] {
  return [...allRuleLevels().keys()]
    .filter((id) => reportedSeverity(id) !== undefined)
    .sort();
}
