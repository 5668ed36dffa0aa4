/**
 * Bad configuration must be loud: the start script exits non-zero with the reason, and pm2
 * shows the failure in its list and logs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { pm2List } from '../src/pm2.ts';
import { freePort, pm2Sandbox, runScript } from './helpers.ts';

describe('a bad configuration', () => {
  const sandbox = pm2Sandbox('failures', 10);
  let blocker: Server | undefined;

  afterAll(async () => {
    await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
    await sandbox.cleanup();
  }, 60_000);

  it('a missing script: the start script exits 1 and names the file', async () => {
    const config = join(sandbox.dir, 'missing-script.config.cjs');
    writeFileSync(config, `module.exports = { apps: [{ name: 'course-api', script: ${JSON.stringify(join(sandbox.dir, 'no-such-worker.ts'))}, exec_mode: 'cluster', instances: 1 }] };\n`);

    const result = await runScript('src/start.ts', ['--config', config], sandbox.env);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Script not found');
    expect(result.stderr).toContain('no-such-worker.ts');
  }, 120_000);

  it('a port already in use: the start script exits 1 with EADDRINUSE, and pm2 lists the restarts', async () => {
    const port = await freePort();
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(port, '127.0.0.1', () => resolve()));

    const result = await runScript('src/start.ts', [], { ...sandbox.env, PORT: String(port), WORKERS: '1' });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not healthy/);
    expect(result.stderr).toMatch(/EADDRINUSE/);
    const instance = (await pm2List(sandbox.env)).find((p) => p.name === 'course-api');
    expect(instance).toBeDefined();
    expect(instance!.pm2_env.status !== 'online' || instance!.pm2_env.restart_time > 0).toBe(true);
  }, 120_000);
});
