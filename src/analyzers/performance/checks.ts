import type { CodeCheck } from '../code/code-analyzer.ts';
import { connectionPerRequest } from './connection-per-request.ts';
import { queryInLoop } from './query-in-loop.ts';

/** The performance lens: one check per file, each declaring the rules it reports. */
export const CHECKS: readonly CodeCheck[] = [queryInLoop, connectionPerRequest];
