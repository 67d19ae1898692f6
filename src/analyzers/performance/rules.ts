import type { RuleDescriptor } from '../../core/rules.ts';

export const QUERY_IN_LOOP: RuleDescriptor = {
  id: 'performance/query-in-loop',
  lens: 'performance',
  severity: 'medium',
  title: 'Database query inside a loop (N+1)',
};

export const CONNECTION_PER_REQUEST: RuleDescriptor = {
  id: 'performance/connection-per-request',
  lens: 'performance',
  severity: 'high',
  title: 'Database pool or connection created per request',
};

export const rules: RuleDescriptor[] = [QUERY_IN_LOOP, CONNECTION_PER_REQUEST];
