/**
 * Cache invalidation between processes on any number of machines, through Redis pub/sub.
 *
 * Lesson 11 relayed invalidations through the cluster primary over IPC; across hosts there is
 * no common parent, so Redis plays the relay. Every cache registers itself as a member (a
 * heartbeat in a sorted set); a writer publishes, and waits until every live member, itself
 * included, answered on the writer's own ack channel that it dropped the stale entries (or a
 * timeout). That wait is what makes "a read after my write, through any host" fresh.
 *
 * PUBLISH's own count is not used: it counts the subscriptions Redis holds right now, so a
 * member whose subscription just dropped is missing from it and would not be waited for.
 * A member whose subscription is down knows it ({@link RedisInvalidationChannel.isLive}) and
 * must not serve from its cache until it has subscribed again and cleared it.
 *
 * Implements lesson 11's `InvalidationChannel`, so lesson 11's coherent store can use it
 * unchanged. It lives here because pm2 (this lesson) is the first setup with no primary to
 * relay; lesson 13's hosts use it too (`lesson-12/redis-invalidation`).
 */
import { randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import type { Invalidation } from 'lesson-03';
import type { ChannelStats, InvalidationChannel } from 'lesson-11';

/** Options for {@link createRedisInvalidationChannel}. */
export interface RedisChannelOptions {
  /** Channel every cache listens on (one per data set). Default `items:invalidate`. */
  channel?: string;
  /** Longest a write waits for the other caches (ms, default 2000). */
  ackTimeoutMs?: number;
  /** How often a member renews its heartbeat (ms, default 1000); silent for 5× that, it is no longer waited for. */
  heartbeatMs?: number;
  /** Extra ioredis options for both connections. */
  redisOptions?: RedisOptions;
  log?: (line: string) => void;
}

/** The channel's counters: lesson 11's, plus what this one adds. */
export interface RedisChannelStats extends ChannelStats {
  /** Messages on the channel that were not an invalidation: ignored. */
  malformed: number;
  /** Times the subscription dropped (the cache was cleared each time). */
  disconnects: number;
}

/** The channel, plus what a worker needs to start and stop it. */
export interface RedisInvalidationChannel extends InvalidationChannel {
  /** Resolves once subscribed: serve no cached read before this, or a write could be missed. */
  readonly ready: Promise<void>;
  /** This member's id (its connections are named `<channel>:sub:<id>` and `<channel>:pub:<id>`). */
  readonly id: string;
  /**
   * True while the subscription is up. While false, invalidations may be missed: the cache
   * must not serve from memory (it was cleared when the subscription dropped, and is cleared
   * again once it is back).
   */
  isLive(): boolean;
  stats(): RedisChannelStats;
  /** Leaves the members, unsubscribes and closes both connections. */
  close(): Promise<void>;
}

interface Envelope {
  origin: string;
  seq: number;
  change: Invalidation;
}

/** Only what a writer of this channel sends; anything else on it is ignored. */
function parseEnvelope(text: string): Envelope | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const m = value as Partial<Envelope> | null;
  if (typeof m !== 'object' || m === null || typeof m.origin !== 'string' || !Number.isInteger(m.seq)) return undefined;
  const c = m.change as { kind?: unknown; id?: unknown } | undefined;
  if (c?.kind === 'all') return { origin: m.origin, seq: m.seq!, change: { kind: 'all' } };
  if (c?.kind === 'item' && Number.isInteger(c.id)) return { origin: m.origin, seq: m.seq!, change: { kind: 'item', id: c.id as number } };
  return undefined;
}

