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
  /** TCP port of the runtime API (admin level), on 127.0.0.1. */
  adminPort: number;
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
    `  stats socket ipv4@127.0.0.1:${options.adminPort} level admin`,
    '  maxconn 4096',
    '  log stderr format short local0 warning',
    '',
    'defaults',
    '  mode http',
    '  log global',
    '  timeout connect 2s',
    '  timeout client 30s',
    '  timeout server 30s',
    // LESSON: the balancer closes an idle keep-alive connection (client side and, in the
    // backend, its pooled connections to hosts) after 2 s; Node's keepAliveTimeout is 5 s.
    // The side that times out first must be the side that would otherwise reuse the socket.
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
    `  default-server check inter ${inter}ms fall 2 rise 2`,
    ...options.hosts.map((h) => `  server ${h.name} ${h.host}:${h.port}`),
    '',
  ].join('\n');
}
