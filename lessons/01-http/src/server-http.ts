/**
 * Entry point: GET /index on bare node:http, body encoded once. Listens on PORT (default 3000)
 * at HOST (default 127.0.0.1).
 *
 * This one file wires the server by hand, so that you see once what every later lesson hands to
 * `serve()` from @course/shared: listen, then on SIGTERM/SIGINT drain (drain.ts: stop accepting,
 * `Connection: close` on every response from then on, idle keep-alive sockets closed after a
 * grace period, everything cut at a deadline).
 */
import { createServer } from 'node:http';
import { integerFromEnv, loadConfig, notifyReady } from '@course/shared';
import { createBareHandler } from './bare-handler.ts';
import { trackForDrain } from './drain.ts';

const config = loadConfig();
/** How long an idle keep-alive socket may stay open once draining starts (ms; at most the deadline). */
const idleGraceMs = integerFromEnv(process.env, 'IDLE_GRACE_MS', 1000, 0, 600_000);
const server = createServer(createBareHandler());
const drain = trackForDrain(server); // before listen(), so every socket is seen

// LESSON: listen on loopback by default; a lesson server is never exposed by accident.
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  console.log(`lesson-01 (node:http, wired by hand) listening on ${url} (pid ${process.pid})`);
  notifyReady(url, port); // tells a parent process (the bench, the tests) the URL
});

let draining = false;
function shutDown(signal: NodeJS.Signals): void {
  if (draining) process.exit(1); // a second signal: stop waiting
  draining = true;
  console.log(`${signal}: draining ${drain.inFlight()} in-flight request(s)`);
  // LESSON: not server.close() + closeIdleConnections(): that races keep-alive clients
  // (drain-naive.ts and its test show the reset).
  void drain.drain({ idleGraceMs, deadlineMs: config.shutdownTimeoutMs }).then(({ timedOut }) => {
    console.log(timedOut ? 'shutdown deadline reached: connections cut' : 'closed cleanly');
    process.exit(timedOut ? 1 : 0);
  });
}
process.on('SIGTERM', shutDown);
process.on('SIGINT', shutDown);
