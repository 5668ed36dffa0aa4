/**
 * `npm run logs` streams until it is stopped: Ctrl-C (SIGINT to the terminal's process group)
 * and SIGTERM sent to npm alone both end it, and its pm2 child, with status 0 and no error
 * banner. Run for real, in its own process group, against a daemon of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { pm2 } from '../src/pm2.ts';
import { pm2Sandbox, withTimeout } from './helpers.ts';

const lessonDir = new URL('..', import.meta.url).pathname;

function groupGone(pgid: number): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      try { process.kill(-pgid, 0); setTimeout(check, 50); } catch { resolve(); }
    };
    check();
  });
}

describe('npm run logs stops cleanly', () => {
  const sandbox = pm2Sandbox('logs-signal', 10);
  beforeAll(async () => { expect((await pm2(['ping'], sandbox.env)).code).toBe(0); }, 60_000);
  afterAll(() => sandbox.cleanup(), 60_000);

  for (const [how, target] of [['Ctrl-C (SIGINT to the group)', 'group'], ['SIGTERM to npm alone', 'top']] as const) {
    it(`on ${how}: exit 0, no npm error, nothing left running`, async () => {
      const child = spawn('npm', ['run', 'logs'], { cwd: lessonDir, env: sandbox.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
      child.stderr!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        await withTimeout(new Promise<void>((resolve) => {
          child.stdout!.on('data', () => { if (out.includes('[TAILING]')) resolve(); });
        }), 60_000, 'pm2 logs streaming');
        process.kill(target === 'group' ? -child.pid! : child.pid!, target === 'group' ? 'SIGINT' : 'SIGTERM');
        expect(await withTimeout(exited, 30_000, 'npm exit'), JSON.stringify(out)).toBe(0);
        await withTimeout(groupGone(child.pid!), 30_000, 'pm2 logs gone');
        expect(out).not.toMatch(/npm error|ELIFECYCLE|Lifecycle script/);
      } finally {
        try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
      }
    }, 120_000);
  }
});
