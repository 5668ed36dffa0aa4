import { afterEach, describe, expect, it } from 'vitest';
import { createApp, createMetrics, type Metrics, type RunningServer } from '../src/index.ts';
import { isLoopback, resetRefusal } from '../src/metrics/reset-guard.ts';
import { listen, requestJson } from '../src/testing.ts';

describe('who may POST /metrics/reset', () => {
  it('knows loopback addresses in IPv4, IPv6 and IPv4-mapped form, and nothing else', () => {
    expect(['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['10.0.0.5', '192.168.1.2', '::ffff:10.0.0.5', 'fe80::1', '', undefined].map(isLoopback)).toEqual([false, false, false, false, false, false]);
  });

  it('without a token, refuses a client that is not on this machine and allows one that is', () => {
    expect(resetRefusal(undefined, '203.0.113.7', undefined)).toMatch(/only from this machine/);
    expect(resetRefusal(undefined, '127.0.0.1', undefined)).toBeUndefined();
  });

  it('with a token, requires it as a bearer token from any address, loopback included', () => {
    expect(resetRefusal(undefined, '127.0.0.1', 's3cret')).toMatch(/Bearer/);
    expect(resetRefusal('Bearer wrong!', '127.0.0.1', 's3cret')).toMatch(/Bearer/);
    expect(resetRefusal('Bearer s3cret', '203.0.113.7', 's3cret')).toBeUndefined();
  });

  describe('over HTTP, with METRICS_RESET_TOKEN set', () => {
    let server: RunningServer | undefined;
    let metrics: Metrics | undefined;
    afterEach(async () => { await server?.close(); metrics?.close(); });

    it('answers 403 in the JSON error shape without the token, keeps the window, and resets with it', async () => {
      metrics = createMetrics({ resetToken: 's3cret' });
      server = await listen(createApp({ metrics, routes: (app) => { app.get('/x', (_req, res) => { res.json({ ok: true }); }); } }));
      await requestJson(`${server.url}/x`);

      const refused = await requestJson(`${server.url}/metrics/reset`, { method: 'POST' });
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/Bearer/) });
      expect(JSON.stringify(refused.body)).not.toMatch(/at .*\.ts:\d+/); // no stack trace
      expect(metrics.snapshot().requests.latencyMs.max).toBeGreaterThan(0); // window kept

      const allowed = await fetch(`${server.url}/metrics/reset`, { method: 'POST', headers: { authorization: 'Bearer s3cret' } });
      expect(allowed.status).toBe(200);
      await allowed.arrayBuffer();
      expect(metrics.snapshot().requests.latencyMs.max).toBe(0);
    });
  });
});
