import { fileURLToPath } from 'node:url';
import { tsxImportArgs } from '@course/shared/bench';
import { requestJson, spawnServer, type ServerProcess } from '@course/shared/testing';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../src/server.ts', import.meta.url));

// The production command (`node --import tsx src/server.ts`) in a child process: worker
// threads must load their .ts files there too, not only under vitest.
describe.each(['hand-pool', 'piscina', 'worker-per-request'])('server.ts with CRUNCHER=%s', (cruncher) => {
  let server: ServerProcess | undefined;
  afterAll(async () => { await server?.close(); });

  it('serves POST /crunch from a worker thread and shuts down on SIGTERM', async () => {
    server = await spawnServer(entry, { env: { CRUNCHER: cruncher, DB_PATH: ':memory:', SEED_COUNT: '10', CRUNCH_THREADS: '1' } });
    const res = await requestJson(`${server.url}/crunch`, { method: 'POST', body: { size: 32, passes: 2 } });
    expect(res.status).toBe(200);
    expect(res.body.threadId).toBeGreaterThan(0);
    const metrics = await requestJson(`${server.url}/metrics`);
    expect(metrics.body.custom.cruncher.name).toBe(cruncher);
    await server.close();
    expect(server.child.exitCode).toBe(0);
  });
});

describe('server.ts configuration', () => {
  it('refuses to start with an unknown CRUNCHER, naming the variable', async () => {
    // Its stderr is captured and checked here, not printed: a green run shows no alarming lines.
    const run = promisify(execFile)(process.execPath, [...tsxImportArgs, entry], { env: { ...process.env, CRUNCHER: 'gpu', DB_PATH: ':memory:', SEED_COUNT: '0', PORT: '0' } });
    const failure = (await run.then(() => undefined, (error: unknown) => error)) as { code?: number; stderr?: string } | undefined;
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/CRUNCHER must be one of main-thread, worker-per-request, hand-pool, piscina, got "gpu"/);
  });
});
