import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsxImportArgs } from '@course/shared/bench';
import { listen } from '@course/shared/testing';
import { compareSnapshots, leakSuspects, readHeapSnapshot } from '../src/heap-snapshot.ts';
import { createFixedRouter, createLeakyRouter, leakPath } from '../src/index.ts';

const script = fileURLToPath(new URL('../scripts/leak-hunt.ts', import.meta.url));
const requests = 120;
const dir = mkdtempSync(join(tmpdir(), 'lesson-08-snapshots-'));

interface Hunt { heapBefore: number; heapAfter: number; growthPerRequest: number; snapshots: [string, string] }

/** Runs scripts/leak-hunt.ts in a child with --expose-gc (forced GC needs it). */
async function hunt(variant: 'leaky' | 'fixed'): Promise<Hunt> {
  const { stdout } = await promisify(execFile)(process.execPath,
    ['--expose-gc', ...tsxImportArgs, script, '--variant', variant, '--requests', String(requests), '--snapshots', dir, '--json'],
    { maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Hunt;
}

let leaky: Hunt;
let fixed: Hunt;
beforeAll(async () => {
  [leaky, fixed] = await Promise.all([hunt('leaky'), hunt('fixed')]);
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('finding the leak', () => {
  it('the leaky router keeps about 100 KiB of heap per request after a forced GC', () => {
    expect(leaky.growthPerRequest).toBeGreaterThan(90 * 1024);
  });

  it('the fixed router keeps the heap bounded: under 2 KiB per request after a forced GC', () => {
    // The leak would add ~12 MB over these requests; the fixed one stays within noise.
    expect(fixed.growthPerRequest).toBeLessThan(2 * 1024);
  });

  it('the snapshot comparison flags RequestTrace on the leaky build', () => {
    const growth = compareSnapshots(readHeapSnapshot(leaky.snapshots[0]), readHeapSnapshot(leaky.snapshots[1]));
    // Each trace also owns one Array, so `Array` grows about as much; the class is what names the leak.
    const trace = growth.find((r) => r.name === 'RequestTrace');
    expect(growth.slice(0, 3).map((r) => r.name)).toContain('RequestTrace');
    expect(trace?.countDelta).toBe(requests);
    expect(leakSuspects(growth, requests).map((r) => r.name)).toContain('RequestTrace');
  });

  it('the snapshot comparison finds nothing growing per request on the fixed build', () => {
    const growth = compareSnapshots(readHeapSnapshot(fixed.snapshots[0]), readHeapSnapshot(fixed.snapshots[1]));
    expect(leakSuspects(growth, requests)).toEqual([]);
    const bytes = growth.reduce((sum, r) => sum + r.selfSizeDelta, 0);
    expect(bytes).toBeLessThan(100 * 1024);
  });

  it('with internals included, the leaked bytes show up in array backing stores', () => {
    const growth = compareSnapshots(readHeapSnapshot(leaky.snapshots[0]), readHeapSnapshot(leaky.snapshots[1]), { internal: true, top: 50 });
    const arrays = growth.find((r) => r.name === '(array)');
    expect(arrays?.selfSizeDelta).toBeGreaterThan(requests * 90 * 1024);
  });
});

describe('the /leak routers', () => {
  it('serve the same summary at leakPath and mount under any prefix', async () => {
    const app = express();
    app.use('/leaky', createLeakyRouter());
    app.use('/fixed', createFixedRouter());
    const server = await listen(app);
    try {
      expect(leakPath).toBe('/leak');
      const [a, b] = await Promise.all([fetch(`${server.url}/leaky/leak`), fetch(`${server.url}/fixed/leak`)]);
      expect(a.status).toBe(200);
      expect(b.status).toBe(200);
      const [ja, jb] = await Promise.all([a.json(), b.json()]);
      expect(ja).toEqual(jb);
      expect(ja).toMatchObject({ id: 't1', samples: 12_800 });
    } finally {
      await server.close();
    }
  });
});
