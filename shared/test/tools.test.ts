// @course/shared/tools and the test Redis: one copy of each tool the lessons share.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../src/index.ts';
import { findRedisServer, startTestRedis } from '../src/testing.ts';
import { failedOutcomes, failures, freePort, nonZeroSocketErrors, parseWrk, startKeepAliveLoad, wrkInstalled, wrkMs } from '../src/tools/index.ts';

// wrk 4's output, as printed on this course's machine (lesson 11's and 05's samples).
const withLatency = `Running 1s test @ http://127.0.0.1:39517
  1 threads and 5 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   454.66us    1.23ms  18.93ms   93.85%
    Req/Sec    26.47k    10.78k   36.07k    80.00%
  Latency Distribution
     50%  134.00us
     75%  219.00us
     90%  691.00us
     99%    6.17ms
  26264 requests in 1.00s, 3.13MB read
  Non-2xx or 3xx responses: 6655
Requests/sec:  26223.72
Transfer/sec:      3.12MB
`;

const plain = `Running 10s test @ http://127.0.0.1:39999/index
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.03ms   29.12ms    1.02s    99.31%
    Req/Sec    14.10k     1.07k   15.31k    89.00%
  140389 requests in 10.00s, 14.33MB read
  Socket errors: connect 0, read 3, write 0, timeout 2
Requests/sec:  14036.16
Transfer/sec:      1.43MB
`;

describe('parseWrk', () => {
  it('reads counts, rate, mean and max latency, percentiles in ms and non-2xx from a --latency report', () => {
    expect(parseWrk(withLatency)).toEqual({
      requests: 26264, seconds: 1, requestsPerSecond: 26223.72,
      latencyMs: { mean: 0.45466, max: 18.93, p50: 0.134, p75: 0.219, p90: 0.691, p99: 6.17 },
      socketErrors: { connect: 0, read: 0, write: 0, timeout: 0 }, socketErrorCount: 0, non2xx: 6655,
    });
  });

  it('reads a report without --latency (no percentiles) and counts socket errors by kind', () => {
    const report = parseWrk(plain);
    expect(report.latencyMs).toEqual({ mean: 4.03, max: 1020 });
    expect(report.socketErrors).toEqual({ connect: 0, read: 3, write: 0, timeout: 2 });
    expect(report.socketErrorCount).toBe(5);
    expect(nonZeroSocketErrors(report)).toEqual({ read: 3, timeout: 2 });
    expect(report.non2xx).toBe(0);
  });

  it('converts every unit wrk prints and fails on output with no request count', () => {
    expect([wrkMs('812.00', 'us'), wrkMs('5.12', 'ms'), wrkMs('1.5', 's'), wrkMs('1.5', 'm')]).toEqual([0.812, 5.12, 1500, 90_000]);
    expect(() => wrkMs('1', 'h')).toThrow(/unit/);
    expect(() => parseWrk('Usage: wrk <options> <url>\n')).toThrow(/cannot parse wrk output/);
  });

  it.runIf(wrkInstalled())('parses a real wrk run against a real server', async () => {
    const { execFile } = await import('node:child_process');
    const running = await startServer(createServer((_req, res) => { res.end('ok'); }));
    try {
      const stdout = await new Promise<string>((resolve, reject) => {
        execFile('wrk', ['-t1', '-c2', '-d1s', '--latency', running.url], { timeout: 30_000 }, (error, out) => (error ? reject(error) : resolve(out)));
      });
      const report = parseWrk(stdout);
      expect(report.requests).toBeGreaterThan(0);
      expect(report.latencyMs.p99).toBeGreaterThan(0);
      expect(report.non2xx).toBe(0);
    } finally {
      await running.close();
    }
  }, 60_000);
});

describe('freePort', () => {
  it('gives a port nothing listens on, which a server can then bind', async () => {
    const port = await freePort();
    const server = createNetServer();
    await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, '127.0.0.1', resolve); });
    expect((server.address() as AddressInfo).port).toBe(port);
    await new Promise((resolve) => server.close(resolve));
  });

  it('never gives a port that is taken, and picks below the ephemeral range when asked', async () => {
    const taken = createNetServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const takenPort = (taken.address() as AddressInfo).port;
    try {
      for (let i = 0; i < 20; i++) {
        const port = await freePort({ belowEphemeral: true });
        expect(port).toBeGreaterThanOrEqual(20_000);
        expect(port).toBeLessThan(30_000);
        expect(port).not.toBe(takenPort);
      }
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});

describe('startKeepAliveLoad', () => {
  it('reuses its sockets, records every outcome, and tells errors from non-2xx answers', async () => {
    const running = await startServer(createServer((req, res) => {
      res.setHeader('x-worker-pid', String(process.pid));
      if (req.url === '/missing') { res.statusCode = 404; res.end(); return; }
      if (req.url === '/reset') { req.socket.destroy(); return; }
      res.end('ok');
    }));
    try {
      const load = startKeepAliveLoad(running.url, {
        sockets: 3,
        next: (seq) => ({ path: seq % 20 === 0 ? '/missing' : seq % 25 === 0 ? '/reset' : '/ok' }),
      });
      await load.answered(200);
      expect(load.count()).toBeGreaterThanOrEqual(200);
      const result = await load.stop();
      expect(result.requests).toBe(result.outcomes.length);
      expect(result.pids).toEqual(new Set([process.pid]));
      expect(result.non2xx['404']).toBeGreaterThan(0);
      expect(Object.values(result.errors).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      expect(result.outcomes.filter((o) => o.reused).length).toBeGreaterThan(result.outcomes.length / 2);
      const failed = failedOutcomes(result.outcomes);
      expect(failed.length).toBe(failures(result));
      expect(failed.every((o) => o.status === 404 || o.error !== undefined)).toBe(true);
      expect(result.ok).toBe(result.requests - failed.length);
    } finally {
      await running.close();
    }
  }, 60_000);
});

const redisServer = findRedisServer();
describe('startTestRedis', () => {
  it.runIf(redisServer !== undefined)('starts a redis-server that answers PING, and stops it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'test-redis-'));
    try {
      const redis = await startTestRedis({ dir });
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
      const { connect } = await import('node:net');
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect(redis.port, '127.0.0.1', () => socket.write('PING\r\n'));
        socket.once('data', (chunk) => { resolve(chunk.toString()); socket.destroy(); });
        socket.once('error', reject);
      });
      expect(reply).toBe('+PONG\r\n');
      await redis.stop();
      expect(() => process.kill(redis.pid, 0)).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
