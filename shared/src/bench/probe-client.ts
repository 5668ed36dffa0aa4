/**
 * The harness's side of the server probe (probe/server-probe.mjs): one directory of sockets
 * per bench process, the flags that load the probe into a server, and queries by pid.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a probe reports: cumulative since its process started. */
export interface ProbeStats {
  pid: number;
  eluActiveMs: number;
  eluIdleMs: number;
  gcCount: number;
  gcMs: number;
}

/** `--import <probe>`: add to a server's Node flags (spawnServer does). */
export const probeImportArgs: readonly string[] = ['--import', new URL('./probe/server-probe.mjs', import.meta.url).href];

let directory: string | undefined;

/** The socket directory of this bench process, created on first use and removed at exit. */
export function probeDirectory(): string {
  if (!directory) {
    // Short path: a Unix socket path must stay under ~107 bytes.
    directory = mkdtempSync(join(tmpdir(), 'course-probe-'));
    const dir = directory;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return directory;
}

/**
 * Environment that loads the probe into every Node process started with it (and their
 * children): for servers a lesson starts itself, e.g. through pm2.
 */
export function probeEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const existing = base.NODE_OPTIONS ? `${base.NODE_OPTIONS} ` : '';
  return { ...base, COURSE_BENCH_PROBE_DIR: probeDirectory(), NODE_OPTIONS: `${existing}--import=${probeImportArgs[1]}` };
}

/** Pids that have a probe socket right now. */
export function probedPids(): Set<number> {
  if (!directory) return new Set();
  return new Set(readdirSync(directory).filter((f) => f.endsWith('.sock')).map((f) => Number(f.slice(0, -5))));
}

/** Sends one command to the probe of `pid`; undefined when it has none or does not answer. */
export function queryProbe<T = Record<string, unknown>>(pid: number, message: Record<string, unknown>, timeoutMs = 10_000): Promise<T | undefined> {
  if (!directory) return Promise.resolve(undefined);
  const path = join(directory, `${pid}.sock`);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(path);
    const timer = setTimeout(() => { socket.destroy(); resolve(undefined); }, timeoutMs);
    socket.on('connect', () => socket.write(`${JSON.stringify(message)}\n`));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => { clearTimeout(timer); resolve(undefined); });
    socket.on('end', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as T);
      } catch {
        resolve(undefined);
      }
    });
  });
}
