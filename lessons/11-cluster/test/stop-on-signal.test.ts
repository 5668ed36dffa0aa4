/**
 * Every documented way to start the service stops once, cleanly, on Ctrl-C (SIGINT to the
 * terminal's foreground process group) and on SIGTERM to the top process alone (what a
 * process manager or a script sends): one drain, exit status 0 or 130, no error banner, and
 * no process left behind. Each command runs for real in its own process group, as a terminal
 * would run it, on port 0 and a temporary database.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@course/shared';
import { send, tempDatabase, withTimeout } from './helpers.ts';

const lessonDir = join(repoRoot, 'lessons', '11-cluster');

interface Launch {
  child: ChildProcess;
  output: () => string;
  /** The primary's pid and URL, once it printed its ready line. */
  ready: Promise<{ pid: number; url: string }>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  serverPid?: number;
}

const launches: Launch[] = [];
afterEach(() => {
  // A failed test must not leave a service running: SIGKILL whatever is left of each group.
  // The root start runs the primary in a process group of its own: kill that one too.
  for (const { child, serverPid } of launches.splice(0)) {
    for (const target of [-child.pid!, ...(serverPid ? [-serverPid, serverPid] : [])]) {
      try { process.kill(target, 'SIGKILL'); } catch { /* already gone */ }
    }
  }
});

/** Runs `command` in a new process group (a terminal's job), with the lesson's server on port 0. */
function launch(name: string, command: string, args: string[], cwd: string, readyLine = /lesson-11 primary (?<pid>\d+): \d+ worker\(s\) on (?<url>http:\/\/\S+)/): Launch {
  const db = tempDatabase(name, 50);
  const child = spawn(command, args, {
    cwd,
    detached: true, // its own process group: the test plays the terminal
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DB_PATH: db.dbPath, SEED_COUNT: '0', WORKERS: '2', SHUTDOWN_TIMEOUT_MS: '5000', FORCE_COLOR: '0' },
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  }).finally(() => db.remove());
  const ready = new Promise<{ pid: number; url: string }>((resolve, reject) => {
    const check = (): void => {
      const m = readyLine.exec(out);
      if (m) {
        launched.serverPid = Number(m.groups!.pid);
        resolve({ pid: Number(m.groups!.pid), url: m.groups!.url! });
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', () => reject(new Error(`exited before ready:\n${out}`)));
  });
  const launched: Launch = { child, output: () => out, ready, exited };
  launches.push(launched);
  return launched;
}

/** Resolves once no process of group `pgid` and no process `pid` is left. */
async function gone(pgid: number, pid: number): Promise<void> {
  const alive = (target: number): boolean => {
    try { process.kill(target, 0); return true; } catch { return false; }
  };
  while (alive(-pgid) || alive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Starts, checks it answers, sends `signal` to the group or the top pid, and returns what happened. */
async function startAndStop(started: Launch, signal: NodeJS.Signals, target: 'group' | 'top') {
  const { pid, url } = await withTimeout(started.ready, 120_000, 'service ready');
  expect((await send(`${url}/items/1`)).status).toBe(200);
  const top = started.child.pid!;
  process.kill(target === 'group' ? -top : top, signal);
  const exit = await withTimeout(started.exited, 60_000, 'exit after the signal');
  await withTimeout(gone(top, pid), 30_000, 'every process gone');
  return { exit, out: started.output() };
}

function expectOneCleanStop(result: { exit: { code: number | null; signal: NodeJS.Signals | null }; out: string }, signal: string): void {
  const { exit, out } = result;
  // The primary drains once; its workers are stopped by it, not by the signal.
  expect(out.match(/\w+: draining in-flight requests/g), out).toEqual([`${signal}: draining in-flight requests`]);
  expect(out).toContain('closed cleanly');
  expect(out).not.toMatch(/again: exiting now|replacing in|ERR_PNPM|ELIFECYCLE|npm error|Command failed/);
  // Status as a shell shows it: death by SIGINT is 130 (npx's npm dies of the Ctrl-C itself).
  const status = exit.code ?? (exit.signal === 'SIGINT' ? 130 : `signal ${exit.signal}`);
  expect([0, 130], out).toContain(status);
}

describe('stopping the service', () => {
  it('pnpm --filter lesson-11 start: Ctrl-C drains once, exits 0 or 130, no pnpm error banner', async () => {
    // pnpm runs the script through `sh -c`; the script starts with `exec`, so no shell sits
    // between pnpm and the primary (a shell dies of the SIGINT and pnpm reports that as a failure).
    const started = launch('sigint-pnpm', 'npx', ['-y', 'pnpm@12.4.2', '--filter', 'lesson-11', 'start'], repoRoot);
    expectOneCleanStop(await startAndStop(started, 'SIGINT', 'group'), 'SIGINT');
  }, 180_000);

  it('npm start in the lesson: Ctrl-C drains once although npm forwards a second SIGINT', async () => {
    const started = launch('sigint-npm', 'npm', ['start'], lessonDir);
    expectOneCleanStop(await startAndStop(started, 'SIGINT', 'group'), 'SIGINT');
  }, 180_000);

  it('npm start in the lesson: SIGTERM to npm alone stops the service', async () => {
    const started = launch('sigterm-npm', 'npm', ['start'], lessonDir);
    expectOneCleanStop(await startAndStop(started, 'SIGTERM', 'top'), 'SIGTERM');
  }, 180_000);

  it('the root npm start: SIGTERM to npm alone stops the service it started in another process group', async () => {
    const started = launch('sigterm-root', 'npm', ['start'], repoRoot);
    expectOneCleanStop(await startAndStop(started, 'SIGTERM', 'top'), 'SIGTERM');
  }, 240_000);

  it('the root npm start: Ctrl-C drains once', async () => {
    const started = launch('sigint-root', 'npm', ['start'], repoRoot);
    expectOneCleanStop(await startAndStop(started, 'SIGINT', 'group'), 'SIGINT');
  }, 240_000);
});

describe('stopping the basic primary', () => {
  it('pnpm --filter lesson-11 start:basic: Ctrl-C stops the primary and every worker, status 130, no banner, no worker forked again', async () => {
    // Ready once the second worker listens (the basic primary prints no line of its own).
    const started = launch('sigint-basic', 'npx', ['-y', 'pnpm@12.4.2', '--filter', 'lesson-11', 'start:basic'], repoRoot,
      /listening on (?:.|\n)*listening on (?<url>http:\/\/\S+) \(pid (?<pid>\d+)\)/);
    const { url } = await withTimeout(started.ready, 120_000, 'service ready');
    expect((await send(`${url}/items/1`)).status).toBe(200);
    process.kill(-started.child.pid!, 'SIGINT');
    const exit = await withTimeout(started.exited, 60_000, 'exit after the signal');
    await withTimeout(gone(started.child.pid!, started.child.pid!), 30_000, 'every process gone');
    const out = started.output();
    expect(out.match(/closed cleanly/g), out).toHaveLength(2);
    expect(out).not.toMatch(/forking another|ERR_PNPM|ELIFECYCLE|Command failed/);
    expect([0, 130], out).toContain(exit.code ?? (exit.signal === 'SIGINT' ? 130 : -1));
  }, 180_000);
});
