/**
 * What `pm2 startup` would install, without installing it.
 *
 * Run as root, `pm2 startup` WRITES /etc/systemd/system/pm2-<user>.service and runs
 * `systemctl enable`; as another user it only prints the sudo command that would. This
 * script fills pm2's own systemd template the way pm2 does (lib/API/Startup.js) and prints
 * it, the target path and the commands. It writes nothing and runs nothing.
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { pm2Cli, pm2Home } from './pm2.ts';

const user = process.env.USER || userInfo().username;
const service = `pm2-${user}`;
const template = readFileSync(join(dirname(dirname(pm2Cli)), 'lib', 'templates', 'init-scripts', 'systemd.tpl'), 'utf8');
const path = (process.env.PATH ?? '').includes(dirname(process.execPath)) ? process.env.PATH! : `${process.env.PATH}:${dirname(process.execPath)}`;

const unit = template
  .replace(/%PM2_PATH%/g, pm2Cli)
  .replace(/%NODE_PATH%/g, path)
  .replace(/%USER%/g, user)
  // pm2 would put ~/.pm2 here (or <--hp>/.pm2); this lesson's daemon lives in tmp/.
  .replace(/%HOME_PATH%/g, pm2Home())
  .replace(/%SERVICE_NAME%/g, service);

console.log(`# pm2 startup systemd would write /etc/systemd/system/${service}.service:\n`);
console.log(unit);
console.log(`# then run: systemctl enable ${service}`);
console.log('# At boot: ExecStart runs `pm2 resurrect`, which starts what `pm2 save` last wrote to');
console.log(`# ${join(pm2Home(), 'dump.pm2')}. Nothing was written or enabled by this preview.`);
