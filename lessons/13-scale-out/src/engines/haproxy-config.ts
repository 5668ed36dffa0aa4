/**
 * The load balancer's configuration, generated: one frontend, one backend of N hosts.
 */

/** One backend server: a host's address. */
export interface BackendHost {
  name: string;
  host: string;
  port: number;
}

/** Options for {@link haproxyConfig}. */
export interface HaproxyConfigOptions {
  port: number;
  /** Path of the runtime API's unix socket (admin level, mode 600: this user only). */
  adminSocket: string;
  hosts: BackendHost[];
  /**
   * `on`: idempotent requests are retried on another host when a connection fails or dies
   * before any response (and on a 503). `off`: no retry at all, to measure what they save.
   */
  retries: 'on' | 'off';
  /** Health-check interval, ms. */
  checkIntervalMs?: number;
}

/** The haproxy.cfg text. */
export function haproxyConfig(options: HaproxyConfigOptions): string {
  const inter = options.checkIntervalMs ?? 500;
  const retry = options.retries === 'on'
    ? [
        '  retries 3',
        // LESSON: a request that failed on one host goes to another one, not the same again.
        '  option redispatch 1',
        '  retry-on conn-failure empty-response response-timeout 503',
        // LESSON: a POST that reached a host may have been applied: never replay it.
        '  http-request disable-l7-retry unless { method GET HEAD }',
      ]
    : ['  retries 0', '  retry-on none'];
  return [
    'global',
    // LESSON: the runtime API can take servers out and change weights: a unix socket that only
    // this user may open (mode 600), never a TCP port every local process can reach.
    `  stats socket ${options.adminSocket} mode 600 level admin`,
    '  maxconn 4096',
    '  log stderr format short local0 warning',
    '',
    'defaults',
    '  mode http',
    '  log global',
    '  timeout connect 2s',
    // LESSON: a client gets 10 s to send its request headers: one that trickles bytes to hold
    // a connection open (slowloris) is cut, not kept until `timeout client`.
    '  timeout http-request 10s',
    // A health check may take 2 s to answer. Unset, the check's timeout is `inter` (500 ms): on
    // a loaded machine a busy but healthy host missed two in a row and was taken out, and with
    // the other host draining for a deploy, HAProxy had no server left (its 503 page). A dead
    // host still fails at once (connection refused).
    '  timeout check 2s',
    '  timeout client 30s',
    '  timeout server 30s',
    // Idle keep-alive connections from clients are closed after 2 s. (Clients must time out
    // before that, or they write into a socket HAProxy is closing: the rule one hop out.)
    '  timeout http-keep-alive 2s',
    '',
    'frontend api',
    `  bind 127.0.0.1:${options.port}`,
    '  default_backend hosts',
    '',
    'backend hosts',
    '  balance roundrobin',
    ...retry,
    // LESSON: active checks: a host that answers /health with 503 (draining) or not at all
    // stops getting requests after `fall` checks, and gets them again after `rise`.
    '  option httpchk GET /health',
    '  http-check expect status 200',
    // LESSON: idle connections to the hosts are not covered by `timeout http-keep-alive`: HAProxy
    // keeps them in a pool and closes half of them every `pool-purge-delay`. The hosts' Node
    // keepAliveTimeout (30 s) must outlast that, so HAProxy, the side that reuses a connection,
    // is always the side that closes it (NOTES.md: measured 20 idle connections gone in < 11 s).
    `  default-server check inter ${inter}ms fall 2 rise 2 pool-purge-delay 1s`,
    ...options.hosts.map((h) => `  server ${h.name} ${h.host}:${h.port}`),
    '',
  ].join('\n');
}
