/**
 * Preloaded (`--import`) into every server process the bench harness starts, and inherited by
 * their cluster workers and forked children. It answers the harness on a Unix socket of its
 * own, `$COURSE_BENCH_PROBE_DIR/<pid>.sock`, with what only the process itself knows:
 * event-loop utilisation, GC count and pause time, and (for `--profile`) a CPU profile of its
 * main thread over exactly the rounds the harness asks for.
 *
 * Why a socket per process and not the IPC channel or `/metrics`: a cluster worker's IPC
 * channel belongs to its primary, not every lesson serves `/metrics`, and a request to
 * `/metrics` would queue behind the load being measured. Why plain JavaScript: it is loaded
 * into processes that may not have tsx (e.g. under pm2 through NODE_OPTIONS).
 *
 * Protocol: one JSON line in, one JSON line out, then the connection closes.
 *   {"cmd":"stats"}          → {"pid","eluActiveMs","eluIdleMs","gcCount","gcMs"}
 *   {"cmd":"profile-start"}  → {"ok":true}
 *   {"cmd":"profile-stop"}   → {"ok":true,"profile":{…a .cpuprofile…}}
 */
import { unlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

const dir = process.env.COURSE_BENCH_PROBE_DIR;
// Worker threads share the pid (and would fight over the socket): the main thread answers.
if (dir && isMainThread) start(dir);

function start(directory) {
  let gcCount = 0;
  let gcMs = 0;
  // Every GC (scavenge, mark-sweep, incremental marking step) is one entry; duration is the pause.
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcCount++;
      gcMs += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });

  let session;
  const handle = async (message) => {
    if (message.cmd === 'stats') {
      const elu = performance.eventLoopUtilization();
      return { pid: process.pid, eluActiveMs: elu.active, eluIdleMs: elu.idle, gcCount, gcMs };
    }
    if (message.cmd === 'profile-start') {
      // The inspector's Profiler is what --cpu-prof uses, here started and stopped on demand,
      // so the profile covers the measured rounds only (not start-up or warm-up), and only
      // this main thread (never a loader thread).
      const { Session } = await import('node:inspector/promises');
      session ??= new Session();
      try { session.connect(); } catch { /* already connected */ }
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 1000 });
      await session.post('Profiler.start');
      return { ok: true };
    }
    if (message.cmd === 'profile-stop') {
      if (!session) return { ok: false, error: 'not profiling' };
      const { profile } = await session.post('Profiler.stop');
      return { ok: true, profile };
    }
    return { ok: false, error: `unknown command ${message.cmd}` };
  };

  const path = join(directory, `${process.pid}.sock`);
  const server = createServer((socket) => {
    let input = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      input += chunk;
      const end = input.indexOf('\n');
      if (end < 0) return;
      handle(JSON.parse(input.slice(0, end))).then(
        (reply) => socket.end(`${JSON.stringify(reply)}\n`),
        (error) => socket.end(`${JSON.stringify({ ok: false, error: String(error) })}\n`),
      );
    });
    socket.on('error', () => {});
  });
  server.on('error', () => {});
  // exclusive: a cluster worker opens its own socket instead of asking its primary to share one.
  server.listen({ path, exclusive: true });
  // The probe must never keep a server alive that would otherwise exit.
  server.unref();
  process.on('exit', () => {
    try { unlinkSync(path); } catch { /* already gone */ }
  });
}
