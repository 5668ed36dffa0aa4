/**
 * pm2's instances with caches kept coherent through Redis (lesson 13's invalidation channel):
 * with a TTL of ten minutes, a read through one instance right after a write through another
 * still sees the write. Needs redis-server: skipped with a reason without it, failed under CI=true.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { findRedisServer, sendUntil, startTestRedis, type TestRedis } from '@course/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pm2List } from '../src/pm2.ts';
import { freePort, pm2Sandbox, runScript, send } from './helpers.ts';

const redisMissing = findRedisServer() === undefined;
if (redisMissing && process.env.CI === 'true') {
  throw new Error('CI=true and redis-server is missing: install it (Debian: apt-get install redis-server; .ci/engines.sh does) instead of skipping');
}
if (redisMissing) console.warn('lesson-12: skipping the Redis coherence test: redis-server not found (Debian: apt-get install redis-server; Homebrew: brew install redis)');

describe.skipIf(redisMissing)('course-api under pm2 with REDIS_URL: coherent caches', () => {
  const sandbox = pm2Sandbox('redis');
  let url: string;
  let redis: TestRedis | undefined;

  beforeAll(async () => {
    const redisDir = join(sandbox.dir, 'redis');
    mkdirSync(redisDir, { recursive: true });
    redis = await startTestRedis({ dir: redisDir, port: await freePort() });
    const port = await freePort();
    Object.assign(sandbox.env, { PORT: String(port), REDIS_URL: redis.url, CACHE_TTL_MS: '600000' });
    url = `http://127.0.0.1:${port}`;
    const started = await runScript('src/start.ts', [], sandbox.env);
    if (started.code !== 0) throw new Error(`start.ts failed:\n${started.stdout}\n${started.stderr}`);
  }, 180_000);

  afterAll(async () => {
    await sandbox.cleanup();
    await redis?.stop();
  }, 60_000);

  it('runs the coherent worker, and a read through one instance after a write through another is never stale', async () => {
    const pids = (await pm2List(sandbox.env)).filter((p) => p.name === 'course-api' && p.pm2_env.status === 'online').map((p) => p.pid);
    expect(pids).toHaveLength(2);
    const [a, b] = pids as [number, number];
    // /metrics carries no X-Worker-Pid; any instance's counters show the Redis channel is in use.
    expect((await send(`${url}/metrics`)).body.custom.invalidation).toMatchObject({ ackTimeouts: 0 });

    for (let i = 1; i <= 10; i++) {
      expect((await sendUntil(`${url}/items/9`, (pid) => pid === b)).status).toBe(200); // cached in b
      const written = await sendUntil(`${url}/items/9`, (pid) => pid === a, { method: 'PATCH', body: { priceCents: 700 + i } });
      expect(written.status).toBe(200);
      expect((await sendUntil(`${url}/items/9`, (pid) => pid === b)).body.priceCents).toBe(700 + i);
    }
    expect((await send(`${url}/items/9`)).body.priceCents).toBe(710);
  }, 60_000);
});
