/**
 * Cache invalidation between processes on any number of machines, through Redis pub/sub.
 *
 * Lesson 11 relayed invalidations through the cluster primary over IPC; across hosts there is
 * no common parent, so Redis plays the relay. PUBLISH returns how many subscribers received
 * the message; each of them answers on the writer's own ack channel once it has dropped the
 * stale entries, and the writer waits for that many answers (or a timeout) before it
 * responds. That wait is what makes "a read after my write, through any host" never stale.
 *
 * Implements lesson 11's `InvalidationChannel`, so lesson 11's coherent store can use it
 * unchanged. It lives here because pm2 (this lesson) is the first setup with no primary to
 * relay; lesson 13's hosts use it too (`lesson-12/redis-invalidation`).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Invalidation } from 'lesson-03';
import type { ChannelStats, InvalidationChannel } from 'lesson-11';

/** Options for {@link createRedisInvalidationChannel}. */
export interface RedisChannelOptions {
  /** Channel every cache listens on (one per data set). Default `items:invalidate`. */
  channel?: string;
  /** Longest a write waits for the other caches (ms, default 2000). */
  ackTimeoutMs?: number;
  log?: (line: string) => void;
}

/** The channel, plus what a worker needs to start and stop it. */
export interface RedisInvalidationChannel extends InvalidationChannel {
  /** Resolves once subscribed: serve no cached read before this, or a write could be missed. */
  readonly ready: Promise<void>;
  /** Unsubscribes and closes both connections. */
  close(): Promise<void>;
}

interface Envelope {
  origin: string;
  seq: number;
  change: Invalidation;
}

/** Opens a subscriber and a publisher connection to `redisUrl`. */
export function createRedisInvalidationChannel(redisUrl: string, options: RedisChannelOptions = {}): RedisInvalidationChannel {
  const channel = options.channel ?? 'items:invalidate';
  const ackTimeoutMs = options.ackTimeoutMs ?? 2000;
  const log = options.log ?? console.warn;
  const me = randomUUID();
  const ackChannel = `${channel}:ack:${me}`;
  // A connection in subscriber mode can run no other command: one for each role.
  const sub = new Redis(redisUrl, { lazyConnect: true });
  const pub = new Redis(redisUrl, { lazyConnect: true });
  const stats: ChannelStats = { published: 0, applied: 0, ackTimeouts: 0 };
  /** Acks received per write of mine, counted before PUBLISH has even told us how many to expect. */
  const acks = new Map<number, { count: number; expected?: number; done?: () => void }>();
  let seq = 0;
  let apply: ((change: Invalidation) => void) | undefined;
  let subscribedOnce = false;

  for (const client of [sub, pub]) client.on('error', (error: Error) => log(`redis invalidation channel: ${error.message}`));

  sub.on('message', (from: string, text: string) => {
    if (from === ackChannel) {
      const entry = acks.get(Number(text));
      if (!entry) return; // timed out already
      entry.count++;
      if (entry.expected !== undefined && entry.count >= entry.expected) entry.done?.();
      return;
    }
    const message = JSON.parse(text) as Envelope;
    if (message.origin === me) return; // our own write: the local cache is already fresh
    apply?.(message.change);
    stats.applied++;
    void pub.publish(`${channel}:ack:${message.origin}`, String(message.seq)).catch(() => {});
  });

  // LESSON: while the subscription is down, invalidations are lost. On every reconnect the
  // cache forgets everything: a cold cache is slow, a stale one is wrong.
  sub.on('ready', () => {
    if (subscribedOnce) apply?.({ kind: 'all' });
    subscribedOnce = true;
  });

  const ready = (async () => {
    await Promise.all([sub.connect(), pub.connect()]);
    await sub.subscribe(channel, ackChannel);
  })();

  return {
    ready,
    async publish(change) {
      const id = ++seq;
      stats.published++;
      const entry: { count: number; expected?: number; done?: () => void } = { count: 0 };
      acks.set(id, entry);
      try {
        const receivers = await pub.publish(channel, JSON.stringify({ origin: me, seq: id, change } satisfies Envelope));
        entry.expected = receivers - 1; // every subscriber but ourselves
        if (entry.count >= entry.expected) return;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            stats.ackTimeouts++;
            log(`cache invalidation ${id}: ${entry.count} of ${entry.expected} caches answered within ${ackTimeoutMs} ms; the others may serve stale data until their TTL`);
            resolve();
          }, ackTimeoutMs);
          entry.done = () => { clearTimeout(timer); resolve(); };
        });
      } catch (error) {
        stats.ackTimeouts++;
        log(`cache invalidation ${id} not published (${(error as Error).message}); other caches may serve stale data until their TTL`);
      } finally {
        acks.delete(id);
      }
    },
    subscribe(fn) {
      apply = fn;
    },
    stats: () => ({ ...stats }),
    async close() {
      await Promise.allSettled([sub.quit(), pub.quit()]);
    },
  };
}
