/**
 * A crash loop in one slot must not close the port while another worker can serve, must not
 * touch the healthy slot's backoff, and when every worker is dead the replacements must come
 * back on the same port. Killing whichever worker is alive, faster than a worker loads its app,
 * must not close the port either: workers can start, so one always listens.
 */
import { describe, expect, it } from 'vitest';
import { once } from 'node:events';
import type { Primary, RestartScheduled, WorkerInfo } from '../src/primary.ts';
import { send, useCluster, withTimeout } from './helpers.ts';

type ProbeResult = { ok: number; refused: number; other: string[] };

/** One probe every `everyMs` on a fresh connection, each outcome counted, until stopped. */
function probeEvery(url: string, everyMs: number): { stop: () => Promise<ProbeResult> } {
  const result: ProbeResult = { ok: 0, refused: 0, other: [] };
  const sent: Promise<void>[] = [];
  const timer = setInterval(() => {
    sent.push(send(`${url}/items/1`, { timeoutMs: 30_000 }).then(
      (reply) => { if (reply.status === 200) result.ok++; else result.other.push(`status ${reply.status}`); },
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNREFUSED') result.refused++;
        else result.other.push(error.code ?? error.message);
      },
    ));
  }, everyMs);
  return { stop: async () => { clearInterval(timer); await Promise.all(sent); return result; } };
}

/** Fresh-connection probes in `loops` loops, each outcome tagged with whether the port refused. */
function probe(url: string, loops: number): { stop: () => Promise<{ ok: number; refused: number; other: string[] }> } {
  let stopped = false;
  const result = { ok: 0, refused: 0, other: [] as string[] };
  const runs = Array.from({ length: loops }, async () => {
    while (!stopped) {
      try {
        const reply = await send(`${url}/items/1`, { timeoutMs: 5000 });
        if (reply.status === 200) result.ok++;
        else result.other.push(`status ${reply.status}`);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ECONNREFUSED') result.refused++;
        else result.other.push(code ?? (error as Error).message);
      }
    }
  });
  return { stop: async () => { stopped = true; await Promise.all(runs); return result; } };
}

const inSlot = (primary: Primary, slot: number): WorkerInfo | undefined => primary.workers().find((w) => w.slot === slot && w.state !== 'retiring');

describe('crash recovery', () => {
  const cluster = useCluster('crash-loop', 100, { backoff: { initialMs: 100, maxMs: 1600, stableAfterMs: 60_000 } });

  it('keeps the port open through 10 kills of one slot, 0.5 s apart, and backs off that slot only', async () => {
    const { primary, url } = cluster;
    const healthy = inSlot(primary, 1)!;
    const scheduled: RestartScheduled[] = [];
    const onScheduled = (event: RestartScheduled): void => { scheduled.push(event); };
    primary.on('restart-scheduled', onScheduled);
    const probes = probe(url, 4);
    let kills = 0;
    for (let i = 0; i < 10; i++) {
      const victim = inSlot(primary, 0);
      if (victim && victim.pid > 0) {
        try { process.kill(victim.pid, 'SIGKILL'); kills++; } catch { /* already gone */ }
      }
      await new Promise((resolve) => setTimeout(resolve, 500)); // the scenario's pace, not a wait for an effect
    }
    // Let slot 0 come back before counting (its backoff is at most 1.6 s).
    if (inSlot(primary, 0)?.state !== 'ready') {
      await withTimeout(new Promise<void>((resolve) => {
        const onReady = (info: WorkerInfo): void => { if (info.slot === 0) { primary.off('worker-ready', onReady); resolve(); } };
        primary.on('worker-ready', onReady);
      }), 60_000, 'slot 0 ready again');
    }
    const result = await probes.stop();
    primary.off('restart-scheduled', onScheduled);

    expect(kills).toBeGreaterThanOrEqual(5);
    expect(result.refused).toBe(0); // slot 1 could serve all along: the port never refused
    expect(result.ok).toBeGreaterThan(0);
    // Only connections in flight at a killed worker may fail, and only by being reset.
    // (a connection still in the IPC pipe to a killed worker is lost with it: reset or timed out)
    for (const failure of result.other) expect(failure).toMatch(/ECONNRESET|socket hang up|timed out/);
    expect(inSlot(primary, 1)?.pid).toBe(healthy.pid);
    expect(scheduled.every((s) => s.slot === 0)).toBe(true);
    expect(scheduled.map((s) => s.crashesInARow)).toEqual(scheduled.map((_, i) => i + 1));

    // The healthy slot's first crash starts its own count at 1; slot 0's count is untouched.
    const next = once(primary, 'restart-scheduled') as Promise<[RestartScheduled]>;
    process.kill(healthy.pid, 'SIGKILL');
    const [event] = await withTimeout(next, 30_000, 'slot 1 restart scheduled');
    expect(event).toMatchObject({ slot: 1, crashesInARow: 1, delayMs: 100 });
    await withTimeout(new Promise<void>((resolve) => {
      const check = (): void => { if (primary.workers().filter((w) => w.state === 'ready').length === 2) { primary.off('worker-ready', check); resolve(); } };
      primary.on('worker-ready', check);
      check();
    }), 60_000, 'both slots ready');
  }, 150_000);

  it('when every worker died, the replacements listen on the same port again', async () => {
    const { primary, url } = cluster;
    const ready = new Promise<void>((resolve) => {
      let n = 0;
      const onReady = (): void => { if (++n === 2) { primary.off('worker-ready', onReady); resolve(); } };
      primary.on('worker-ready', onReady);
    });
    for (const worker of primary.workers()) process.kill(worker.pid, 'SIGKILL');
    await withTimeout(ready, 90_000, 'replacements ready');
    const reply = await send(`${url}/items/1`);
    expect(reply.status).toBe(200);
  }, 120_000);
});

describe('killing whichever worker is alive', () => {
  // The primary's own settings (src/server.ts): the default backoff.
  const cluster = useCluster('kill-any', 100);

  it('10 kills 0.5 s apart never close the port: a probe every 100 ms on a fresh connection is never refused', async () => {
    const { primary, url } = cluster;
    const probes = probeEvery(url, 100);
    const killed: number[] = [];
    for (let i = 0; i < 10; i++) {
      // The longest-lived worker, a serving one if there is one: the one whose death hurts most.
      const alive = primary.workers().filter((w) => w.state !== 'retiring' && w.pid > 0);
      const victim = alive.find((w) => w.state === 'ready') ?? alive[0];
      if (victim) {
        try { process.kill(victim.pid, 'SIGKILL'); killed.push(victim.pid); } catch { /* already gone */ }
      }
      await new Promise((resolve) => setTimeout(resolve, 500)); // the scenario's pace, not a wait for an effect
    }
    await withTimeout(new Promise<void>((resolve) => {
      const check = (): void => { if (primary.workers().filter((w) => w.state === 'ready').length === 2) { primary.off('worker-ready', check); resolve(); } };
      primary.on('worker-ready', check);
      check();
    }), 90_000, 'both slots ready again');
    const result = await probes.stop();

    expect(new Set(killed).size).toBe(10);
    expect(result.refused, JSON.stringify(result)).toBe(0);
    expect(result.ok).toBeGreaterThan(0);
    // Only a connection a killed worker had already taken may fail, and only by being cut.
    for (const failure of result.other) expect(failure).toMatch(/ECONNRESET|socket hang up|timed out/);
    expect((await send(`${url}/items/1`)).status).toBe(200);
  }, 180_000);
});
