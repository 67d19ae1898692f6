export { failureModeAnalyzer } from './analyzer.ts';
export { rules } from './rules.ts';
