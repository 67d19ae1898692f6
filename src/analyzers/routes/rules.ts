import type { RuleDescriptor } from '../../core/rules.ts';

export const ROUTE_REMOVED: RuleDescriptor = {
  id: 'api-contract/route-removed',
  lens: 'api-contract',
  severity: 'high',
  title: 'HTTP route removed',
};

export const ROUTE_PATH_CHANGED: RuleDescriptor = {
  id: 'api-contract/route-path-changed',
  lens: 'api-contract',
  severity: 'high',
  title: 'HTTP route moved to a different path',
};

export const ROUTE_METHOD_CHANGED: RuleDescriptor = {
  id: 'api-contract/route-method-changed',
  lens: 'api-contract',
  severity: 'high',
  title: 'HTTP route answers a different method',
};

export const ROUTE_WITHOUT_AUTHORIZATION: RuleDescriptor = {
  id: 'security/route-without-authorization',
  lens: 'security',
  severity: 'high',
  title: 'Mutating route without visible authentication or authorization',
};

export const rules: RuleDescriptor[] = [ROUTE_REMOVED, ROUTE_PATH_CHANGED, ROUTE_METHOD_CHANGED, ROUTE_WITHOUT_AUTHORIZATION];
