/**
 * Test helpers: a pm2 home per test file under tmp/, free ports, the start script as a child
 * process, and a load loop on fresh connections.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '@course/shared';
import { tsxImportArgs } from '@course/shared/bench';
import { prepareDatabase } from 'lesson-11';
import { pm2 } from '../src/pm2.ts';

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

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs one of the lesson's scripts (`src/start.ts`, ...) to completion. */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...tsxImportArgs, join(lessonDir, script), ...args], { env, cwd: lessonDir, timeout: 180_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export interface Reply { status: number; pid: number | undefined; body: any }

/** One request on its own connection, so the cluster's round-robin spreads requests. */
export function send(url: string, init: { method?: string; body?: unknown } = {}): Promise<Reply> {
  const payload = init.body === undefined ? undefined : JSON.stringify(init.body);
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: init.method ?? 'GET',
      agent: false,
      timeout: 10_000,
      headers: { connection: 'close', ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => {
        const pid = Number(res.headers['x-worker-pid']);
        resolve({ status: res.statusCode ?? 0, pid: Number.isInteger(pid) ? pid : undefined, body: text ? JSON.parse(text) : undefined });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

export interface Outcome { id: number; status?: number; pid?: number; error?: string }

/** `concurrency` loops sending `next(id)` until stopped; every outcome recorded. */
export function startLoad(url: string, concurrency: number, next: (id: number) => { path: string; method?: string; body?: unknown }): { stop: () => Promise<Outcome[]> } {
  let stopped = false;
  let seq = 0;
  const outcomes: Outcome[] = [];
  const loop = async (): Promise<void> => {
    while (!stopped) {
      const id = ++seq;
      const spec = next(id);
      try {
        const reply = await send(new URL(spec.path, url).toString(), spec);
        outcomes.push({ id, status: reply.status, pid: reply.pid });
      } catch (error) {
        outcomes.push({ id, error: (error as Error).message });
      }
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return { stop: async () => { stopped = true; await Promise.all(loops); return outcomes; } };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
