import { describe, expect, it } from 'vitest';
import {
  ReviewQueue,
  yieldSlot,
} from '../../../src/github/queue/review-queue.ts';

/** A task whose completion the test controls, recording how it started and ended. */
function controllable(
  key: string,
  label = key,
  options: { replaceable?: boolean; workId?: string } = {},
) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const record = {
    started: false,
    finished: false,
    abortReason: undefined as unknown,
  };
  const task = {
    key,
    label,
    replaceable: options.replaceable ?? true,
    ...(options.workId ? { workId: options.workId } : {}),
    supersedeReason: `superseded by ${label}`,
    run: async (signal: AbortSignal) => {
      record.started = true;
      await Promise.race([
        gate,
        new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => resolve(), { once: true }),
        ),
      ]);
      if (signal.aborted) record.abortReason = signal.reason;
      record.finished = true;
    },
  };
  return { task, record, release: () => release() };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A task that gives up its slot once started (its writes only wait), then waits for the test. */
function yielding(key: string) {
  const t = controllable(key);
  const run = t.task.run;
  t.task.run = async (signal: AbortSignal) => {
    yieldSlot();
    await run(signal);
  };
  return t;
}

describe('ReviewQueue', () => {
  it('starts the next task when a running one yields its slot, and keeps the yielded task`s key busy', async () => {
    const queue = new ReviewQueue({ concurrency: 1 });
    const a = yielding('a');
    const sameKey = controllable('a', 'a again', { replaceable: false });
    const b = controllable('b');
    for (const t of [a, sameKey, b])
      expect(queue.enqueue(t.task)).toBe('queued');
    await tick();
    // `a` yielded: `b` runs beside it, but the next task of `a` waits for `a` to end.
    expect([
      a.record.started,
      sameKey.record.started,
      b.record.started,
    ]).toEqual([true, false, true]);
    a.release();
    await tick();
    expect(sameKey.record.started).toBe(false); // b holds the only slot
    b.release();
    await tick();
    expect(sameKey.record.started).toBe(true);
    sameKey.release();
    await queue.onIdle();
    expect(queue.stats()).toMatchObject({ running: 0, completed: 3 });
  });

  it('lets at most `concurrency` tasks yield at a time', async () => {
    const queue = new ReviewQueue({ concurrency: 1 });
    const tasks = ['a', 'b', 'c'].map(yielding);
    for (const t of tasks) queue.enqueue(t.task);
    await tick();
    // `a` yielded its slot to `b`; `b` cannot yield too, so `c` waits.
    expect(tasks.map((t) => t.record.started)).toEqual([true, true, false]);
    // A refused yield is not taken up later: `b` keeps its slot until it ends.
    tasks[0]!.release();
    await tick();
    expect(tasks[2]!.record.started).toBe(false);
    tasks[1]!.release();
    await tick();
    expect(tasks[2]!.record.started).toBe(true);
    for (const t of tasks) t.release();
    await queue.onIdle();
  });

  it('runs at most `concurrency` tasks at once and starts the next when one finishes', async () => {
    const queue = new ReviewQueue({ concurrency: 2 });
    const a = controllable('a');
    const b = controllable('b');
    const c = controllable('c');
    for (const t of [a, b, c]) expect(queue.enqueue(t.task)).toBe('queued');
    await tick();
    expect([a.record.started, b.record.started, c.record.started]).toEqual([
      true,
      true,
      false,
    ]);
    expect(queue.stats()).toMatchObject({ running: 2, queued: 1 });

    a.release();
    await tick();
    expect(c.record.started).toBe(true);
    b.release();
    c.release();
    await queue.onIdle();
    expect(queue.stats()).toMatchObject({
      running: 0,
      queued: 0,
      completed: 3,
      failed: 0,
    });
  });

  it('drops a queued task when a newer one for the same key arrives', async () => {
    const queue = new ReviewQueue({ concurrency: 1 });
    const blocker = controllable('other');
    const older = controllable('pr', 'older');
    const newer = controllable('pr', 'newer');
    queue.enqueue(blocker.task);
    queue.enqueue(older.task);
    queue.enqueue(newer.task);
    expect(queue.stats()).toMatchObject({ queued: 1, dropped: 1 });

    blocker.release();
    await tick();
    expect(older.record.started).toBe(false);
    expect(newer.record.started).toBe(true);
    newer.release();
    await queue.onIdle();
    expect(older.record.started).toBe(false);
  });

  it('aborts a running task with the newer task`s reason, and starts the newer one only after the older finished', async () => {
    const queue = new ReviewQueue({ concurrency: 2 });
    let olderCleanupDone = false;
    let newerStartedBeforeCleanup = false;
    queue.enqueue({
      key: 'pr',
      label: 'older',
      replaceable: true,
      run: async (signal) => {
        await new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => resolve(), { once: true }),
        );
        await tick(); // cleanup, e.g. completing a check run
        olderCleanupDone = true;
      },
    });
    await tick();
    const newer = controllable('pr', 'newer');
    const wrapped = {
      ...newer.task,
      run: async (signal: AbortSignal) => {
        newerStartedBeforeCleanup = !olderCleanupDone;
        await newer.task.run(signal);
      },
    };
    queue.enqueue(wrapped);
    expect(queue.stats()).toMatchObject({ superseded: 1 });
    await tick();
    await tick();
    await tick();
    expect(olderCleanupDone).toBe(true);
    expect(newer.record.started).toBe(true);
    expect(newerStartedBeforeCleanup).toBe(false);
    newer.release();
    await queue.onIdle();
  });

  it('passes the supersede reason to the aborted task', async () => {
    const queue = new ReviewQueue({ concurrency: 1 });
    const older = controllable('pr', 'older');
    queue.enqueue(older.task);
    await tick();
    const newer = controllable('pr', 'newer');
    queue.enqueue(newer.task);
    await tick();
    expect(older.record.abortReason).toBe('superseded by newer');
    newer.release();
    await queue.onIdle();
  });

  it('close() drops queued tasks, aborts running ones with the given reason, waits for them and refuses new tasks', async () => {
    const queue = new ReviewQueue({ concurrency: 1 });
    const running = controllable('a');
    const queued = controllable('b');
    queue.enqueue(running.task);
    queue.enqueue(queued.task);
    await tick();
    const reason = new Error('shutdown');
    await queue.close(reason);
    expect(running.record.finished).toBe(true);
    expect(running.record.abortReason).toBe(reason);
    expect(queued.record.started).toBe(false);
    expect(queue.stats()).toMatchObject({
      accepting: false,
      running: 0,
      queued: 0,
      dropped: 1,
    });
    expect(queue.enqueue(controllable('c').task)).toBe('closed');
  });

  it('drain() lets queued and running tasks finish without aborting them', async () => {
    const queue = new ReviewQueue({ concurrency: 1 });
    const first = controllable('a');
    const second = controllable('b');
    queue.enqueue(first.task);
    queue.enqueue(second.task);
    const drained = queue.drain();
    expect(queue.enqueue(controllable('c').task)).toBe('closed');
    first.release();
    await tick();
    second.release();
    await drained;
    expect(first.record.abortReason).toBeUndefined();
    expect(second.record.finished).toBe(true);
    expect(queue.stats()).toMatchObject({ completed: 2 });
  });

  it('counts a task that throws as failed and keeps going', async () => {
    const queue = new ReviewQueue({ concurrency: 1 });
    queue.enqueue({
      key: 'a',
      label: 'a',
      run: async () => Promise.reject(new Error('boom')),
    });
    const ok = controllable('b');
    queue.enqueue(ok.task);
    await tick();
    ok.release();
    await queue.onIdle();
    expect(queue.stats()).toMatchObject({ failed: 1, completed: 1 });
  });

  it('lets tasks that are not replaceable wait their turn, never dropping or aborting them', async () => {
    const queue = new ReviewQueue({ concurrency: 2 });
    const review = controllable('pr', 'review');
    const waiver = controllable('pr', 'waiver', { replaceable: false });
    const push = controllable('pr', 'push');
    queue.enqueue(review.task);
    await tick();
    queue.enqueue(waiver.task);
    // The waiver neither aborted the running review nor started beside it.
    await tick();
    expect(review.record.abortReason).toBeUndefined();
    expect(waiver.record.started).toBe(false);
    // A newer push aborts the running review but leaves the queued waiver alone.
    queue.enqueue(push.task);
    await tick();
    expect(review.record.abortReason).toBe('superseded by push');
    await tick();
    expect(waiver.record.started).toBe(true);
    expect(push.record.started).toBe(false);
    waiver.release();
    await tick();
    expect(push.record.started).toBe(true);
    push.release();
    await queue.onIdle();
    expect(queue.stats()).toMatchObject({
      completed: 3,
      dropped: 0,
      superseded: 1,
    });
  });

  it('does not queue work that is already queued or running', async () => {
    const queue = new ReviewQueue({ concurrency: 1 });
    const first = controllable('pr', 'first', { workId: 'pr@abc' });
    expect(queue.enqueue(first.task)).toBe('queued');
    await tick();
    expect(
      queue.enqueue(controllable('pr', 'again', { workId: 'pr@abc' }).task),
    ).toBe('duplicate');
    expect(first.record.abortReason).toBeUndefined();
    first.release();
    await queue.onIdle();
    expect(
      queue.enqueue(controllable('pr', 'later', { workId: 'pr@abc' }).task),
    ).toBe('queued');
    await queue.close(new Error('done'));
  });

  it('rejects a non-positive concurrency', () => {
    expect(() => new ReviewQueue({ concurrency: 0 })).toThrow(/concurrency/);
  });
});

