/**
 * `npm run reload` as real clients see it: 50 keep-alive sockets sending GETs and POSTs through
 * the whole reload, not one request per fresh connection. Zero failed requests. The reload is
 * run from a shell that has neither PORT nor DB_PATH set: the app keeps the settings it was
 * started with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failures, newItemBody, startKeepAliveLoad, type KeepAliveLoadResult } from '@course/shared/tools';
import { pm2List } from '../src/pm2.ts';
import { freePort, pm2Sandbox, runScript } from './helpers.ts';

describe('pm2 reload under a keep-alive client (50 sockets)', () => {
  const sandbox = pm2Sandbox('keep-alive');
  let url: string;
  let port: number;
  let before: number[];
  let reload: { code: number; stdout: string; stderr: string };
  let result: KeepAliveLoadResult;

  const online = async (): Promise<{ pid: number; env: Record<string, unknown> }[]> =>
    (await pm2List(sandbox.env)).filter((p) => p.name === 'course-api' && p.pm2_env.status === 'online').map((p) => ({ pid: p.pid, env: p.pm2_env as unknown as Record<string, unknown> }));

  beforeAll(async () => {
    port = await freePort();
    sandbox.env.PORT = String(port);
    url = `http://127.0.0.1:${port}`;
    const started = await runScript('src/start.ts', [], sandbox.env);
    expect(started.code).toBe(0);
    before = (await online()).map((p) => p.pid);

    const load = startKeepAliveLoad(url, {
      sockets: 50,
      next: (seq) => (seq % 4 === 0 ? { method: 'POST', path: '/items', body: newItemBody('keep-alive-test', seq) } : { method: 'GET', path: `/items/${(seq % 300) + 1}` }),
    });
    await load.answered(200);
    // Another shell: same daemon (PM2_HOME), none of the settings the app was started with.
    const { PORT: _port, DB_PATH: _db, ...otherShell } = sandbox.env;
    reload = await runScript('src/cli.ts', ['reload'], otherShell);
    await load.answered(200);
    result = await load.stop();
  }, 180_000);

  afterAll(async () => {
    await sandbox.cleanup();
  }, 60_000);

  it('the reload exits 0 and replaces both instances', async () => {
    expect(reload.code).toBe(0);
    expect(before).toHaveLength(2);
    const after = (await online()).map((p) => p.pid);
    expect(after).toHaveLength(2);
    expect(after.filter((pid) => before.includes(pid))).toEqual([]);
  });

  it('the reload says the instances kept their environment, without pm2\'s --update-env hint the README advises against', () => {
    expect(reload.stdout).toMatch(/\[course-api\]\(\d+\) ✓/); // pm2's own progress still shows
    expect(reload.stdout).not.toMatch(/Use --update-env/);
    expect(reload.stdout).toMatch(/reloaded by name: every instance keeps the environment it was started with/);
  });

  it('no request failed: no socket error, no non-2xx answer', () => {
    expect(result.requests).toBeGreaterThan(400);
    expect({ errors: result.errors, non2xx: result.non2xx }).toEqual({ errors: {}, non2xx: {} });
    expect(failures(result)).toBe(0);
  });

  it('old and new instances both answered the keep-alive client', async () => {
    const after = (await online()).map((p) => p.pid);
    expect(before.some((pid) => result.pids.has(pid))).toBe(true);
    expect(after.some((pid) => result.pids.has(pid))).toBe(true);
  });

  it('the new instances run with the settings the app was started with', async () => {
    for (const instance of await online()) {
      expect(instance.env.PORT).toBe(String(port));
      expect(instance.env.DB_PATH).toBe(sandbox.env.DB_PATH);
    }
  });
});
