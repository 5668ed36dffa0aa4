/**
 * max_memory_restart with lesson 08's leak: pm2 reloads the bloated worker, and the API keeps
 * answering while it does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pm2List } from '../src/pm2.ts';
import { freePort, pm2Sandbox, runScript, send, startLoad, withTimeout } from './helpers.ts';

describe('leaky-api under pm2 with max_memory_restart', () => {
  const sandbox = pm2Sandbox('memory', 50);
  let url: string;
  let started: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // The daemon checks memory every PM2_WORKER_INTERVAL ms (30 s by default); it reads the
    // variable when it starts, which is on this first command.
    Object.assign(sandbox.env, { PORT: String(port), PM2_WORKER_INTERVAL: '1000', MAX_MEMORY: '200M' });
    started = await runScript('src/start.ts', ['--only', 'leaky-api'], sandbox.env);
  }, 180_000);

  afterAll(async () => {
    await sandbox.cleanup();
  }, 60_000);

  it('reloads a worker whose memory passes the limit, and /health answers throughout', async () => {
    expect(started.code).toBe(0);
    expect(started.stderr).not.toMatch(/start: /);
    const instances = async () => (await pm2List(sandbox.env)).filter((p) => p.name === 'leaky-api');
    const before = await instances();
    expect(before.reduce((sum, p) => sum + p.pm2_env.restart_time, 0)).toBe(0);
    const oldPids = new Set(before.map((p) => p.pid));

    const leak = startLoad(url, 4, () => ({ path: '/leak' }));
    const health = startLoad(url, 1, () => ({ path: '/health' }));
    // The signal: the leak answered by a worker pm2 started after the limit was passed (each
    // /leak answer names its pid in X-Worker-Pid). Checked at every answer, bounded.
    await withTimeout((async () => {
      while (!leak.outcomes.some((o) => o.pid !== undefined && !oldPids.has(o.pid))) await leak.settled(1);
    })(), 150_000, 'a /leak answer from a restarted worker');
    await leak.stop();
    // /health keeps answering after the leak stopped: 20 more answers, then stop.
    await withTimeout(health.settled(20), 30_000, '/health after the restart');
    const healthOutcomes = await health.stop();

    const after = await instances();
    expect(after.reduce((sum, p) => sum + p.pm2_env.restart_time, 0)).toBeGreaterThan(0);
    expect(healthOutcomes.length).toBeGreaterThan(0);
    expect(healthOutcomes.filter((o) => o.error !== undefined || o.status !== 200)).toEqual([]);
    expect((await send(`${url}/items/1`)).status).toBe(200);
  }, 180_000);
});
