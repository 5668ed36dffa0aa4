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
import { ecosystemFile, pm2Interactive } from './pm2.ts';

const [command, ...rest] = process.argv.slice(2);
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
process.exit(await pm2Interactive([...args, ...rest]));
