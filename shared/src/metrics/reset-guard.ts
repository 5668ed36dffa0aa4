/**
 * Who may reset the metrics window: resetting changes what every other reader of /metrics
 * sees (a bench, a dashboard), so it is not for anyone who can reach the port.
 */
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback (::ffff:127.x.y.z). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}

/**
 * Why a reset is refused, or undefined when it is allowed. With a token, the request must carry
 * `Authorization: Bearer <token>` (compared in constant time, so the answer's timing does not
 * leak how much of a guess was right); without one, the client must be on a loopback address.
 */
export function resetRefusal(authorization: string | undefined, remoteAddress: string | undefined, token: string | undefined): string | undefined {
  if (token) {
    const given = Buffer.from(/^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '');
    const expected = Buffer.from(token);
    const ok = given.length === expected.length && timingSafeEqual(given, expected);
    return ok ? undefined : 'resetting metrics needs Authorization: Bearer <METRICS_RESET_TOKEN>';
  }
  return isLoopback(remoteAddress) ? undefined : 'metrics can be reset only from this machine (or with METRICS_RESET_TOKEN set)';
}
