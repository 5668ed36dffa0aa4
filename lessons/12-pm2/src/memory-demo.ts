/**
 * max_memory_restart, watched: start lesson 08's leak under pm2 (its own daemon in
 * tmp/pm2-memory-demo), leak ~100 KiB per request, print memory and restarts each second
 * while /health keeps being asked, then kill the daemon (also on Ctrl-C: the daemon is detached
 * from this terminal and would outlive the demo otherwise).
 *
 *   node --import tsx src/memory-demo.ts [--seconds 40]
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '@course/shared';
import { tsxImportArgs } from '@course/shared/bench';
import { ArgsError, parseMemoryDemoArgs } from './args.ts';
import { pm2, pm2List } from './pm2.ts';

let seconds: number;
try {
  ({ seconds } = parseMemoryDemoArgs(process.argv.slice(2)));
} catch (error) {
  if (!(error instanceof ArgsError)) throw error;
  console.error(error.message);
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
let stop = false;
let killing: Promise<unknown> | undefined;
const killDaemon = (): Promise<unknown> => (killing ??= pm2(['kill'], env));
// LESSON: Ctrl-C reaches this process, not pm2's daemon (it runs in a session of its own).
// Ending the demo early is not a failure: exit 0 once the daemon is gone. The handlers stay
// (`on`, not `once`): npm forwards a copy of the terminal's SIGINT, and a copy with no handler
// left would kill this process before it has killed the daemon.
const onSignal = (signal: NodeJS.Signals): void => {
  if (stop) return;
  console.log(`${signal}: killing the demo's pm2 daemon`);
  stop = true;
  void killDaemon().then(() => process.exit(0));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

try {
  const start = spawnSync(process.execPath, [...tsxImportArgs, fileURLToPath(new URL('./start.ts', import.meta.url)), '--only', 'leaky-api', '--quiet'], { env, stdio: 'inherit' });
  if (start.status !== 0) throw new Error('leaky-api did not start');
  // This daemon is not the lesson's usual one (tmp/pm2): commands must name its home.
  console.log(`meanwhile, from another shell in lessons/12-pm2: PM2_HOME=${env.PM2_HOME} npm run status`);
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
  for (let s = 1; s <= seconds && !stop; s++) {
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
  await killDaemon();
  console.log(`the demo's pm2 daemon (${env.PM2_HOME}) is stopped`);
}
