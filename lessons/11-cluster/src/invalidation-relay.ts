/**
 * The primary's side of cache invalidation: fan a worker's write out to every other
 * subscribed worker, and acknowledge it once they have all applied it.
 *
 * LESSON: the primary is the only process that can talk to every worker, so it is the
 * natural relay. It holds no cache itself; it only forwards and counts answers.
 */
import { isMessage, type PrimaryMessage, type WorkerMessage } from './messages.ts';

/** What the relay needs of a cluster worker. */
export interface RelayPeer {
  id: number;
  send(message: PrimaryMessage): unknown;
}

/** The primary-side relay. */
export interface InvalidationRelay {
  /** Feed every message a worker sends; returns true when the relay handled it. */
  onMessage(from: RelayPeer, message: unknown): boolean;
  /** A worker exited: stop waiting for its answers. */
  onExit(peer: RelayPeer): void;
  /** Writes relayed so far. */
  relayed(): number;
}

export function createInvalidationRelay(): InvalidationRelay {
  const subscribers = new Map<number, RelayPeer>();
  // `${origin}:${seq}` → workers that have not answered yet
  const pending = new Map<string, { origin: RelayPeer; seq: number; waitingFor: Set<number> }>();
  let relayed = 0;

  const settle = (key: string): void => {
    const entry = pending.get(key);
    if (!entry || entry.waitingFor.size > 0) return;
    pending.delete(key);
    if (subscribers.has(entry.origin.id)) entry.origin.send({ type: 'cache:ack', seq: entry.seq });
  };

  return {
    onMessage(from, message) {
      if (isMessage<Extract<WorkerMessage, { type: 'cache:subscribe' }>>(message, 'cache:subscribe')) {
        subscribers.set(from.id, from);
        return true;
      }
      if (isMessage<Extract<WorkerMessage, { type: 'cache:invalidate' }>>(message, 'cache:invalidate')) {
        relayed++;
        const key = `${from.id}:${message.seq}`;
        const others = [...subscribers.values()].filter((peer) => peer.id !== from.id);
        pending.set(key, { origin: from, seq: message.seq, waitingFor: new Set(others.map((p) => p.id)) });
        for (const peer of others) peer.send({ type: 'cache:apply', origin: from.id, seq: message.seq, change: message.change });
        settle(key);
        return true;
      }
      if (isMessage<Extract<WorkerMessage, { type: 'cache:applied' }>>(message, 'cache:applied')) {
        const key = `${message.origin}:${message.seq}`;
        pending.get(key)?.waitingFor.delete(from.id);
        settle(key);
        return true;
      }
      return false;
    },
    onExit(peer) {
      subscribers.delete(peer.id);
      for (const [key, entry] of pending) {
        if (entry.origin.id === peer.id) pending.delete(key);
        else if (entry.waitingFor.delete(peer.id)) settle(key);
      }
    },
    relayed: () => relayed,
  };
}
