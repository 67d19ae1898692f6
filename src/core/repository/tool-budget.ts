/** Limits on what the model may read through its tools over one whole review, shared by every chunk. */
export interface ToolLimits {
  /** Tool rounds per chunk before the model must report. */
  maxRounds: number;
  /** Bytes of tool results handed to the model over the review. */
  maxResultBytes: number;
  /** Tokens (input, output and cached) spent by the requests of tool rounds over the review. */
  maxTokens: number;
}

/** Per-review spending of tool results and tool-round tokens; once either runs out, every chunk reports. */
export class ToolBudget {
  resultBytes = 0;
  tokens = 0;
  calls = 0;
  rounds = 0;
  /** Chunks whose model was made to report early because a limit was reached. */
  forcedReports = 0;

  readonly limits: ToolLimits;

  constructor(limits: ToolLimits) {
    this.limits = limits;
  }

  get bytesLeft(): number {
    return Math.max(0, this.limits.maxResultBytes - this.resultBytes);
  }

  get exhausted(): boolean {
    return (
      this.resultBytes >= this.limits.maxResultBytes ||
      this.tokens >= this.limits.maxTokens
    );
  }

  spendBytes(bytes: number): void {
    this.resultBytes += bytes;
  }

  spendTokens(tokens: number): void {
    this.tokens += tokens;
  }
}
