import type { Analyzer } from '../../core/ports.ts';
import { headCodeAnalyzer } from '../code/code-analyzer.ts';
import { CHECKS } from './checks.ts';

/** Failure-mode rules over changed JavaScript/TypeScript, Python, Go and Java code. */
export function createFailureModeAnalyzer(): Analyzer {
  return headCodeAnalyzer('failure-modes', ['failure-mode'], CHECKS);
}
