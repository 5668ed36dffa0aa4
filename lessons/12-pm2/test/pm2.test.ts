/**
 * Lesson 11's worker under pm2 in cluster mode: started by the lesson's start script, reloaded
 * under load without a failed request, listed through pm2's programmatic API, saved and
 * resurrected. One daemon in tmp/, killed in afterAll whatever happens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pm2, pm2List } from '../src/pm2.ts';
import { freePort, pm2Sandbox, runScript, send, sleep, startLoad, type Load } from './helpers.ts';

describe('course-api under pm2', () => {
  const sandbox = pm2Sandbox('main');
  let url: string;
  let startOutput: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    const port = await freePort();
    sandbox.env.PORT = String(port);
    url = `http://127.0.0.1:${port}`;
    startOutput = await runScript('src/start.ts', [], sandbox.env);
  }, 180_000);

  afterAll(async () => {
    await sandbox.cleanup();
  }, 60_000);

  /** Resolves once the load has `count` outcomes (a signal from the load; no fixed wait). */
  async function answered(load: Load, count: number): Promise<void> {
    if (load.outcomes.length < count) await load.settled(count - load.outcomes.length);
  }

  async function onlinePids(): Promise<number[]> {
    return (await pm2List(sandbox.env)).filter((p) => p.name === 'course-api' && p.pm2_env.status === 'online').map((p) => p.pid).sort();
  }

  it('the start script exits 0 once two cluster instances are online and answering on one port', async () => {
    // What matters is the exit code and the line saying so; a runtime warning on stderr
    // (a deprecation in a newer Node, say) is not a failure of the start script.
    expect(startOutput.code).toBe(0);
    expect(startOutput.stdout).toMatch(/course-api: 2 instance\(s\) online on http:\/\/127\.0\.0\.1:\d+/);
    expect(startOutput.stderr).not.toMatch(/start: /);
    const list = (await pm2List(sandbox.env)).filter((p) => p.name === 'course-api');
    expect(list.map((p) => [p.pm2_env.exec_mode, p.pm2_env.status])).toEqual([['cluster_mode', 'online'], ['cluster_mode', 'online']]);
    const served = new Set<number>();
    for (let i = 0; i < 10; i++) served.add((await send(`${url}/items/1`)).pid!);
    expect([...served].sort()).toEqual(await onlinePids());
  });

  it('pm2 reload replaces every instance under load on fresh connections without a failed request', async () => {
    const before = await onlinePids();
    const load = startLoad(url, 6, (id) => (id % 5 === 0
      ? { path: `/items/${(id % 300) + 1}`, method: 'PATCH', body: { priceCents: 500 + id } }
      : { path: `/items/${(id % 300) + 1}` }));
    await answered(load, 30);
    const reloaded = await runScript('src/cli.ts', ['reload'], sandbox.env);
    await answered(load, load.outcomes.length + 30);
    const outcomes = await load.stop();

    expect(reloaded.code).toBe(0);
    expect(outcomes.filter((o) => o.error !== undefined || o.status !== 200)).toEqual([]);
    const after = await onlinePids();
    expect(after).toHaveLength(2);
    expect(after.filter((pid) => before.includes(pid))).toEqual([]);
    const servedBy = new Set(outcomes.map((o) => o.pid));
    expect([...before, ...after].every((pid) => servedBy.has(pid))).toBe(true);
  }, 120_000);

  it('the programmatic-API script lists each instance with its memory and restarts', async () => {
    const listed = await runScript('src/list-processes.ts', ['--json'], sandbox.env);
    expect(listed.code).toBe(0);
    const rows = JSON.parse(listed.stdout) as { name: string; pid: number; memoryMb: number; restarts: number; status: string }[];
    expect(rows.map((r) => r.pid).sort()).toEqual(await onlinePids());
    for (const row of rows) {
      expect(row.name).toBe('course-api');
      expect(row.memoryMb).toBeGreaterThan(10);
      expect(row.restarts).toBe(1); // the reload above
    }
  }, 60_000);

  it('writes timestamped log lines to the files the ecosystem names', () => {
    const out = readFileSync(join(sandbox.env.PM2_HOME!, 'logs', 'course-api.out.log'), 'utf8');
    const lines = out.split('\n').filter((l) => l.includes('listening on'));
    expect(lines.length).toBeGreaterThanOrEqual(4); // two starts, two reloads
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [+-]\d\d:\d\d: /);
  });

  it('pm2 save then resurrect brings the app back after the daemon was killed', async () => {
    expect((await pm2(['save'], sandbox.env)).code).toBe(0);
    expect((await pm2(['kill'], sandbox.env)).code).toBe(0);
    await expect(send(`${url}/health`)).rejects.toThrow();

    expect((await pm2(['resurrect'], sandbox.env)).code).toBe(0);
    let health;
    for (let i = 0; i < 100 && health?.status !== 200; i++) {
      health = await send(`${url}/health`).catch(() => undefined);
      if (health?.status !== 200) await sleep(200);
    }
    expect(health?.status).toBe(200);
  }, 120_000);
});
