import { mapLimit } from '../../core/concurrency.ts';
import type { CoverageNote } from '../../core/coverage.ts';
import type {
  Analyzer,
  AnalyzerInput,
  AnalyzerOutput,
} from '../../core/ports.ts';
import { diffRoutes } from './diff-routes.ts';
import { fileRoutes, type FileRoutes } from './route-tables.ts';
import { messageOf } from '../../core/error-message.ts';

const NAME = 'routes';
const CONCURRENCY = 4;

/**
 * Route tables in code, before and after: removed, moved and re-methoded routes (API contract) and new
 * mutating routes without visible authentication (security).
 */
export function createRouteAnalyzer(): Analyzer {
  return {
    name: NAME,
    lenses: ['api-contract', 'security'],
    async analyze(input: AnalyzerInput): Promise<AnalyzerOutput> {
      if (!input.lenses.has('api-contract') && !input.lenses.has('security'))
        return { findings: [], notes: [] };
      const results = await mapLimit(
        input.files,
        CONCURRENCY,
        async (scoped) => {
          try {
            return await fileRoutes(input.changeSet, scoped, input.signal);
          } catch (error) {
            input.signal.throwIfAborted();
            return {
              note: {
                path: scoped.file.path,
                message: `could not analyse: ${messageOf(error)}`,
              },
            };
          }
        },
        input.signal,
      );
      const tables: FileRoutes[] = [];
      const notes: CoverageNote[] = [];
      for (const result of results) {
        if (!result) continue;
        if ('routes' in result) tables.push(result.routes);
        else notes.push({ source: NAME, ...result.note });
      }
      return { findings: diffRoutes(tables, input.lenses), notes };
    },
  };
}
