/**
 * N independent copies of src/worker.ts on one port with SO_REUSEPORT: no cluster, no
 * primary in the path of a connection; the kernel balances. Compare with src/server.ts in
 * `npm run bench` (the `reusePort` rows).
 *
 *   npm run start:reuse-port        (WORKERS, PORT, DB_PATH as for src/server.ts)
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

const config = loadConfig();
const clusterConfig = loadClusterConfig();
if (!nodeHasReusePort()) {
  console.error(`Node ${process.version} has no server.listen({ reusePort }) (22.12+, 23.1+): use src/server.ts`);
  process.exit(1);
}
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

const stop = async (): Promise<void> => {
  await Promise.all(children.map((c) => c.close(15_000)));
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
if (process.send) process.once('disconnect', () => void stop());
