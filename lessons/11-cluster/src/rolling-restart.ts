/**
 * Replacing every worker without refusing or dropping a connection: one slot at a time,
 * the new worker first.
 *
 * Order matters. The new worker is forked and must be **ready** (listening, so the
 * primary's round-robin already hands it connections) before the old one is told to go.
 * The old one then **stops accepting first** (its server leaves the round-robin; a
 * connection already in the IPC pipe to it is answered "not accepted" and handed to another
 * worker) and only then drains: requests on its open sockets are served with
 * `Connection: close`, idle sockets are closed after a grace period (shared lifecycle).
 */
import type { Worker } from 'node:cluster';

/** What the restart needs of the primary (src/primary.ts). */
export interface Supervisor {
  log(line: string): void;
  isStopping(): boolean;
  /** Workers not already retiring, with their slots. */
  current(): Array<{ worker: Worker; slot: number }>;
  isAlive(worker: Worker): boolean;
  /** While set, the worker's death is not a crash: its successor is already starting. */
  setReplacing(worker: Worker, replacing: boolean): void;
  forkReplacement(slot: number): Worker;
  waitReady(worker: Worker): Promise<void>;
  /** Kills a replacement that failed to become ready. */
  discard(worker: Worker): void;
  /** Starts a worker for an empty slot now. */
  refill(slot: number): void;
  /** Stop accepting, drain, exit (resolves on exit). */
  retire(worker: Worker): Promise<void>;
}

/** Replaces the workers of `supervisor` one slot at a time. */
export async function rollingRestart(supervisor: Supervisor): Promise<void> {
  const olds = supervisor.current();
  supervisor.log(`rolling restart of ${olds.length} worker(s)`);
  for (const [index, { worker: old, slot }] of olds.entries()) {
    if (supervisor.isStopping()) return;
    if (!supervisor.isAlive(old)) continue; // it crashed meanwhile: the crash handler replaced it
    supervisor.setReplacing(old, true);
    const fresh = supervisor.forkReplacement(slot);
    try {
      await supervisor.waitReady(fresh);
    } catch (error) {
      supervisor.setReplacing(old, false);
      supervisor.discard(fresh);
      if (!supervisor.isAlive(old) && !supervisor.isStopping()) supervisor.refill(slot);
      throw new Error(`rolling restart stopped: new worker ${fresh.process.pid} ${(error as Error).message}; ${olds.length - index} old worker(s) kept`);
    }
    // LESSON: the new worker takes connections before the old one stops taking them.
    await supervisor.retire(old);
  }
  supervisor.log('rolling restart done');
}
