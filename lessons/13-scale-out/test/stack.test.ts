/**
 * The whole stack as `npm start` runs it (2 hosts of 1 worker here, to stay quick on 2 cores):
 * coherent reads across hosts, a rolling deploy under load that loses nothing, and a stop
 * that leaves no process behind.
 */
import { requestJson } from '@course/shared/testing';
import { send, startLoad } from '@course/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollingDeploy } from '../src/rolling-deploy.ts';
import { isAlive, startStack, type Stack } from '../src/stack.ts';
import { skipWithoutEngines } from './engines-gate.ts';
import { failedOutcomes, startKeepAliveLoad } from '@course/shared/tools';

describe.skipIf(skipWithoutEngines())('three engines and two hosts behind HAProxy', () => {
  let stack: Stack;
  const logs: string[] = [];

  beforeAll(async () => {
    stack = await startStack({ hosts: 2, workersPerHost: 1, cache: 'local', seedCount: 200, drainDelayMs: 600, log: (line) => logs.push(line) });
  });
  afterAll(async () => { await stack?.stop(); });

  it('spreads requests over every host through the balancer', async () => {
    const hosts = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const res = await requestJson(`${stack.url}/items/${i + 1}`);
      expect(res.status).toBe(200);
      hosts.add(res.headers.get('x-host')!);
    }
    expect([...hosts].sort()).toEqual(stack.hosts.map((h) => `${h.host}:${h.port}`).sort());
  });

  it('never serves a stale item to a read through one host after a write through another', async () => {
    const [a, b] = stack.hosts.map((h) => h.url) as [string, string];
    for (let i = 1; i <= 20; i++) {
      expect((await requestJson(`${b}/items/7`)).status).toBe(200); // B has it cached now
      const written = await requestJson(`${a}/items/7`, { method: 'PATCH', body: { priceCents: 500 + i } });
      expect(written.status).toBe(200);
      expect((await requestJson(`${b}/items/7`)).body.priceCents).toBe(500 + i);
    }
  });

  it('loses no request, keep-alive or fresh connection, during a rolling deploy of every host', async () => {
    const before = new Map(stack.hosts.map((h) => [h.name, h.process.pid]));
    // 50 keep-alive sockets reading, with a write every 10th request (writes are never retried).
    const keepAlive = startKeepAliveLoad(stack.url, { sockets: 50, timeoutMs: 15_000, next: (i) => i % 10 === 0
      ? { path: `/items/${(i % 200) + 1}`, method: 'PATCH', body: { priceCents: i } }
      : { path: `/items/${(i % 200) + 1}` } });
    const fresh = startLoad(stack.url, 2, (i) => ({ path: `/items/${(i % 200) + 1}` }));
    await rollingDeploy(stack, (line) => logs.push(line));
    const { outcomes } = await keepAlive.stop();
    const freshOutcomes = await fresh.stop();

    expect(stack.hosts.every((h) => h.process.pid !== before.get(h.name))).toBe(true);
    expect(outcomes.length).toBeGreaterThan(100);
    expect(failedOutcomes(outcomes)).toEqual([]);
    expect(freshOutcomes.filter((o) => o.error !== undefined || o.status !== 200)).toEqual([]);
    // Every host served again after its restart.
    const after = new Set<string>();
    for (let i = 0; i < 6; i++) after.add((await send(`${stack.url}/items/1`)).status === 200 ? 'ok' : 'bad');
    expect([...after]).toEqual(['ok']);
  });

  it('kills a host that does not exit after SIGTERM within the deadline (SIGKILL), and starts it again', async () => {
    const host = stack.hosts[0]!.process;
    // A stopped process cannot act on SIGTERM: the stand-in for a host stuck in its drain.
    process.kill(host.pid!, 'SIGSTOP');
    await stack.stopHost(0, { timeoutMs: 1000 });
    expect(host.signalCode).toBe('SIGKILL');
    expect(logs.some((line) => line.includes('still running 1000 ms after SIGTERM: SIGKILL'))).toBe(true);
    await stack.startHost(0);
    expect((await requestJson(`${stack.hosts[0]!.url}/health`)).status).toBe(200);
  });

  it('stops every process it started: engines, hosts, workers and PostgreSQL backends', async () => {
    const pids = stack.pids();
    // postgres (+ its backends), redis, haproxy, and for each host a primary and its worker.
    expect(pids.length).toBeGreaterThanOrEqual(3 + 2 * 2);
    await stack.stop();
    expect(pids.filter(isAlive)).toEqual([]);
  });
});
