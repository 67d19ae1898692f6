export { createRouteAnalyzer } from './analyzer.ts';
export { rules } from './rules.ts';
export { extractRoutes } from './extract-routes.ts';
export type { Route } from './route.ts';
