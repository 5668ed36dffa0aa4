import { requestJson, spawnServer, type ServerProcess } from '@course/shared/testing';
import { afterAll, describe, expect, it } from 'vitest';

const entry = new URL('../src/server.ts', import.meta.url).pathname;

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
    await expect(spawnServer(entry, { env: { CRUNCHER: 'gpu', DB_PATH: ':memory:', SEED_COUNT: '0' } })).rejects.toThrow(/exited before listening/);
  });
});
