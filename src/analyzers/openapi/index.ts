export {
  createOpenApiAnalyzer,
  OPENAPI_ANALYZER_NAME,
  type OpenApiAnalyzerOptions,
} from './analyzer.ts';
export { compareSpecs, type CompareOptions } from './compare.ts';
export { loadSpec, SpecLoadError, type LoadedSpec } from './load/load-spec.ts';
export type { ApiChange, Level } from './diff/change.ts';
export { rules } from './rules.ts';