describe('ReviewQueue and the delivery scope', () => {
  it('tells the delivery how each task it queued ended, including tasks queued by its tasks', async () => {
    const { newScope, runInDelivery, settleScope } = await import(
      '../../../src/runtime/delivery-scope.ts'
    );
    const queue = new ReviewQueue({ concurrency: 2 });
    const scope = newScope('d1', { installation: { id: 1 } });
    const inner = controllable('inner', 'inner', { replaceable: false });
    runInDelivery(scope, () =>
      queue.enqueue({
        key: 'outer',
        label: 'outer',
        run: async () => {
          queue.enqueue(inner.task);
        },
      }),
    );
    let settled = false;
    const result = settleScope(scope).then((r) => ((settled = true), r));
    await tick();
    expect(settled).toBe(false);
    inner.release();
    expect(await result).toEqual({ end: 'completed' });
    expect(scope.installationId).toBe(1);
  });

  it('marks work cut short by close as interrupted, and supersede aborts a running task of another delivery only', async () => {
    const { newScope, runInDelivery, settleScope } = await import(
      '../../../src/runtime/delivery-scope.ts'
    );
    const queue = new ReviewQueue({ concurrency: 2 });
    const a = controllable('pr', 'a', { workId: 'delivery:a' });
    expect(queue.supersede('pr', 'nothing runs')).toBe(false);
    const scope = newScope('a', {});
    runInDelivery(scope, () => queue.enqueue(a.task));
    await tick();
    expect(queue.supersede('pr', 'newer', 'delivery:a')).toBe(false);
    expect(queue.supersede('pr', 'newer', 'delivery:b')).toBe(true);
    await tick();
    expect(a.record.abortReason).toBe('newer');
    expect(await settleScope(scope)).toEqual({ end: 'completed' });

    const b = controllable('pr', 'b');
    const second = newScope('b', {});
    runInDelivery(second, () => queue.enqueue(b.task));
    await tick();
    await queue.close(new Error('shutdown'));
    expect(await settleScope(second)).toEqual({ end: 'interrupted' });
  });
});
