export { createFailureModeAnalyzer } from './analyzer.ts';
export { rules } from './rules.ts';
