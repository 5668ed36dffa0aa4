/**
 * A one-process server for the harness tests, started through spawnServer: `/` answers at
 * once; `/work` burns ~0.2 ms of CPU and allocates, so CPU, ELU and GC have something to show.
 */
import { createServer } from 'node:http';
import { serve } from '../src/lifecycle/serve.ts';

const server = createServer((req, res) => {
  if (req.url === '/work') {
    const until = performance.now() + 0.2;
    let garbage: number[][] = [];
    while (performance.now() < until) garbage.push(new Array(64).fill(0));
    garbage = [];
    res.end(String(garbage.length));
    return;
  }
  res.end('ok');
});

await serve(server, { name: 'bench-fixture', log: () => {} });
