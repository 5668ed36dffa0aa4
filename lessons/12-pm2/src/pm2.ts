/**
 * Running the pm2 CLI of this lesson's node_modules against a daemon that lives in the
 * repository's ignored tmp/ folder, never the user's own ~/.pm2.
 */
import { execFile, spawn } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '@course/shared';

/** `<repo>/tmp/pm2`: git-ignored, never the user's own ~/.pm2. */
export const defaultPm2Home: string = join(repoRoot, 'tmp', 'pm2');

/** The pm2 daemon's home for this lesson: `<repo>/tmp/pm2` unless PM2_HOME says otherwise. */
export function pm2Home(env: NodeJS.ProcessEnv = process.env): string {
  return env.PM2_HOME || defaultPm2Home;
}

/** pm2's CLI entry inside node_modules (run with this Node, no global install). */
export const pm2Cli: string = join(dirname(createRequire(import.meta.url).resolve('pm2/package.json')), 'bin', 'pm2');

/** The lesson's ecosystem file. */
export const ecosystemFile: string = fileURLToPath(new URL('../ecosystem.config.cjs', import.meta.url));

/** Result of one pm2 command. */
export interface Pm2Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `pm2 ...args` to completion, capturing its output. */
export function pm2(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Pm2Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [pm2Cli, ...args], { env: { ...env, PM2_HOME: pm2Home(env) }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Runs `pm2 ...args` with its output on this terminal (for `logs`, which streams). With
 * `dropLines`, stdout passes through line by line, without the lines that match.
 *
 * SIGINT and SIGTERM sent to this process go on to pm2's (Ctrl-C reaches both anyway, as one
 * process group; a SIGTERM sent to `npm run …` alone reaches only us): this process stays to
 * report how pm2 ended. Resolves pm2's exit code, or 128 + the signal's number (as a shell
 * does) when a signal ended it.
 */
export function pm2Interactive(args: string[], env: NodeJS.ProcessEnv = process.env, options: { dropLines?: RegExp } = {}): Promise<number> {
  return new Promise((resolve) => {
    const { dropLines } = options;
    const child = spawn(process.execPath, [pm2Cli, ...args], {
      env: { ...env, PM2_HOME: pm2Home(env) },
      stdio: ['inherit', dropLines ? 'pipe' : 'inherit', 'inherit'],
    });
    if (dropLines && child.stdout) {
      let rest = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) if (!dropLines.test(line)) process.stdout.write(`${line}\n`);
      });
      child.stdout.on('end', () => { if (rest && !dropLines.test(rest)) process.stdout.write(rest); });
    }
    const forward = (signal: NodeJS.Signals): void => { child.kill(signal); };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('close', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? 128 + (signal ? osConstants.signals[signal] : 0));
    });
  });
}

/** What `pm2 jlist` says about one process (the fields this lesson reads). */
export interface Pm2Process {
  name: string;
  pm_id: number;
  pid: number;
  monit: { memory: number; cpu: number };
  pm2_env: {
    status: string;
    restart_time: number;
    unstable_restarts: number;
    pm_uptime: number;
    exec_mode: string;
    pm_out_log_path?: string;
    pm_err_log_path?: string;
  };
}

/** `pm2 jlist`, parsed. */
export async function pm2List(env: NodeJS.ProcessEnv = process.env): Promise<Pm2Process[]> {
  const { code, stdout, stderr } = await pm2(['jlist'], env);
  if (code !== 0) throw new Error(`pm2 jlist failed: ${stderr || stdout}`);
  // pm2 may print a banner before the JSON when it spawns the daemon.
  const start = stdout.indexOf('[');
  return start === -1 ? [] : (JSON.parse(stdout.slice(start)) as Pm2Process[]);
}
