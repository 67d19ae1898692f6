import type { Config } from '../../config/schema.ts';
import type { Logger } from '../logger.ts';
import type { SecretRedactor } from '../ports.ts';
import { RepositoryTools } from './repository-tools.ts';
import type { RepositoryView } from './repository-view.ts';
import { ToolBudget } from './tool-budget.ts';

/** Whether the configuration gives the model its repository tools. */
export function modelToolsEnabled(config: Config): boolean {
  return config.model.tools && config.model.max_tool_rounds > 0;
}

/**
 * The model's read-only repository tools over `view` with the configured budget, or none when the
 * configuration turns them off. Reviews and `/architect explain` build their tools here.
 */
export function modelTools(
  view: RepositoryView | undefined,
  config: Config,
  redactor: SecretRedactor | undefined,
  logger: Logger,
): RepositoryTools | undefined {
  if (!view || !modelToolsEnabled(config)) return undefined;
  return new RepositoryTools({
    view,
    redactor,
    budget: new ToolBudget({
      maxRounds: config.model.max_tool_rounds,
      maxResultBytes: config.model.tool_budget_bytes,
      maxTokens: config.model.tool_budget_tokens,
    }),
    maxFileBytes: config.limits.max_file_bytes,
    logger,
  });
}
