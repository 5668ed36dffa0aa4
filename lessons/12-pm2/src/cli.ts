/**
 * The day-to-day pm2 commands, always against this lesson's daemon (PM2_HOME in tmp/).
 *
 *   status   pm2 ls
 *   logs     pm2 logs course-api (streams; add --nostream to print and exit)
 *   reload   pm2 reload: zero-downtime, one instance at a time, each new one 'ready' first
 *   save     pm2 save: write the process list to $PM2_HOME/dump.pm2
 *   resurrect  pm2 resurrect: start what the last save listed (after a reboot, a kill)
 *   stop     pm2 kill: stop every app and the daemon itself
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ecosystemFile, pm2Home, pm2Interactive } from './pm2.ts';

// `pnpm run logs -- --nostream` may pass the `--` through; pm2 would ignore what follows it.
const [command, ...rest] = process.argv.slice(2).filter((arg) => arg !== '--');
const stage = process.env.STAGE || 'development';

const commands: Record<string, string[]> = {
  status: ['ls'],
  logs: ['logs', 'course-api', '--lines', '30'],
  reload: ['reload', ecosystemFile, '--only', 'course-api', '--env', stage, '--update-env'],
  save: ['save'],
  resurrect: ['resurrect'],
  stop: ['kill'],
};

const args = command ? commands[command] : undefined;
if (!args) {
  console.error(`usage: cli.ts ${Object.keys(commands).join('|')} [pm2 options]`);
  process.exit(2);
}
// Every pm2 command other than resurrect would start a daemon just to find it empty, and leave
// it running: refuse instead.
if (command !== 'resurrect' && !existsSync(join(pm2Home(), 'rpc.sock'))) {
  console.log(`no pm2 daemon running in ${pm2Home()}${command === 'stop' ? ': nothing to stop' : '; start one with `pnpm --filter lesson-12 start`'}`);
  process.exit(command === 'stop' ? 0 : 1);
}
process.exit(await pm2Interactive([...args, ...rest]));
