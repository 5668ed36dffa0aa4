/**
 * A server that answers at once, except that every STALL_EVERY_MS (default 5000) its event
 * loop is blocked for STALL_MS (default 500): a GC pause, a synchronous JSON.parse of a big
 * body, a sync fs call. Closed- and open-loop generators see this server very differently.
 */
import { createServer } from 'node:http';
import { integerFromEnv, loadConfig, serve } from '@course/shared';

const everyMs = integerFromEnv(process.env, 'STALL_EVERY_MS', 5000, 100, 600_000);
const stallMs = integerFromEnv(process.env, 'STALL_MS', 500, 1, 60_000);

const server = createServer((_req, res) => {
  res.setHeader('content-type', 'text/plain');
  res.end('ok\n');
});

const timer = setInterval(() => {
  // LESSON: nothing is answered while this runs: every request that arrives waits.
  const until = performance.now() + stallMs;
  while (performance.now() < until);
}, everyMs);

const config = loadConfig(process.env, { port: 3015 });
await serve(server, { name: 'lesson-05 stall server', config, onClose: () => clearInterval(timer) });
