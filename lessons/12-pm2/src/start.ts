/**
 * `pnpm --filter lesson-12 start`: seed the database, start lesson 11's worker under pm2 in
 * cluster mode, and exit 0 only once every instance is online and answering. Otherwise print
 * the reason (from pm2's error log) and exit 1: a start script that "succeeds" while pm2
 * crash-loops the app in the background is how broken deploys go unnoticed.
 *
 *   node --import tsx src/start.ts [--only course-api] [--env development|production] [--config file]
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { loadConfig } from '@course/shared';
import { prepareDatabase } from 'lesson-11';
import { ArgsError, parseStartArgs } from './args.ts';
import { defaultPm2Home, ecosystemFile, pm2, pm2Home, pm2List, type Pm2Process } from './pm2.ts';

interface AppConfig {
  name: string;
  env?: Record<string, string>;
  [stage: `env_${string}`]: Record<string, string> | undefined;
}

/** The last line of a log that looks like an error, for a one-line reason. */
function lastErrorLine(path: string | undefined): string | undefined {
  if (!path) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n').filter((line) => /Error|ERR_|EADDRINUSE|Cannot find/.test(line));
  return lines.at(-1)?.trim();
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseStartArgs>;
  try {
    args = parseStartArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ArgsError)) throw error;
    console.error(error.message);
    return 2;
  }
  const configFile = resolve(args.config ?? ecosystemFile);
  const appName = args.only;
  const stage = args.stage;

  let apps: AppConfig[];
  try {
    apps = (createRequire(import.meta.url)(configFile) as { apps: AppConfig[] }).apps;
  } catch (error) {
    console.error(`start: cannot load ${configFile}: ${(error as Error).message}`);
    return 1;
  }
  const app = apps.find((a) => a.name === appName);
  if (!app) {
    console.error(`start: no app named "${appName}" in ${configFile} (have: ${apps.map((a) => a.name).join(', ')})`);
    return 1;
  }
  const appEnv = { ...app.env, ...app[`env_${stage}`] };

  // LESSON: seed once, before pm2 forks N workers that would race to seed an empty file.
  const config = loadConfig({ ...process.env, ...appEnv });
  const seeded = prepareDatabase(config.dbPath, config.seedCount);
  if (seeded > 0) console.log(`seeded ${seeded} items into ${config.dbPath}`);

  console.log(`pm2 home: ${pm2Home()}`);
  const started = await pm2(['start', configFile, '--only', appName, '--env', stage]);
  if (started.code !== 0) {
    const reason = `${started.stderr}\n${started.stdout}`.split('\n').find((l) => l.includes('[ERROR]'))?.replace(/\u001b\[\d+m/g, '').trim();
    console.error(`start: pm2 could not start ${appName}: ${reason ?? `exit code ${started.code}`}`);
    return 1;
  }

  // pm2 start returns once each instance sent 'ready' or died trying (wait_ready).
  const instances = (await pm2List()).filter((p) => p.name === appName);
  const failing = instances.filter((p) => p.pm2_env.status !== 'online' || p.pm2_env.restart_time > 0);
  if (instances.length === 0 || failing.length > 0) {
    const reason = lastErrorLine(instances[0]?.pm2_env.pm_err_log_path) ?? 'see the error log';
    console.error(`start: ${appName} is not healthy: ${describe(failing.length > 0 ? failing : instances)}`);
    console.error(`start: reason: ${reason}`);
    console.error(`start: pm2 keeps retrying with backoff; see ${hint('status')} and ${hint('logs')}, remove it with ${hint('stop')}`);
    return 1;
  }

  const url = `http://${config.host}:${config.port}`;
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) });
    if (response.status !== 200) throw new Error(`status ${response.status}`);
  } catch (error) {
    console.error(`start: ${appName} is online in pm2 but ${url}/health does not answer: ${(error as Error).message}`);
    return 1;
  }
  console.log(`${appName}: ${instances.length} instance(s) online on ${url} (stage ${stage})`);
  if (!args.quiet) console.log(`next: ${['status', 'logs', 'reload', 'processes', 'stop'].map(hint).join(' | ')}`);
  return 0;
}

/** A command that reaches this daemon: its PM2_HOME named when it is not the lesson's default. */
function hint(script: string): string {
  const home = pm2Home();
  return `${home === defaultPm2Home ? '' : `PM2_HOME=${home} `}npm run ${script}`;
}

function describe(processes: Pm2Process[]): string {
  return processes.map((p) => `#${p.pm_id} ${p.pm2_env.status}, ${p.pm2_env.restart_time} restart(s)`).join('; ') || 'no instance';
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(`start: ${(error as Error).message}`);
  process.exit(1);
});
