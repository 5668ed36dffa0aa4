/**
 * The day-to-day pm2 commands, always against this lesson's daemon (PM2_HOME in tmp/).
 *
 *   status   pm2 ls
 *   logs     pm2 logs course-api (streams; add --nostream to print and exit)
 *   reload   pm2 reload course-api: one instance at a time, each new one 'ready' first,
 *            with the settings it runs with now
 *   save     pm2 save: write the process list to $PM2_HOME/dump.pm2
 *   resurrect  pm2 resurrect: start what the last save listed (after a reboot, a kill)
 *   stop     pm2 kill: stop every app and the daemon itself
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ArgsError, parseCliArgs, type CliCommand } from './args.ts';
import { pm2Home, pm2Interactive } from './pm2.ts';

const commands: Record<CliCommand, string[]> = {
  status: ['ls'],
  logs: ['logs', 'course-api', '--lines', '30'],
  // LESSON: reload by name, not `reload ecosystem.config.cjs --update-env`. The ecosystem file
  // is evaluated in the environment of whoever runs the command, and --update-env merges that
  // whole environment into the app's: reloaded from a shell without PORT/DB_PATH, the app would
  // move to the defaults. By name, pm2 keeps the environment the app was started with. To change
  // settings, stop and start (a restart is what a settings change is).
  reload: ['reload', 'course-api'],
  save: ['save'],
  resurrect: ['resurrect'],
  stop: ['kill'],
};

let parsed: ReturnType<typeof parseCliArgs>;
try {
  parsed = parseCliArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof ArgsError)) throw error;
  console.error(error.message);
  process.exit(2);
}
const { command, rest } = parsed;
// Every pm2 command other than resurrect would start a daemon just to find it empty, and leave
// it running: refuse instead.
if (command !== 'resurrect' && !existsSync(join(pm2Home(), 'rpc.sock'))) {
  console.log(`no pm2 daemon running in ${pm2Home()}${command === 'stop' ? ': nothing to stop' : '; start one with `npm start` in lessons/12-pm2'}`);
  process.exit(command === 'stop' ? 0 : 1);
}
if (command === 'reload') {
  // pm2 ends every reload by name with "Use --update-env to update environment variables": its
  // generic hint, which this lesson does not follow on purpose (above). Say what happened instead.
  const code = await pm2Interactive([...commands.reload, ...rest], process.env, { dropLines: /Use --update-env/ });
  if (code === 0) console.log('reloaded by name: every instance keeps the environment it was started with (to change settings: npm run stop, then npm start)');
  process.exit(code);
}
// `logs` streams until Ctrl-C or a SIGTERM: that is how it ends, not a failure (no npm error
// banner). The listeners stay until we exit: npm forwards a copy of the terminal's SIGINT, and a
// copy arriving after pm2 ended, with no listener left, would kill this process by the signal,
// which npm reports (and repeats on itself) as a failure.
let interrupted = false;
process.on('SIGINT', () => { interrupted = true; });
process.on('SIGTERM', () => { interrupted = true; });
const code = await pm2Interactive([...commands[command], ...rest]);
process.exit(command === 'logs' && interrupted ? 0 : code);
