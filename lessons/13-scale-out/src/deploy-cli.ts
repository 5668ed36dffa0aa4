/**
 * `npm run deploy`: asks the stack that `npm start` runs (from this folder) for a rolling deploy
 * of every host, the same as `kill -HUP <its pid>`. The deploy's progress prints in the
 * terminal running `npm start`.
 */
import { readStackPid, stackPidFile } from './stack-pid.ts';

const pidFile = stackPidFile();
const pid = readStackPid(pidFile);
if (pid === undefined) {
  console.error(`deploy: no running stack found (${pidFile} is missing or names a process that is gone). Start one with npm start.`);
  process.exit(1);
}
process.kill(pid, 'SIGHUP');
console.log(`deploy: asked the stack (pid ${pid}) for a rolling deploy; its terminal shows each host restarting`);
