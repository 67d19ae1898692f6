import type { Analyzer, SecretRedactor } from '../core/ports.ts';
import type { RuleDescriptor } from '../core/rules.ts';
import { createFailureModeAnalyzer, rules as failureModeRules } from './failure-modes/index.ts';
import { createGraphqlAnalyzer, rules as graphqlRules } from './graphql/index.ts';
import { createMigrationAnalyzer, rules as migrationRules } from './migrations/index.ts';
import { createOpenApiAnalyzer, rules as openApiRules } from './openapi/index.ts';
import { createPerformanceAnalyzer, rules as performanceRules } from './performance/index.ts';
import { createProtobufAnalyzer, rules as protobufRules } from './protobuf/index.ts';
import { createRouteAnalyzer, rules as routeRules } from './routes/index.ts';
import { createSecretRedactor, createSecretsAnalyzer, rules as secretRules } from './secrets/index.ts';
import { createSecurityAnalyzer, rules as securityRules } from './security/index.ts';

/** Every deterministic analyzer the engine runs, in no particular order (they run concurrently). */
export function defaultAnalyzers(): Analyzer[] {
  return [
    createOpenApiAnalyzer(),
    createProtobufAnalyzer(),
    createGraphqlAnalyzer(),
    createRouteAnalyzer(),
    createMigrationAnalyzer(),
    createFailureModeAnalyzer(),
    createSecretsAnalyzer(),
    createSecurityAnalyzer(),
    createPerformanceAnalyzer(),
  ];
}

/** Descriptors of every deterministic rule, for SARIF and the docs. */
export function allRules(): RuleDescriptor[] {
  return [...openApiRules, ...protobufRules, ...graphqlRules, ...routeRules, ...migrationRules, ...failureModeRules, ...secretRules, ...securityRules, ...performanceRules];
}

let byId: ReadonlyMap<string, RuleDescriptor> | undefined;

/** The descriptor of a deterministic rule, or undefined for an unknown id (or a model finding's `<lens>/model`). */
export function ruleById(id: string): RuleDescriptor | undefined {
  byId ??= new Map(allRules().map((rule) => [rule.id, rule]));
  return byId.get(id);
}

let ids: ReadonlySet<string> | undefined;

/** Every deterministic rule id, for validating `rules:` in config. */
export function ruleIds(): ReadonlySet<string> {
  ids ??= new Set(allRules().map((rule) => rule.id));
  return ids;
}

/** Masks secrets before any text reaches the model. */
export function defaultRedactor(): SecretRedactor {
  return createSecretRedactor();
}
