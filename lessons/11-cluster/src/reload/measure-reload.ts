/**
 * Load + a restart in the middle, measured: what `bench:reload` prints for lesson 11 (a
 * rolling restart of this lesson's primary) and lesson 12 (a `pm2 reload`). The caller says
 * how to restart; this module loads, restarts, and counts.
 */
import { startKeepAliveLoad, type LoadRequest, type LoadStats } from './keep-alive-load.ts';
import { wrkLoad } from './wrk-load.ts';

/** One way of loading the service during a restart. */
export type ReloadClient =
  | { kind: 'node'; name: string; request: LoadRequest }
  | { kind: 'wrk'; name: string; script: string };

/** Options for {@link measureReload}. */
export interface MeasureReloadOptions {
  /** The service's URL (the restart must keep it). */
  url: string;
  /** Restarts the service; resolves when the restart is complete. */
  restart: () => Promise<void>;
  clients: ReloadClient[];
  /** Runs per client (default 3). */
  runs?: number;
  /** Load before the restart starts, and after it ends (s; default 3 and 3). */
  beforeS?: number;
  afterS?: number;
  /** Keep-alive connections (default 50). */
  connections?: number;
  /** Called after each run with its row (to print as it goes). */
  onRow?: (row: ReloadRow) => void;
}

/** One run: a client's counts over one restart. */
export interface ReloadRow extends LoadStats {
  client: string;
  run: number;
  restartMs: number;
}

/**
 * For each client and run: start the load, wait `beforeS`, restart, wait `afterS`, stop.
 * wrk cannot be stopped on cue, so it runs for a fixed time that covers the restart (the
 * first run's restart time plus margins); a wrk run whose restart outlasted it is flagged.
 */
export async function measureReload(options: MeasureReloadOptions): Promise<ReloadRow[]> {
  const runs = options.runs ?? 3;
  const beforeMs = (options.beforeS ?? 3) * 1000;
  const afterMs = (options.afterS ?? 3) * 1000;
  const connections = options.connections ?? 50;
  const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  const timedRestart = async (): Promise<number> => {
    const t0 = performance.now();
    await options.restart();
    return performance.now() - t0;
  };
  let longestRestartMs = 5000;
  const rows: ReloadRow[] = [];

  for (const client of options.clients) {
    for (let run = 1; run <= runs; run++) {
      let restartMs: number;
      let stats: LoadStats;
      if (client.kind === 'node') {
        const load = startKeepAliveLoad(options.url, client.request, connections);
        await wait(beforeMs);
        restartMs = await timedRestart();
        await wait(afterMs);
        stats = await load.stop();
      } else {
        const seconds = Math.ceil((beforeMs + longestRestartMs * 2 + afterMs) / 1000);
        const wrk = wrkLoad(options.url, client.script, seconds, connections);
        await wait(beforeMs);
        restartMs = await timedRestart();
        stats = await wrk;
        if (beforeMs + restartMs > seconds * 1000) stats.errors['restart outlasted wrk'] = 1;
      }
      longestRestartMs = Math.max(longestRestartMs, restartMs);
      const row: ReloadRow = { client: client.name, run, restartMs: Math.round(restartMs), ...stats };
      rows.push(row);
      options.onRow?.(row);
    }
  }
  return rows;
}

/** A fixed-width line for one row (the header is {@link reloadHeader}). */
export function formatReloadRow(row: ReloadRow): string {
  const errors = Object.entries(row.errors).map(([kind, n]) => `${kind} ${n}`).join(', ') || '0';
  return `${row.client.padEnd(22)} ${String(row.run).padStart(3)} ${String(row.requests).padStart(9)} ${String(row.non2xx).padStart(7)} ${String(row.restartMs).padStart(10)} ${String(row.maxLatencyMs).padStart(8)}  ${errors}`;
}

export const reloadHeader = `${'client'.padEnd(22)} run  requests  non-2xx restart ms   max ms  socket errors`;

/** The closing line: total errors and non-2xx over every run. */
export function reloadSummary(rows: ReloadRow[]): string {
  const errors = rows.reduce((s, r) => s + r.errorCount, 0);
  const non2xx = rows.reduce((s, r) => s + r.non2xx, 0);
  const requests = rows.reduce((s, r) => s + r.requests, 0);
  return `${rows.length} runs, ${requests} requests: ${errors} socket errors, ${non2xx} non-2xx`;
}