/** Opens a subscriber and a publisher connection to `redisUrl`. */
export function createRedisInvalidationChannel(redisUrl: string, options: RedisChannelOptions = {}): RedisInvalidationChannel {
  const channel = options.channel ?? 'items:invalidate';
  const ackTimeoutMs = options.ackTimeoutMs ?? 2000;
  const heartbeatMs = options.heartbeatMs ?? 1000;
  const log = options.log ?? console.warn;
  const me = randomUUID();
  const ackChannel = `${channel}:ack:${me}`;
  const membersKey = `${channel}:members`;
  // A connection in subscriber mode can run no other command: one for each role.
  const sub = new Redis(redisUrl, { lazyConnect: true, connectionName: `${channel}:sub:${me}`, ...options.redisOptions });
  const pub = new Redis(redisUrl, { lazyConnect: true, connectionName: `${channel}:pub:${me}`, ...options.redisOptions });
  const stats: RedisChannelStats = { published: 0, applied: 0, ackTimeouts: 0, malformed: 0, disconnects: 0 };
  /** Members that acknowledged each write of mine, collected before PUBLISH has even returned. */
  const acks = new Map<number, { from: Set<string>; check?: () => void }>();
  let seq = 0;
  let apply: ((change: Invalidation) => void) | undefined;
  let live = false;
  let closed = false;

  for (const client of [sub, pub]) client.on('error', (error: Error) => log(`redis invalidation channel: ${error.message}`));

  const acked = (text: string): void => {
    const at = text.indexOf(':');
    const entry = acks.get(Number(text.slice(0, at)));
    if (at < 0 || !entry) return; // malformed, or timed out already
    entry.from.add(text.slice(at + 1));
    entry.check?.();
  };

  sub.on('message', (from: string, text: string) => {
    if (from === ackChannel) return acked(text);
    const message = parseEnvelope(text);
    if (!message) {
      // LESSON: one bad message must not crash every worker of every host that reads it.
      stats.malformed++;
      log(`redis invalidation channel: ignored a malformed message on ${channel}: ${text.slice(0, 80)}`);
      return;
    }
    // Our own write: the local cache is already fresh; our subscription got it, so count it.
    if (message.origin === me) return acked(`${message.seq}:${me}`);
    apply?.(message.change);
    stats.applied++;
    void pub.publish(`${channel}:ack:${message.origin}`, `${message.seq}:${me}`).catch(() => {});
  });

  // LESSON: while the subscription is down, invalidations are lost (pub/sub has no replay).
  // The cache is cleared and bypassed until the subscription is back, then cleared again:
  // a cold cache is slow, a stale one is wrong.
  sub.on('close', () => {
    if (!live) return;
    live = false;
    stats.disconnects++;
    apply?.({ kind: 'all' });
    if (!closed) log(`redis invalidation channel: subscription lost; the local cache is bypassed until it is back`);
  });
  const subscribe = async (): Promise<void> => {
    await sub.subscribe(channel, ackChannel);
    apply?.({ kind: 'all' });
    live = true;
    await heartbeat();
  };
  sub.on('ready', () => {
    if (!ready.settled || closed) return;
    // ioredis resubscribes by itself; wait for our own SUBSCRIBE's answer before serving again.
    subscribe().catch((error: unknown) => {
      log(`redis invalidation channel: resubscribe failed (${(error as Error).message}); reconnecting`);
      sub.disconnect(true);
    });
  });

  // Membership: a writer waits for every member whose heartbeat is recent.
  const heartbeat = async (): Promise<void> => {
    if (!live || closed) return;
    const now = Date.now();
    await pub.multi().zadd(membersKey, now, me).zremrangebyscore(membersKey, '-inf', now - 5 * heartbeatMs).exec();
  };
  const timer = setInterval(() => { heartbeat().catch(() => {}); }, heartbeatMs);
  timer.unref();

  const ready = Object.assign((async () => {
    await Promise.all([sub.connect(), pub.connect()]);
    await subscribe();
  })(), { settled: false });
  void ready.then(() => { ready.settled = true; }, () => {});

  return {
    ready,
    id: me,
    isLive: () => live,
    async publish(change) {
      const id = ++seq;
      stats.published++;
      const entry: { from: Set<string>; check?: () => void } = { from: new Set() };
      acks.set(id, entry);
      let expected: string[] = [];
      try {
        expected = await pub.zrangebyscore(membersKey, Date.now() - 5 * heartbeatMs, '+inf');
        // Not subscribed ourselves: our cache is bypassed, and our own copy will not come back.
        if (!live) expected = expected.filter((member) => member !== me);
        await pub.publish(channel, JSON.stringify({ origin: me, seq: id, change } satisfies Envelope));
        const missing = (): string[] => expected.filter((member) => !entry.from.has(member));
        if (missing().length === 0) return;
        await new Promise<void>((resolve) => {
          const timeout = setTimeout(() => {
            stats.ackTimeouts++;
            log(live
              ? `cache invalidation ${id}: ${expected.length - missing().length} of ${expected.length} caches answered within ${ackTimeoutMs} ms; the others may serve stale data until they notice their subscription is gone`
              // Acks arrive on our own subscription: with it down we waited, and cannot know.
              : `cache invalidation ${id}: published while this cache's own subscription is down, so no acknowledgement could arrive; waited ${ackTimeoutMs} ms`);
            resolve();
          }, ackTimeoutMs);
          entry.check = () => { if (missing().length === 0) { clearTimeout(timeout); resolve(); } };
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
      closed = true;
      live = false;
      clearInterval(timer);
      await pub.zrem(membersKey, me).catch(() => {});
      // A connection that is reconnecting would make quit() wait for it: disconnect instead.
      sub.disconnect();
      await Promise.race([pub.quit(), new Promise((resolve) => setTimeout(resolve, 1000))]).catch(() => {});
      pub.disconnect();
    },
  };
}
