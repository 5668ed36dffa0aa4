/**
 * N independent copies of src/worker.ts on one port with SO_REUSEPORT: no cluster, no
 * primary in the path of a connection; the kernel balances. Compare with src/server.ts in
 * `npm run bench` (the `reusePort` rows).
 *
 *   npm run start:reuse-port        (WORKERS, PORT, DB_PATH as for src/server.ts)
 *
 * Needs Node 22.12+ or 23.1+. On an older Node it prints one line saying so and exits with
 * status 3 ({@link UNSUPPORTED_NODE_EXIT}), having started nothing.
 *
 * What is lost against this lesson's primary: no cache invalidation relay (each process's
 * cache is local: staleness bounded by CACHE_TTL_MS, as under pm2), no crash replacement, no
 * rolling restart. This file only starts and stops the processes.
 */
import { fileURLToPath } from 'node:url';
import { loadConfig, notifyReady } from '@course/shared';
import { probeImportArgs } from '@course/shared/bench';
import { spawnServer, type ServerProcess } from '@course/shared/testing';
import { freePort } from '@course/shared/tools';
import { loadClusterConfig } from './cluster-config.ts';
import { prepareDatabase } from './database.ts';
import { nodeHasReusePort } from './reuse-port.ts';

/** Exit status when this Node cannot listen with SO_REUSEPORT (documented in the README). */
const UNSUPPORTED_NODE_EXIT = 3;
if (!nodeHasReusePort()) {
  console.error(`start:reuse-port needs Node 22.12+ or 23.1+ (server.listen({ reusePort })); this is Node ${process.version}: nothing started (npm start runs the cluster)`);
  process.exit(UNSUPPORTED_NODE_EXIT);
}
const config = loadConfig();
const clusterConfig = loadClusterConfig();
prepareDatabase(config.dbPath, config.seedCount);

// A free port to share (port 0 would give every process its own).
const port = config.port || await freePort({ hosts: [config.host] });
const workerEntry = fileURLToPath(new URL('./worker.ts', import.meta.url));
// Under the bench harness (it sets COURSE_BENCH_PROBE_DIR and preloads its probe here), each
// process loads the same probe and, inheriting the variable, reports to the same directory, as
// cluster workers do from their primary: without it their ELU and GC were missing (0) in the
// bench's table. `probe: false`: spawnServer's own probe would report to a directory of ours.
const probeArgs = process.env.COURSE_BENCH_PROBE_DIR ? [...probeImportArgs] : [];
const children: ServerProcess[] = [];
for (let i = 0; i < clusterConfig.workers; i++) {
  children.push(await spawnServer(workerEntry, {
    env: { PORT: String(port), HOST: config.host, DB_PATH: config.dbPath, SEED_COUNT: '0', REUSE_PORT: '1', NODE_APP_INSTANCE: String(i) },
    probe: false,
    nodeArgs: probeArgs,
    showOutput: true,
    timeoutMs: 120_000,
  }));
}
const url = children[0]!.url;
console.log(`lesson-11 reusePort: ${children.length} process(es) on ${url} (pids ${children.map((c) => c.pid).join(', ')})`);
notifyReady(url, port);

// Once: a second copy of the signal (npm forwards the one the terminal sent it too) must not
// kill this process by Node's default action while the children drain.
let stopping: Promise<void> | undefined;
const stop = (): Promise<void> => stopping ??= (async () => {
  await Promise.all(children.map((c) => c.close(15_000)));
  process.exit(0);
})();
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
if (process.send) process.once('disconnect', () => void stop());
