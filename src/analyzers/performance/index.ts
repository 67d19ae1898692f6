export { createPerformanceAnalyzer } from './analyzer.ts';
export { rules } from './rules.ts';
