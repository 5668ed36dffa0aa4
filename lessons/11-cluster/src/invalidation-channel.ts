/**
 * The worker's side of cache invalidation: publish my writes, apply the others'.
 */
import type { Invalidation } from './cache.ts';
import { isMessage, type PrimaryMessage, type WorkerMessage } from './messages.ts';

/** The part of `process` (a cluster worker) the channel uses; tests pass a fake. */
export interface IpcPort {
  send?: (message: WorkerMessage) => unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

/** Counters shown under `custom.invalidation` in /metrics. */
export interface ChannelStats {
  published: number;
  applied: number;
  /** Writes whose acknowledgement did not come in time (the response went out anyway). */
  ackTimeouts: number;
}

/** Publishes local writes and applies other workers' writes. */
export interface InvalidationChannel {
  /**
   * Tells every other worker about a committed write. Resolves once all of them have dropped
   * the stale entries (or after the ack timeout), so a client that got the response to its
   * write can read from any worker and see it.
   */
  publish(change: Invalidation): Promise<void>;
  /** Registers the function applying other workers' writes, and tells the primary to relay to us. */
  subscribe(apply: (change: Invalidation) => void): void;
  stats(): ChannelStats;
}

/** Options for {@link createIpcInvalidationChannel}. */
export interface ChannelOptions {
  /** Longest a write waits for the other workers (ms, default 2000). */
  ackTimeoutMs?: number;
  log?: (line: string) => void;
}

/** A channel over the cluster worker's IPC link to its primary. */
export function createIpcInvalidationChannel(port: IpcPort, options: ChannelOptions = {}): InvalidationChannel {
  const ackTimeoutMs = options.ackTimeoutMs ?? 2000;
  const log = options.log ?? console.warn;
  const waiting = new Map<number, () => void>();
  const stats: ChannelStats = { published: 0, applied: 0, ackTimeouts: 0 };
  let seq = 0;
  let apply: ((change: Invalidation) => void) | undefined;

  port.on('message', (message) => {
    if (isMessage<Extract<PrimaryMessage, { type: 'cache:ack' }>>(message, 'cache:ack')) {
      waiting.get(message.seq)?.();
    } else if (isMessage<Extract<PrimaryMessage, { type: 'cache:apply' }>>(message, 'cache:apply')) {
      apply?.(message.change);
      stats.applied++;
      port.send?.({ type: 'cache:applied', origin: message.origin, seq: message.seq });
    }
  });

  return {
    publish(change) {
      const id = ++seq;
      stats.published++;
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          stats.ackTimeouts++;
          log(`cache invalidation ${id} not acknowledged within ${ackTimeoutMs} ms; other workers may serve stale data until their TTL`);
          done();
        }, ackTimeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          waiting.delete(id);
          resolve();
        };
        waiting.set(id, done);
        port.send?.({ type: 'cache:invalidate', seq: id, change });
      });
    },
    subscribe(fn) {
      apply = fn;
      port.send?.({ type: 'cache:subscribe' });
    },
    stats: () => ({ ...stats }),
  };
}
