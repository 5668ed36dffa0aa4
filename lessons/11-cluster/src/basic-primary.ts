/**
 * node:cluster in its smallest form: the primary forks one worker per core and forks again
 * when one dies. Every worker runs src/worker.ts and listens on the same port; the primary
 * owns the listening socket and hands each new connection to the next worker (round-robin).
 *
 *   npm run start:basic
 *
 * What it lacks, and src/primary.ts adds: a backoff when a worker crashes at start (this one
 * would fork as fast as the machine can), restarts that drop nothing, a stop that waits for
 * the workers it drains (here each worker drains on its own signal), a port that stays open
 * while no worker is up, and cache invalidation across workers.
 */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

if (cluster.isPrimary) {
  cluster.setupPrimary({ exec: fileURLToPath(new URL('./worker.ts', import.meta.url)) });
  for (let i = 0; i < availableParallelism(); i++) cluster.fork(); // LESSON: N processes, one port
  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.log(`worker ${worker.process.pid} died (${signal ?? code}): forking another`);
    cluster.fork();
  });
  // Stopping, at its simplest: pass the signal on and exit once every worker has. (Ctrl-C also
  // reaches the workers straight from the terminal; each worker drains once for both copies.)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    });
  }
}
