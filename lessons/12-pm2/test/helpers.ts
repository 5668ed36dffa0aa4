/**
 * Test helpers: a pm2 home per test file under tmp/, free ports, the start script as a child
 * process, and a load loop on fresh connections.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '@course/shared';
import { tsxImportArgs } from '@course/shared/bench';
import { prepareDatabase } from 'lesson-11';
import { pm2 } from '../src/pm2.ts';
import { freePort as sharedFreePort } from '@course/shared/tools';

const lessonDir = fileURLToPath(new URL('..', import.meta.url));

/** A pm2 home and database of its own; `cleanup` kills the daemon and removes both. */
export function pm2Sandbox(name: string, seedCount = 300): { env: NodeJS.ProcessEnv; dir: string; cleanup: () => Promise<void> } {
  const dir = join(repoRoot, 'tmp', 'pm2', `test-${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const dbPath = join(dir, 'course.db');
  prepareDatabase(dbPath, seedCount);
  const env: NodeJS.ProcessEnv = {
    ...process.env, PM2_HOME: join(dir, 'home'), DB_PATH: dbPath, SEED_COUNT: String(seedCount),
    WORKERS: '2', SHUTDOWN_TIMEOUT_MS: '3000',
  };
  return {
    env,
    dir,
    cleanup: async () => {
      await pm2(['kill'], env);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A loopback port nothing listens on right now, for the pm2 daemon's app (pm2 cannot report a
 * port-0 choice back), picked below the ephemeral range: see `freePort` in @course/shared/tools.
 */
export const freePort = (): Promise<number> => sharedFreePort({ belowEphemeral: true });

/** Runs one of the lesson's scripts (`src/start.ts`, ...) to completion. */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...tsxImportArgs, join(lessonDir, script), ...args], { env, cwd: lessonDir, timeout: 180_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

// Fresh-connection requests and the load loop are lesson 11's: pm2 balances the same way.
export { send, sleep, startLoad, withTimeout, type Load, type Outcome, type Reply } from '@course/shared/testing';
