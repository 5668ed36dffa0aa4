/**
 * Same worker, two supervisors: lesson 11's hand-written primary vs pm2's cluster mode.
 * Both are Node's cluster module underneath (round-robin from the primary / the pm2 daemon),
 * so the expected ratio is about 1: pm2 adds management, not speed. Controls take one
 * difference away each; the per-process split shows whether the daemon or the workers pay.
 *
 *   node --import tsx bench.ts [--workers N] [--short] [--duration S] ...
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { repoRoot } from '@course/shared';
import { benchHttp, parseBenchArgs, probeEnv, runBench, spawnServer, tsxImportArgs, UsageError, type Target } from '@course/shared/bench';
import { nodeStripsTypes, prepareDatabase } from 'lesson-11';
import { freePort } from '@course/shared/tools';
import { ecosystemFile, pm2 } from './src/pm2.ts';

async function main(): Promise<void> {
  // --per-process on by default: where the CPU goes (daemon or workers) is this bench's question.
  const { options, values } = parseBenchArgs(process.argv.slice(2), { perProcess: true }, { workers: { type: 'string' } });
  const workers = values.workers === undefined ? 2 : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1) throw new UsageError(`--workers must be a whole number >= 1, got "${String(values.workers)}"`);

  const dir = join(repoRoot, 'tmp', 'lesson-12', 'bench');
  mkdirSync(dir, { recursive: true });
  const dbPath = join(dir, 'bench.db');
  const seedCount = 10_000;
  prepareDatabase(dbPath, seedCount);
  // Same cache settings on both sides (the ecosystem's default TTL is 1 s, lesson 11's 60 s), so
  // the supervisor is the only difference.
  const env = { ...process.env, DB_PATH: dbPath, SEED_COUNT: '0', WORKERS: String(workers), CACHE_TTL_MS: '60000' };

  const primaryEntry = fileURLToPath(new URL('../11-cluster/src/server.ts', import.meta.url));
  const primary = async (): Promise<Target> => spawnServer(primaryEntry, { env, timeoutMs: 120_000 });
  const primaryOwnSession = async (): Promise<Target> => spawnServer(primaryEntry, { env, timeoutMs: 120_000, detached: true });
  // A pm2 variant: the lesson's ecosystem file with some settings replaced.
  const variantConfig = (name: string, settings: Record<string, unknown>): string => {
    const file = join(dir, `${name}.config.cjs`);
    writeFileSync(file, `const c = require(${JSON.stringify(ecosystemFile)});\nmodule.exports = { apps: c.apps.map((a) => ({ ...a, ...${JSON.stringify(settings)} })) };\n`);
    return file;
  };
  // pm2's daemons are detached from this terminal: Ctrl-C must take them down explicitly.
  const daemons = new Set<() => Promise<void>>();
  const onSignal = (): void => { void Promise.all([...daemons].map((kill) => kill())).then(() => process.exit(130)); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const underPm2 = (name: string, config: string) => async (): Promise<Target> => {
    const port = await freePort({ belowEphemeral: true });
    // probeEnv: the harness's probe (event-loop use, GC, --profile) loads into pm2's daemon and
    // every worker it forks, through NODE_OPTIONS.
    const pm2Env = probeEnv({ ...env, PM2_HOME: join(dir, `pm2-home-${name}`), PORT: String(port) });
    const close = async (): Promise<void> => { await pm2(['kill'], pm2Env); };
    daemons.add(close);
    const started = spawnSync(process.execPath, [...tsxImportArgs, fileURLToPath(new URL('./src/start.ts', import.meta.url)), '--quiet', '--config', config], { env: pm2Env, stdio: ['ignore', 'ignore', 'inherit'] });
    if (started.status !== 0) {
      await close();
      throw new Error('pm2 start failed (see above)');
    }
    // LESSON: the daemon is pm2's cluster primary; CPU is counted over it and its descendants
    // (the workers), as the primary's tree is on the other side.
    const daemonPid = (): number[] => [Number(readFileSync(join(pm2Env.PM2_HOME!, 'pm2.pid'), 'utf8'))];
    return { url: `http://127.0.0.1:${port}`, close, pids: daemonPid };
  };
  const read = { requests: [{ method: 'GET' as const, path: '/items/1', setupRequest: (req: any) => ({ ...req, path: `/items/${1 + Math.floor(Math.random() * seedCount)}` }) }] };

  // Controls, one difference each (NOTES.md has the reasoning):
  // - the primary in a session of its own: pm2's daemon runs detached (setsid), and on Linux a
  //   session is a scheduling group (autogroup) apart from the load generator's;
  // - pmx: false: no APM agent (modules/pm2-io-bpm: wraps http.Server's emit, an inspector
  //   session, metric timers) in pm2's workers;
  // - no tsx: Node's own type stripping, which is how lesson 11's primary starts its workers on
  //   a Node that strips types (its workerExecArgv drops tsx); the ecosystem file uses tsx.
  const noTsx = { node_args: [] as string[] };
  await benchHttp({
    lesson: 'lesson-12',
    title: `lesson 11 primary vs pm2 cluster, with controls, ${workers} workers`,
    options,
    variants: [
      { name: 'lesson-11 primary', target: primary, request: read },
      { name: 'lesson-11 primary, setsid', target: primaryOwnSession, request: read },
      { name: 'pm2 cluster', target: underPm2('default', ecosystemFile), request: read },
      { name: 'pm2, pmx: false', target: underPm2('no-pmx', variantConfig('no-pmx', { pmx: false })), request: read },
      ...(nodeStripsTypes ? [
        { name: 'pm2, no tsx', target: underPm2('no-tsx', variantConfig('no-tsx', noTsx)), request: read },
        { name: 'pm2, no tsx, pmx: false', target: underPm2('no-tsx-no-pmx', variantConfig('no-tsx-no-pmx', { ...noTsx, pmx: false })), request: read },
      ] : []),
    ],
  });
}

runBench(main);
