import type { Lens, Severity } from './finding.ts';

/**
 * What a rule reads. Code rules name the languages whose syntax trees they check; rules over other
 * files name the kind of file.
 */
export type RuleTarget =
  | { languages: readonly string[] }
  | {
      fileKinds: readonly (
        | 'openapi'
        | 'protobuf'
        | 'graphql'
        | 'sql-migration'
        | 'orm-migration'
        | 'prisma-schema'
        | 'route-table'
        | 'any-text'
      )[];
    };

/**
 * A deterministic rule, declared once next to its check (like an eslint rule's `meta`). Everything
 * that lists, documents, links or configures rules reads this: SARIF, the docs pages, the registry
 * test, and per-rule configuration (`rules: { <id>: off | <severity> }`, path overrides), which
 * looks a rule up by id and overrides `severity` and `enabledByDefault`.
 */
export interface RuleDescriptor {
  /** `<lens>/<rule>`, e.g. `schema/adding-not-nullable-field`; stable, it is part of every fingerprint. */
  readonly id: string;
  readonly lens: Lens;
  /** The severity the rule reports with unless a finding says otherwise. */
  readonly severity: Severity;
  /** One line, shown as SARIF shortDescription. */
  readonly title: string;
  /** The rule's page, relative to the repository root: `docs/rules/<id>.md`. */
  readonly docs: string;
  readonly appliesTo: RuleTarget;
  /** False for rules a team turns on deliberately. */
  readonly enabledByDefault: boolean;
}

export interface RuleDeclaration {
  id: string;
  severity: Severity;
  title: string;
  appliesTo: RuleTarget;
  enabledByDefault?: boolean;
}

/** Declares a rule: the lens comes from the id's prefix and the page from the id. */
export function defineRule(declaration: RuleDeclaration): RuleDescriptor {
  const slash = declaration.id.indexOf('/');
  if (slash <= 0)
    throw new Error(
      `rule id ${declaration.id} is not of the form <lens>/<rule>`,
    );
  return Object.freeze({
    id: declaration.id,
    lens: declaration.id.slice(0, slash) as Lens,
    severity: declaration.severity,
    title: declaration.title,
    docs: rulePagePath(declaration.id),
    appliesTo: declaration.appliesTo,
    enabledByDefault: declaration.enabledByDefault ?? true,
  });
}

/** Where rule pages live, relative to the repository root. */
export function rulePagePath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

/** The public URL of a rule page under a docs base (the product's repository, a fork, a mirror). */
export function ruleHelpUri(ruleId: string, docsBase: string): string {
  return `${docsBase.replace(/\/$/, '')}/${rulePagePath(ruleId)}`;
}
