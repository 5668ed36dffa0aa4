/**
 * max_memory_restart, watched: start lesson 08's leak under pm2 (its own daemon in
 * tmp/pm2-memory-demo), leak ~100 KiB per request, print memory and restarts each second
 * while /health keeps being asked, then kill the daemon.
 *
 *   node --import tsx src/memory-demo.ts [--seconds 40]
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '@course/shared';
import { tsxImportArgs } from '@course/shared/bench';
import { pm2, pm2List } from './pm2.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '40' } }, strict: true });
const seconds = Number(values.seconds);
if (!(seconds > 0)) {
  console.error(`--seconds must be > 0, got "${values.seconds}"`);
  process.exit(2);
}
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PM2_HOME: join(repoRoot, 'tmp', 'pm2-memory-demo'),
  // The daemon checks memory every PM2_WORKER_INTERVAL ms (default 30 000).
  PM2_WORKER_INTERVAL: '1000',
  MAX_MEMORY: process.env.MAX_MEMORY || '200M',
  PORT: process.env.PORT || '3001',
  WORKERS: '2',
};
const url = `http://127.0.0.1:${env.PORT}`;

try {
  const start = spawnSync(process.execPath, [...tsxImportArgs, new URL('./start.ts', import.meta.url).pathname, '--only', 'leaky-api'], { env, stdio: 'inherit' });
  if (start.status !== 0) throw new Error('leaky-api did not start');
  let stop = false;
  let leaked = 0;
  let healthFailures = 0;
  let healthOk = 0;
  const leakLoop = async (): Promise<void> => {
    while (!stop) {
      await fetch(`${url}/leak`, { signal: AbortSignal.timeout(5000) }).then((r) => r.arrayBuffer()).then(() => leaked++, () => {});
    }
  };
  const healthLoop = async (): Promise<void> => {
    while (!stop) {
      const outcome = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) }).then(
        (r) => (r.status === 200 ? 'ok' : `status ${r.status}`),
        (error: Error) => `${error.name}: ${(error.cause as Error | undefined)?.message ?? error.message}`,
      );
      if (outcome === 'ok') healthOk++;
      else {
        healthFailures++;
        console.log(`      /health failed: ${outcome}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const loops = [leakLoop(), leakLoop(), leakLoop(), healthLoop()];
  for (let s = 1; s <= seconds; s++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const list = (await pm2List(env)).filter((p) => p.name === 'leaky-api');
    const cells = list.map((p) => `#${p.pm_id} ${(p.monit.memory / 1024 / 1024).toFixed(0)} MB ↺${p.pm2_env.restart_time}`).join('  ');
    console.log(`${String(s).padStart(3)} s  leaked ${String(leaked).padStart(5)} requests  ${cells}  /health ok ${healthOk}, failed ${healthFailures}`);
  }
  stop = true;
  await Promise.all(loops);
} catch (error) {
  console.error(`memory-demo: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await pm2(['kill'], env);
}
