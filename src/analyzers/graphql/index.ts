export {
  createGraphqlAnalyzer,
  GRAPHQL_ANALYZER_NAME,
  type GraphqlAnalyzerOptions,
} from './analyzer.ts';
export { compareSchemas, type SchemaChange } from './compare.ts';
export { parseSources, sdlSources } from './extract.ts';
export { CHANGE_TYPES, rules } from './rules.ts';
export { buildFileSchema } from './schema.ts';
