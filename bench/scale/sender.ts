/**
 * Sends planned webhook deliveries at a fixed rate from a thread of its own and times each answer, so
 * what the benchmark's own process does meanwhile (the fake GitHub serving every worker) does not delay
 * the sends or the timing. Before each send it tells the parent which delivery goes out, so the parent
 * can update the fake GitHub first (a push before its `synchronize`).
 */
import { parentPort, workerData } from 'node:worker_threads';

export interface PlannedSend {
  headers: Record<string, string>;
  body: string;
}

export interface SenderInput {
  url: string;
  rate: number;
  sends: PlannedSend[];
}

/** Milliseconds from send to the end of the answer; Infinity for a failed request. */
export type SenderResult = number[];

if (parentPort && workerData) {
  const { url, rate, sends } = workerData as SenderInput;
  const port = parentPort;
  const acks: number[] = [];
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < sends.length; i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    port.postMessage({ kind: 'sending', index: i });
    const { headers, body } = sends[i]!;
    const sent = performance.now();
    pending.push(
      fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(10_000),
      }).then(
        async (res) => {
          await res.arrayBuffer();
          acks.push(performance.now() - sent);
        },
        () => void acks.push(Number.POSITIVE_INFINITY),
      ),
    );
  }
  await Promise.all(pending);
  port.postMessage({ kind: 'done', acks });
}
