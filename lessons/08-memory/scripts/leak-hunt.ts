/**
 * Detects the /leak leak two ways, in one process started with --expose-gc:
 *   1. heap used after a forced full GC, before and after N requests;
 *   2. two heap snapshots, compared by src/heap-snapshot.ts.
 *
 *   node --expose-gc --import tsx scripts/leak-hunt.ts --variant leaky --requests 300
 *   node --expose-gc --import tsx scripts/leak-hunt.ts --variant fixed --snapshots tmp/snaps --json
 *   ... --internal   also list V8's internal kinds ((array), (string), (code)): where the bytes are
 *
 * Snapshots go to tmp/lesson-08/ (git-ignored) unless --snapshots says otherwise.
 */
import { mkdirSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeHeapSnapshot } from 'node:v8';
import express from 'express';
import { repoRoot } from '@course/shared';
import { listen } from '@course/shared/testing';
import { compareSnapshots, formatGrowth, leakSuspects, readHeapSnapshot } from '../src/heap-snapshot.ts';
import { createFixedRouter } from '../src/fixed-router.ts';
import { createLeakyRouter, leakPath } from '../src/leaky-router.ts';

function usage(message: string): never {
  console.error(`leak-hunt: ${message}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: { variant: { type: 'string', default: 'leaky' }, requests: { type: 'string', default: '300' }, snapshots: { type: 'string' }, json: { type: 'boolean' }, internal: { type: 'boolean' } },
  }));
} catch (error) {
  usage((error as Error).message);
}
const variant = values.variant;
if (variant !== 'leaky' && variant !== 'fixed') usage(`--variant must be leaky or fixed, got "${variant}"`);
const requests = Number(values.requests);
if (!Number.isInteger(requests) || requests < 1 || requests > 2000) usage(`--requests must be a whole number from 1 to 2000, got "${values.requests}"`);
const gc = globalThis.gc;
if (!gc) usage('run with node --expose-gc');
const dir = values.snapshots ?? join(repoRoot, 'tmp', 'lesson-08');
mkdirSync(dir, { recursive: true });

const app = express();
app.use(variant === 'leaky' ? createLeakyRouter() : createFixedRouter());
const server = await listen(app);

// node:http, not fetch: Node 20's fetch records a PerformanceResourceTiming per request in
// the global performance timeline (up to 250), which would show up in the comparison.
function getOnce(agent: Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    get(`${server.url}${leakPath}`, { agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`GET ${leakPath}: ${res.statusCode}`))));
    }).on('error', reject);
  });
}

async function hit(n: number): Promise<void> {
  // Sequential: the fixed router's Map is empty between requests, so any growth is a leak.
  // One keep-alive agent per batch, destroyed after it: a socket left idle across a GC and a
  // snapshot (seconds) could be closed by the server just as the client reuses it.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let i = 0; i < n; i++) await getOnce(agent);
  } finally {
    agent.destroy();
  }
}

/** Heap used after a full, synchronous GC: what is still reachable. */
function liveHeap(): number {
  gc!();
  gc!(); // a second pass collects what the first one's finalizers released
  return process.memoryUsage().heapUsed;
}

// Warm up first: JIT code, undici's connection pool, Express's lazy state all allocate once.
await hit(50);
const heapBefore = liveHeap();
const before = writeHeapSnapshot(join(dir, `${variant}-${process.pid}-before.heapsnapshot`));
await hit(requests);
const heapAfter = liveHeap();
const after = writeHeapSnapshot(join(dir, `${variant}-${process.pid}-after.heapsnapshot`));
await server.close();

const result = { variant, requests, heapBefore, heapAfter, growthPerRequest: (heapAfter - heapBefore) / requests, snapshots: [before, after] };
if (values.json) {
  console.log(JSON.stringify(result));
} else {
  console.log(`${variant}: heap used after forced GC ${(heapBefore / 1e6).toFixed(1)} MB -> ${(heapAfter / 1e6).toFixed(1)} MB over ${requests} requests (${(result.growthPerRequest / 1024).toFixed(1)} KiB per request)`);
  console.log(`snapshots: ${before}\n           ${after}`);
  const [a, b] = [readHeapSnapshot(before), readHeapSnapshot(after)];
  console.log(formatGrowth(compareSnapshots(a, b, { top: 8, internal: values.internal === true })));
  // Suspects among constructors only: V8's internal kinds grow with any activity.
  const suspects = leakSuspects(compareSnapshots(a, b, { top: 50 }), requests);
  console.log(`suspects (>= 0.9 new live instances per request): ${suspects.map((r) => r.name).join(', ') || 'none'}`);
}
