/**
 * What pm2 7's reload does that lesson 11's primary does not, pinned so a pm2 upgrade that
 * changes it is noticed:
 * - with `wait_ready`, a new instance that never sends 'ready' does not stop the reload:
 *   after `listen_timeout` pm2 stops the old instance anyway, so a release that hangs at
 *   start replaces every healthy instance, and `pm2 reload` still exits 0;
 * - beyond 2 instances pm2 reloads 2 at a time (PM2_CONCURRENT_ACTIONS, default 2).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pm2, pm2List } from '../src/pm2.ts';
import { freePort, pm2Sandbox, send } from './helpers.ts';

interface Report { mode: string; pid: number; socket: Socket; alive: boolean }

describe('pm2 reload with a release that never becomes ready (4 instances)', () => {
  const sandbox = pm2Sandbox('caveats', 1);
  const releaseFile = join(sandbox.dir, 'release.json');
  const reports: Report[] = [];
  /** For each hanging instance, how many healthy instances were still alive when it started. */
  const healthyAliveAtHangingStart: number[] = [];
  let coordinator: Server;
  let url: string;
  let reload: { code: number; stdout: string; stderr: string };
  let healthyPids: number[] = [];

  const healthyAlive = (): number => reports.filter((r) => r.mode === 'healthy' && r.alive).length;
  const whenReports = (count: number): Promise<void> => new Promise((resolve) => {
    const check = (): void => { if (reports.length >= count) resolve(); else coordinator.once('report', check); };
    check();
  });

  beforeAll(async () => {
    coordinator = createServer((socket) => {
      socket.setEncoding('utf8');
      socket.once('data', (line: string) => {
        const [mode, pid] = line.trim().split(' ');
        const report: Report = { mode: mode!, pid: Number(pid), socket, alive: true };
        if (mode === 'hanging') healthyAliveAtHangingStart.push(healthyAlive());
        reports.push(report);
        socket.on('close', () => { report.alive = false; });
        coordinator.emit('report');
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => coordinator.listen(0, '127.0.0.1', () => resolve()));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const config = join(sandbox.dir, 'release.config.cjs');
    writeFileSync(config, `module.exports = ${JSON.stringify({
      apps: [{
        name: 'release',
        script: fileURLToPath(new URL('./fixtures/release.cjs', import.meta.url)),
        exec_mode: 'cluster',
        instances: 4,
        wait_ready: true,
        listen_timeout: 1500,
        kill_timeout: 3000,
        env: { PORT: String(port), RELEASE_FILE: releaseFile, COORDINATOR_PORT: String((coordinator.address() as { port: number }).port) },
      }],
    })};\n`);

    writeFileSync(releaseFile, JSON.stringify({ mode: 'healthy' }));
    const started = await pm2(['start', config], sandbox.env);
    expect(started.code).toBe(0);
    await whenReports(4);
    healthyPids = reports.map((r) => r.pid);

    // Deploy a release that hangs at start, and reload.
    writeFileSync(releaseFile, JSON.stringify({ mode: 'hanging' }));
    reload = await pm2(['reload', 'release'], sandbox.env);
  }, 120_000);

  afterAll(async () => {
    await sandbox.cleanup();
    for (const r of reports) r.socket.destroy();
    await new Promise<void>((resolve) => coordinator.close(() => resolve()));
  }, 60_000);

  it('before the reload, 4 healthy instances answered on the port', () => {
    expect(healthyPids).toHaveLength(4);
  });

  it('pm2 reload exits 0 although no new instance ever sent ready', () => {
    expect(reload.code).toBe(0);
  });

  it('every healthy instance was stopped: nothing listens on the port any more', async () => {
    const list = (await pm2List(sandbox.env)).filter((p) => p.name === 'release');
    expect(list.map((p) => p.pid).filter((pid) => healthyPids.includes(pid))).toEqual([]);
    expect(list.every((p) => p.pm2_env.status === 'online')).toBe(true); // pm2 calls them online
    await expect(send(`${url}/`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('the instances were replaced two at a time (PM2_CONCURRENT_ACTIONS = 2)', () => {
    // Waves of 2: the first two new instances started while all 4 old ones were alive, the
    // next two only after an old one had been stopped (all 4 at once would read [4, 4, 4, 4]).
    expect(healthyAliveAtHangingStart).toHaveLength(4);
    expect(healthyAliveAtHangingStart.slice(0, 2)).toEqual([4, 4]);
    expect(healthyAliveAtHangingStart.slice(2).every((alive) => alive < 4)).toBe(true);
  });
});
