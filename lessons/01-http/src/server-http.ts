/**
 * Entry point: GET /index on bare node:http, body encoded once. Listens on PORT (default 3000)
 * at HOST (default 127.0.0.1).
 *
 * This one file wires the server by hand, so that you see once what every later lesson hands to
 * `serve()` from @course/shared (start-server.ts and serve.ts there do the same, with tests):
 * listen, then on SIGTERM/SIGINT stop accepting, let in-flight requests finish, close idle
 * keep-alive connections, and cut what is left at a deadline.
 */
import { createServer, type ServerResponse } from 'node:http';
import { loadConfig, notifyReady } from '@course/shared';
import { createBareHandler } from './bare-handler.ts';

const config = loadConfig();
const handler = createBareHandler();
const inFlight = new Set<ServerResponse>();
let draining = false;

const server = createServer((req, res) => {
  inFlight.add(res);
  res.on('close', () => inFlight.delete(res));
  // LESSON: while draining, tell the client this connection ends after this response, so a
  // keep-alive client does not send its next request into a socket we are about to close.
  if (draining) res.setHeader('Connection', 'close');
  handler(req, res);
});

// LESSON: listen on loopback by default; a lesson server is never exposed by accident.
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  console.log(`lesson-01 (node:http, wired by hand) listening on ${url} (pid ${process.pid})`);
  notifyReady(url, port); // tells a parent process (the bench, the tests) the URL
});

function shutDown(signal: NodeJS.Signals): void {
  if (draining) process.exit(1); // a second signal: stop waiting
  draining = true;
  console.log(`${signal}: draining ${inFlight.size} in-flight request(s)`);
  for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
  // LESSON: close() stops accepting and calls back once every connection has ended; idle
  // keep-alive sockets would hold it open for keepAliveTimeout, so close those now, and each
  // busy one as soon as its response is done (its 'Connection: close' ends it).
  server.close(() => {
    console.log('closed cleanly');
    process.exit(0);
  });
  server.closeIdleConnections();
  // LESSON: a deadline, so one stuck request cannot keep the process alive forever.
  setTimeout(() => {
    console.log('shutdown deadline reached: connections cut');
    server.closeAllConnections();
    process.exit(1);
  }, config.shutdownTimeoutMs).unref();
}
process.on('SIGTERM', shutDown);
process.on('SIGINT', shutDown);
