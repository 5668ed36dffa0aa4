/**
 * Express / node:http on GET /index: each variant in its own child process, autocannon in
 * this one, alternating rounds; the harness adds each server's CPU per request.
 *
 *   npm run bench -- [--short] [--connections 100] [--duration 5] [--rounds 3]
 */
import { benchHttp, runBench, spawnServer, type HttpVariant, type Target } from '@course/shared/bench';
import { entries } from './src/entries.ts';

function server(entry: string): () => Promise<Target> {
  return async () => {
    const child = await spawnServer(entry);
    return { url: child.url, close: () => child.close() };
  };
}

// The harness reads each server's CPU time (all its processes and threads) around every round:
// `srv µs/req` is what the framework costs, independent of how much CPU the load generator
// (and anything else on the machine) took from the server.
function variant(name: string, entry: string, baseline?: string): HttpVariant {
  return { name, baseline, target: server(entry), request: { path: '/index' } };
}

runBench(async () => {
  await benchHttp({
    lesson: 'lesson-01',
    title: 'Express vs node:http',
    defaults: { connections: 100 },
    variants: [
      variant('node-http', entries.http),
      variant('node-http-string', entries.httpString, 'node-http'),
      variant('node-http-stringify', entries.httpStringify, 'node-http'),
      variant('express', entries.express, 'node-http'),
      variant('express-lean', entries.expressLean, 'express'),
      variant('express-course', entries.expressCourse, 'express'),
    ],
  });
});
