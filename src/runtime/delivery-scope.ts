import { AsyncLocalStorage } from 'node:async_hooks';

/** How a queued task ended, as far as the delivery that queued it is concerned. */
export type TaskEnd = 'completed' | 'failed' | 'dropped' | 'interrupted';

/**
 * The webhook delivery whose handling is under way. Everything queued while it is current (also
 * work queued by that work, e.g. the reviews of a re-run) is tracked, so the runtime knows when
 * the delivery is fully done, and check runs opened on its behalf are recorded against it.
 */
export interface DeliveryScope {
  deliveryId: string;
  /** The installation the delivery is for, so check runs can be completed later by another process. */
  installationId?: number;
  /** Set when this is not the first time the delivery runs (restart, stalled or retried job). */
  resumed: boolean;
  /** The queue retries the delivery (BullMQ): work that could not start should fail it rather than end quietly. */
  retries?: boolean;
  readonly tasks: Array<Promise<{ end: TaskEnd; error?: unknown }>>;
  /** Fields for every log line of the delivery's jobs. */
  readonly log: Record<string, unknown>;
}

const storage = new AsyncLocalStorage<DeliveryScope>();

export function currentDelivery(): DeliveryScope | undefined {
  return storage.getStore();
}

export function runInDelivery<T>(scope: DeliveryScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function newScope(
  deliveryId: string,
  payload: unknown,
  resumed = false,
): DeliveryScope {
  const installationId = (
    payload as { installation?: { id?: unknown } } | undefined
  )?.installation?.id;
  return {
    deliveryId,
    resumed,
    tasks: [],
    log: { delivery: deliveryId },
    ...(typeof installationId === 'number' ? { installationId } : {}),
  };
}

/**
 * Waits until every task the delivery queued has ended, including tasks queued by those tasks.
 * `interrupted` wins over `failed`, which wins over `completed`.
 */
export async function settleScope(
  scope: DeliveryScope,
): Promise<{ end: TaskEnd; error?: unknown }> {
  let seen = 0;
  let worst: { end: TaskEnd; error?: unknown } = { end: 'completed' };
  const rank: Record<TaskEnd, number> = {
    completed: 0,
    dropped: 0,
    failed: 1,
    interrupted: 2,
  };
  while (seen < scope.tasks.length) {
    const batch = scope.tasks.slice(seen);
    seen = scope.tasks.length;
    for (const result of await Promise.all(batch))
      if (rank[result.end] > rank[worst.end]) worst = result;
  }
  return worst;
}
