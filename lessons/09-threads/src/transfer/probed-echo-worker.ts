/**
 * The echo worker with a probe, for copy-tail.ts only (lesson 10 and the bench use the plain
 * echo-worker.ts): it samples its clock, faults and CPU when a message arrives and after it has
 * posted it back, and records its own GCs. `{ report: true }` asks for everything recorded.
 */
import { PerformanceObserver, type PerformanceNodeEntry, performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { sampleThread, type ThreadSample } from './thread-sample.ts';

const port = parentPort!;
const trips: { received: ThreadSample; posted: ThreadSample }[] = [];
const gcs: { startMs: number; ms: number; kind: number }[] = [];
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries() as PerformanceNodeEntry[]) gcs.push({ startMs: performance.timeOrigin + e.startTime, ms: e.duration, kind: (e.detail as { kind: number }).kind });
});
observer.observe({ entryTypes: ['gc'] });

port.on('message', (message: { payload?: unknown; report?: boolean }) => {
  if (message.report === true) {
    // GC entries reach the observer a few loop turns late: give them time before answering.
    setTimeout(() => { observer.disconnect(); port.postMessage({ trips, gcs }); }, 100);
    return;
  }
  const received = sampleThread();
  port.postMessage(message);
  trips.push({ received, posted: sampleThread() });
});
