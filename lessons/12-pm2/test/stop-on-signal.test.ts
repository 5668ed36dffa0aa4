/**
 * `npm run logs` streams until it is stopped: Ctrl-C (SIGINT to the terminal's process group)
 * and SIGTERM sent to npm alone both end it, and its pm2 child, with status 0 and no error
 * banner. Run for real, in its own process group, against a daemon of its own. Ctrl-C in
 * `npm run memory-demo` kills the demo's daemon and exits 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@course/shared';
import { pm2 } from '../src/pm2.ts';
import { freePort, pm2Sandbox, withTimeout } from './helpers.ts';

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

describe('npm run memory-demo stops cleanly', () => {
  it('on Ctrl-C: kills its pm2 daemon, exits 0, no npm error', async () => {
    const port = await freePort();
    const demoHome = join(repoRoot, 'tmp', 'pm2-memory-demo');
    const hadHome = existsSync(demoHome); // a learner's own demo logs stay
    const child = spawn('npm', ['run', 'memory-demo', '--', '--seconds', '120'], {
      cwd: lessonDir, env: { ...process.env, PORT: String(port) }, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.stderr!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      // Its first report line: the daemon and the leaky app are up.
      await withTimeout(new Promise<void>((resolve) => {
        child.stdout!.on('data', () => { if (/ {2}1 s {2}leaked/.test(out)) resolve(); });
      }), 120_000, 'the demo running');
      const daemon = Number(readFileSync(join(demoHome, 'pm2.pid'), 'utf8'));
      process.kill(-child.pid!, 'SIGINT');
      expect(await withTimeout(exited, 60_000, 'npm exit'), JSON.stringify(out)).toBe(0);
      // `pm2 kill` returns once the daemon was told to go; it exits a moment later.
      await withTimeout(new Promise<void>((resolve) => {
        const check = (): void => { try { process.kill(daemon, 0); setTimeout(check, 50); } catch { resolve(); } };
        check();
      }), 30_000, 'the demo\'s daemon gone');
      expect(out).toContain('SIGINT: killing the demo\'s pm2 daemon');
      expect(out).not.toMatch(/npm error|ELIFECYCLE|Lifecycle script/);
    } finally {
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
      await pm2(['kill'], { ...process.env, PM2_HOME: demoHome });
      if (!hadHome) rmSync(demoHome, { recursive: true, force: true });
    }
  }, 180_000);
});
