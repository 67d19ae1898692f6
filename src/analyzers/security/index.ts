export { createSecurityAnalyzer } from './analyzer.ts';
export { rules } from './rules.ts';
