/**
 * One worker: the full API (SQLite + lesson 03's cache) on the shared port.
 *
 * Runs under this lesson's primary (src/server.ts), as pm2's script in cluster mode
 * (lesson 12), or alone (`node --import tsx src/worker.ts`: the one-process baseline).
 * The modules are imported dynamically only to time each phase of the start.
 */
const bootMs = performance.now(); // Node's boot + the TypeScript loader + compiling this file
const { startWorker } = await import('./start-worker.ts');
await startWorker({ bootMs, importsStartedMs: bootMs, importsDoneMs: performance.now() });
