/**
 * The scoreboard's plumbing on real stages: each starts through its lesson's entry point, the
 * generator process offers every workload's requests, and the real API accepts all of them
 * (a PATCH body it rejected would make every "mixed" run fail). Low rates: nothing here
 * depends on the machine's speed.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@course/shared';
import { snapshotTree } from '@course/shared/bench';
import { failedRequests } from '../src/scoreboard/cli.ts';
import { startGenerator } from '../src/scoreboard/load-child.ts';
import { stages } from '../src/scoreboard/stages.ts';
import { workloads } from '../src/scoreboard/workloads.ts';

const dir = join(repoRoot, 'tmp', 'glance-test', `stages-${process.pid}`);
mkdirSync(dir, { recursive: true });
const generator = startGenerator();
afterAll(async () => {
  await generator.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(['02', '04'])('stage %s', { timeout: 240_000 }, (id) => {
  it('starts from its lesson entry point and answers every workload\'s requests with 2xx', async () => {
    const stage = stages.find((s) => s.id === id)!;
    const running = await stage.start({ dir, seedCount: 1000, short: true });
    try {
      const before = snapshotTree(running.pids());
      for (const w of workloads) {
        const s = await generator.run({ url: running.url, workload: w.id, keys: 1000, seed: 3, rate: 40, seconds: 0.5, warmupSeconds: 0.25, timeoutMs: 30_000 });
        expect(s.sent, w.id).toBe(20);
        expect(s.completed, w.id).toBe(20);
        expect(failedRequests(s), `${w.id}: ${JSON.stringify(s.statuses)}`).toBe(0);
      }
      // The server's process tree is found and its CPU time counted.
      const after = snapshotTree(running.pids());
      expect(after!.cpuSeconds).toBeGreaterThan(before!.cpuSeconds);
    } finally {
      await running.stop();
    }
  });
});
