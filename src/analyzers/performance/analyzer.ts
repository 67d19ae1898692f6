import type { Analyzer } from '../../core/ports.ts';
import { headCodeAnalyzer } from '../code/code-analyzer.ts';
import { CHECKS } from './checks.ts';

/** Performance rules over changed JavaScript/TypeScript, Python, Go and Java code. */
export function createPerformanceAnalyzer(): Analyzer {
  return headCodeAnalyzer('performance', ['performance'], CHECKS);
}
