import type { Analyzer } from '../../core/ports.ts';
import { headCodeAnalyzer } from '../code/code-analyzer.ts';
import { connectionPerRequest } from './connection-per-request.ts';
import { queryInLoop } from './query-in-loop.ts';

/** Performance rules over changed JavaScript/TypeScript, Python, Go and Java code. */
export function performanceAnalyzer(): Analyzer {
  return headCodeAnalyzer('performance', ['performance'], [queryInLoop, connectionPerRequest]);
}
