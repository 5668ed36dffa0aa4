/**
 * The pieces that need no engine: pool sizing, the balancer's generated config, the message
 * for missing engines.
 */
import { describe, expect, it } from 'vitest';
import { MissingEnginesError } from '../src/engines/binaries.ts';
import { haproxyConfig } from '../src/engines/haproxy-config.ts';
import { loadHostConfig } from '../src/host-config.ts';
import { assertPoolsFit, poolSizeFor } from '../src/pool-sizing.ts';

describe('pool sizing', () => {
  it('gives each worker the largest pool that keeps hosts × workers × pool under max_connections', () => {
    expect(poolSizeFor({ hosts: 3, workersPerHost: 2, maxConnections: 40 })).toBe(5); // 6 × 5 = 30 ≤ 35
    expect(poolSizeFor({ hosts: 3, workersPerHost: 2, maxConnections: 100, reserved: 3 })).toBe(16);
  });

  it('refuses a pool that would run PostgreSQL out of connections, naming the numbers', () => {
    expect(() => assertPoolsFit({ hosts: 3, workersPerHost: 2, maxConnections: 40 }, 6))
      .toThrow('3 hosts × 2 workers × pool 6 = 36 connections, but max_connections 40 − 5 reserved allows a pool of at most 5');
    expect(() => assertPoolsFit({ hosts: 3, workersPerHost: 2, maxConnections: 40 }, 5)).not.toThrow();
  });
});

describe('the generated HAProxy config', () => {
  const base = { port: 8080, adminSocket: '/run/lesson-13/admin.sock', hosts: [{ name: 'h1', host: '127.0.0.2', port: 3000 }, { name: 'h2', host: '127.0.0.3', port: 3000 }] };

  it('checks /health on every host and retries only GET and HEAD, on another host', () => {
    const config = haproxyConfig({ ...base, retries: 'on' });
    expect(config).toContain('option httpchk GET /health');
    expect(config).toContain('server h2 127.0.0.3:3000');
    expect(config).toMatch(/retry-on conn-failure empty-response/);
    expect(config).toContain('option redispatch 1');
    expect(config).toContain('http-request disable-l7-retry unless { method GET HEAD }');
  });

  it('serves its runtime API on a unix socket only its user may open, never on TCP', () => {
    const config = haproxyConfig({ ...base, retries: 'on' });
    expect(config).toContain('stats socket /run/lesson-13/admin.sock mode 600 level admin');
    expect(config).not.toMatch(/stats socket (ipv4|ipv6)?@?\d/);
  });

  it('gives a client a bounded time to send its request headers (timeout http-request)', () => {
    expect(haproxyConfig({ ...base, retries: 'on' })).toMatch(/^ {2}timeout http-request \d+s$/m);
  });

  it('gives a health check longer than its interval to answer, so a busy host is not taken for a dead one', () => {
    const config = haproxyConfig({ ...base, retries: 'on' });
    const checkMs = Number(/^ {2}timeout check (\d+)s$/m.exec(config)![1]) * 1000;
    const interMs = Number(/check inter (\d+)ms/.exec(config)![1]);
    expect(checkMs).toBeGreaterThan(interMs);
  });

  it('retries nothing when asked to (the bench compares both)', () => {
    const config = haproxyConfig({ ...base, retries: 'off' });
    expect(config).toContain('retry-on none');
    expect(config).not.toContain('redispatch');
  });

  it("purges its idle connections to the hosts well before the hosts' Node servers would close them", () => {
    const purgeMs = Number(/pool-purge-delay (\d+)s/.exec(haproxyConfig({ ...base, retries: 'on' }))![1]) * 1000;
    const nodeIdleMs = loadHostConfig({ PG_URL: 'postgres://x', REDIS_URL: 'redis://x' }).keepAliveTimeoutMs;
    // Half the idle pool goes every purge: 20 purges empty a pool of a million connections.
    expect(nodeIdleMs).toBeGreaterThanOrEqual(20 * purgeMs);
  });
});

describe('missing engines', () => {
  it('names every missing program and the Debian and Homebrew packages in one message', () => {
    const message = new MissingEnginesError(['postgres', 'haproxy']).message;
    expect(message).toContain('not found: postgres, haproxy');
    expect(message).toContain('apt-get install -y postgresql redis-server haproxy');
    expect(message).toContain('brew install');
  });

  it('a host refuses to start without its database and cache URLs, naming the variable', () => {
    expect(() => loadHostConfig({ REDIS_URL: 'redis://x' })).toThrow('PG_URL must be set');
    expect(() => loadHostConfig({ PG_URL: 'p', REDIS_URL: 'r', CACHE: 'memcached' })).toThrow('CACHE must be one of none, shared, local');
  });
});
