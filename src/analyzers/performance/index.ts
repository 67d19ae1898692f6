export { performanceAnalyzer } from './analyzer.ts';
export { rules } from './rules.ts';
