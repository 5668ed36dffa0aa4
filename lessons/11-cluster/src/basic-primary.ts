/**
 * node:cluster in its smallest form: the primary forks one worker per core and forks again
 * when one dies. Every worker runs src/worker.ts and listens on the same port; the primary
 * owns the listening socket and hands each new connection to the next worker (round-robin).
 *
 *   npm run start:basic
 *
 * What it lacks, and src/primary.ts adds: a backoff when a worker crashes at start (this one
 * would fork as fast as the machine can), restarts that drop nothing, a graceful stop, and
 * cache invalidation across workers.
 */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

if (cluster.isPrimary) {
  cluster.setupPrimary({ exec: fileURLToPath(new URL('./worker.ts', import.meta.url)) });
  for (let i = 0; i < availableParallelism(); i++) cluster.fork(); // LESSON: N processes, one port
  cluster.on('exit', (worker, code, signal) => {
    console.log(`worker ${worker.process.pid} died (${signal ?? code}): forking another`);
    cluster.fork();
  });
}
