/**
 * `npm start`'s stack stopped the two ways a user or a supervisor stops it: Ctrl-C (SIGINT to
 * the terminal's whole foreground process group) and SIGTERM to the top process alone. Either
 * way it stops once, hosts before the engines, replacing no worker, printing no error.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { descendants, isAlive } from '../src/stack.ts';
import { skipWithoutEngines } from './engines-gate.ts';

const lessonDir = fileURLToPath(new URL('..', import.meta.url));

const stackArgs = ['--hosts', '2', '--workers', '1'];

/** Removes a killed stack's scratch folder (a clean stop removes its own; scratchDir names it by pid). */
function removeScratch(pid: number): void {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(`lesson-13-stack-${pid}-`))) rmSync(join(tmpdir(), name), { recursive: true, force: true });
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * Starts the stack in its own process group, as a shell starts a foreground job: `npm start`
 * (npm, a shell, then the entry), or the entry alone.
 */
async function startEntry(how: 'npm' | 'node'): Promise<{ pid: number; output: () => string; exited: Promise<[number | null, string | null]>; closed: Promise<unknown> }> {
  const [command, args] = how === 'npm'
    ? [npm, ['start', '--', ...stackArgs]]
    : [process.execPath, ['--import', 'tsx', 'src/start.ts', ...stackArgs]];
  const child = spawn(command, args, { cwd: lessonDir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  // Every process that inherited its output has closed it: the stack's own process included.
  const closed = once(child, 'close');
  const deadline = Date.now() + 90_000;
  while (!output.includes('rolling deploy: npm run deploy')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
      removeScratch(child.pid!);
      throw new Error(`the stack did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { pid: child.pid!, output: () => output, exited, closed };
}

/**
 * Asserts a clean stop: status 0 or 130 (or death by the signal sent, as npm re-raises it:
 * a shell reports 128 + n), hosts stopped before the engines, nothing left.
 */
async function expectCleanStop(entry: Awaited<ReturnType<typeof startEntry>>, pids: number[], sent: NodeJS.Signals): Promise<void> {
  const [code, signal] = await entry.exited;
  await Promise.race([entry.closed, new Promise((resolve) => setTimeout(resolve, 30_000))]);
  const out = entry.output();
  // Anything left is killed before asserting, so a failure leaves nothing behind either.
  const deadline = Date.now() + 20_000;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const left = pids.filter(isAlive);
  for (const pid of left) process.kill(pid, 'SIGKILL');
  for (const pid of pids) removeScratch(pid);

  expect({ code, signal }, out).toSatisfy(({ code: c, signal: s }: { code: number | null; signal: string | null }) => s === null ? c === 0 || c === 130 : s === sent);
  expect(out).not.toMatch(/replacing in/);
  expect(out).not.toMatch(/ECONNREFUSED|terminating connection|Error|ERR_/);
  const at = (line: string): number => { const i = out.indexOf(line); expect(i, `"${line}" in:\n${out}`).toBeGreaterThan(-1); return i; };
  expect(out.match(/stopping the hosts/g)).toHaveLength(1);
  const hostsStopped = at('stop: hosts stopped');
  expect(hostsStopped).toBeLessThan(at('stop: haproxy stopped'));
  expect(hostsStopped).toBeLessThan(at('stop: redis stopped'));
  expect(hostsStopped).toBeLessThan(at('stop: postgres stopped'));
  expect(left).toEqual([]);
}

describe.skipIf(skipWithoutEngines())('stopping the stack that npm start runs', () => {
  it('Ctrl-C (SIGINT to the whole foreground group) drains the hosts once, replaces no worker, and stops the engines last', async () => {
    const entry = await startEntry('node');
    const pids = [entry.pid, ...descendants(entry.pid)];
    // the entry, postgres, redis, haproxy, 2 host primaries with a worker each
    expect(pids.length, entry.output()).toBeGreaterThanOrEqual(8);
    process.kill(-entry.pid, 'SIGINT');
    await expectCleanStop(entry, pids, 'SIGINT');
  }, 150_000);

  it('Ctrl-C under npm start: the same clean stop, once', async () => {
    const entry = await startEntry('npm');
    const pids = [entry.pid, ...descendants(entry.pid)];
    process.kill(-entry.pid, 'SIGINT');
    await expectCleanStop(entry, pids, 'SIGINT');
  }, 150_000);

  it("SIGINT to npm start's pid alone (a script or a process manager) stops everything the same way", async () => {
    const entry = await startEntry('npm');
    const pids = [entry.pid, ...descendants(entry.pid)];
    process.kill(entry.pid, 'SIGINT');
    await expectCleanStop(entry, pids, 'SIGINT');
  }, 150_000);

  it("SIGTERM to npm start's pid alone stops everything the same way", async () => {
    const entry = await startEntry('npm');
    const pids = [entry.pid, ...descendants(entry.pid)];
    process.kill(entry.pid, 'SIGTERM');
    await expectCleanStop(entry, pids, 'SIGTERM');
  }, 150_000);
});
