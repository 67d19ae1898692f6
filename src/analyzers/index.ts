import type { Lens } from '../core/finding.ts';
import type {
  Analyzer,
  AnalyzerInput,
  ScopedFile,
  SecretRedactor,
} from '../core/ports.ts';
import type { RuleDescriptor } from '../core/rules.ts';
import {
  createFailureModeAnalyzer,
  rules as failureModeRules,
} from './failure-modes/index.ts';
import {
  createGraphqlAnalyzer,
  rules as graphqlRules,
} from './graphql/index.ts';
import { migrationKind } from './migrations/classify.ts';
import { rules as migrationRules } from './migrations/rules.ts';
import { isSpecCandidatePath } from './openapi/load/detect.ts';
import { rules as openApiRules } from './openapi/rules.ts';
import {
  createPerformanceAnalyzer,
  rules as performanceRules,
} from './performance/index.ts';
import {
  createProtobufAnalyzer,
  rules as protobufRules,
} from './protobuf/index.ts';
import { createRouteAnalyzer, rules as routeRules } from './routes/index.ts';
import {
  createSecretRedactor,
  createSecretsAnalyzer,
  rules as secretRules,
} from './secrets/index.ts';
import {
  createSecurityAnalyzer,
  rules as securityRules,
} from './security/index.ts';

/** Every deterministic analyzer the engine runs, in no particular order (they run concurrently). */
export function defaultAnalyzers(): Analyzer[] {
  return [
    // The OpenAPI and migration analyzers are half of the analyzers' code and bring slow parsers: they
    // load on the first review with a file they read (by their own path tests), so a CLI run on code
    // alone starts faster. Without such a file either analyzer returns nothing, so skipping it is exact.
    whenNeeded(
      'openapi',
      ['api-contract'],
      ({ file }) =>
        isSpecCandidatePath(file.path) ||
        (file.previousPath !== undefined &&
          isSpecCandidatePath(file.previousPath)),
      async () =>
        (await import('./openapi/analyzer.ts')).createOpenApiAnalyzer(),
    ),
    createProtobufAnalyzer(),
    createGraphqlAnalyzer(),
    createRouteAnalyzer(),
    whenNeeded(
      'schema-migrations',
      ['schema'],
      ({ file }) =>
        file.status !== 'removed' && migrationKind(file.path) !== undefined,
      async () =>
        (await import('./migrations/analyzer.ts')).createMigrationAnalyzer(),
    ),
    createFailureModeAnalyzer(),
    createSecretsAnalyzer(),
    createSecurityAnalyzer(),
    createPerformanceAnalyzer(),
  ];
}

/** An analyzer loaded on the first input with a file it reads; until then, one that finds nothing. */
function whenNeeded(
  name: string,
  lenses: readonly Lens[],
  reads: (file: ScopedFile) => boolean,
  load: () => Promise<Analyzer>,
): Analyzer {
  let loaded: Promise<Analyzer> | undefined;
  return {
    name,
    lenses,
    async analyze(input: AnalyzerInput) {
      if (!input.files.some(reads)) return { findings: [], notes: [] };
      loaded ??= load();
      loaded.catch(() => (loaded = undefined));
      return (await loaded).analyze(input);
    },
  };
}

/** Descriptors of every deterministic rule, for SARIF and the docs. */
export function allRules(): RuleDescriptor[] {
  return [
    ...openApiRules,
    ...protobufRules,
    ...graphqlRules,
    ...routeRules,
    ...migrationRules,
    ...failureModeRules,
    ...secretRules,
    ...securityRules,
    ...performanceRules,
  ];
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
