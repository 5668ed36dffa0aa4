/**
 * Messages from a host's primary to its workers: lesson 11's `shutdown`, and `lame-duck`
 * (fail /health from now on, keep serving).
 */
export type HostMessage = { type: 'lame-duck' } | { type: 'shutdown' };

/** Narrows an IPC message. */
export function isHostMessage<T extends HostMessage['type']>(message: unknown, type: T): message is Extract<HostMessage, { type: T }> {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}
