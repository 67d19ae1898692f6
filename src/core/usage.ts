/** Token usage and estimated cost of the model calls of one review. */
export interface Usage {
  model?: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  /** Undefined when the model's price is unknown. */
  costUsd?: number;
}

export function emptyUsage(model?: string): Usage {
  return {
    model,
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheCreationTokens: 0,
    costUsd: model ? 0 : undefined,
  };
}

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    model: a.model ?? b.model,
    requests: a.requests + b.requests,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheCreationTokens: a.cacheCreationTokens + b.cacheCreationTokens,
    costUsd:
      a.costUsd === undefined || b.costUsd === undefined
        ? (a.costUsd ?? b.costUsd)
        : a.costUsd + b.costUsd,
  };
}
