/**
 * pm2's programmatic API: list the processes of this lesson's daemon with memory, CPU,
 * restarts and uptime; optionally reload any process above a memory limit by hand.
 *
 *   node --import tsx src/list-processes.ts [--json] [--reload-above MB]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessDescription } from 'pm2';
import { ArgsError, parseProcessesArgs } from './args.ts';
import { pm2Home } from './pm2.ts';

/** One row of the listing. */
export interface ProcessRow {
  name: string;
  id: number;
  pid: number;
  status: string;
  memoryMb: number;
  cpu: number;
  restarts: number;
  uptimeSeconds: number;
}

let args: ReturnType<typeof parseProcessesArgs>;
try {
  args = parseProcessesArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof ArgsError)) throw error;
  console.error(error.message);
  process.exit(2);
}
const { json, reloadAboveMb: limitMb } = args;

// pm2 reads PM2_HOME when it is first imported: set it before.
const home = pm2Home();
process.env.PM2_HOME = home;
if (!existsSync(join(home, 'rpc.sock'))) {
  // pm2.connect() would start a daemon just to list nothing.
  console.log(`no pm2 daemon running in ${home}`);
  process.exit(0);
}
const { default: pm2 } = await import('pm2');
const call = <T>(fn: (cb: (error: Error | null, value: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => fn((error, value) => (error ? reject(error) : resolve(value))));

await call<void>((cb) => pm2.connect((error) => cb(error ?? null, undefined)));
try {
  const list = await call<ProcessDescription[]>((cb) => pm2.list((error, value) => cb(error ?? null, value)));
  const rows: ProcessRow[] = list.map((p) => ({
    name: p.name ?? '?',
    id: p.pm_id ?? -1,
    pid: p.pid ?? 0,
    status: p.pm2_env?.status ?? '?',
    memoryMb: Math.round(((p.monit?.memory ?? 0) / 1024 / 1024) * 10) / 10,
    cpu: p.monit?.cpu ?? 0,
    restarts: p.pm2_env?.restart_time ?? 0,
    uptimeSeconds: p.pm2_env?.pm_uptime ? Math.round((Date.now() - p.pm2_env.pm_uptime) / 1000) : 0,
  }));
  if (json) console.log(JSON.stringify(rows));
  else console.table(rows);

  if (limitMb !== undefined) {
    for (const row of rows.filter((r) => r.status === 'online' && r.memoryMb > limitMb)) {
      // LESSON: reload, not restart: the replacement must be ready before the old one goes.
      await call<unknown>((cb) => pm2.reload(row.id, (error, value) => cb(error ?? null, value)));
      console.log(`reloaded ${row.name} #${row.id}: ${row.memoryMb} MB > ${limitMb} MB`);
    }
  }
} finally {
  pm2.disconnect();
}
