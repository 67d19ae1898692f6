import type { SgNode } from '@ast-grep/napi';

/** An outbound call (or client construction) that visibly has no upper bound on how long it waits. */
export interface TimeoutGap {
  node: SgNode;
  title: string;
  /** What the call waits for and for how long, in one sentence. */
  cause: string;
  fix: string;
}
