/**
 * max_memory_restart with lesson 08's leak: pm2 reloads the bloated worker, and the API keeps
 * answering while it does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pm2List } from '../src/pm2.ts';
import { freePort, pm2Sandbox, runScript, send, sleep, startLoad } from './helpers.ts';

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
    const restarts = async (): Promise<number> =>
      (await pm2List(sandbox.env)).filter((p) => p.name === 'leaky-api').reduce((sum, p) => sum + p.pm2_env.restart_time, 0);
    expect(await restarts()).toBe(0);

    const leak = startLoad(url, 4, () => ({ path: '/leak' }));
    const health = startLoad(url, 1, () => ({ path: '/health' }));
    let total = 0;
    for (let i = 0; i < 240 && total === 0; i++) {
      await sleep(500);
      total = await restarts();
    }
    await leak.stop();
    await sleep(1000);
    const healthOutcomes = await health.stop();

    expect(total).toBeGreaterThan(0);
    expect(healthOutcomes.length).toBeGreaterThan(0);
    expect(healthOutcomes.filter((o) => o.error !== undefined || o.status !== 200)).toEqual([]);
    expect((await send(`${url}/items/1`)).status).toBe(200);
  }, 180_000);
});
