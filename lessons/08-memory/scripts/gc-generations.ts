/**
 * Young and old generation, measured.
 *
 *   node --import tsx scripts/gc-generations.ts            # the comparison table (children)
 *   node --import tsx scripts/gc-generations.ts --trace    # the same workload under --trace-gc
 *
 * A child process per configuration runs one workload: 2 million short-lived objects (dead
 * right away) and 300 000 long-lived ones (kept in an array until the end, ~30 MB). It counts
 * `gc` performance entries by kind and reads v8.getHeapSpaceStatistics() before and after.
 * The parent runs it with several --max-semi-space-size values and prints one table.
 */
import { execFileSync } from 'node:child_process';
import { PerformanceObserver, type PerformanceNodeEntry, constants } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { tsxImportArgs } from '@course/shared/bench';

const self = fileURLToPath(import.meta.url);

/** One child's measurements. */
interface Run {
  semiSpaceMB: string;
  scavenges: number;
  scavengeMs: number;
  markSweeps: number;
  markSweepMs: number;
  spacesBefore: Record<string, number>;
  spacesAfter: Record<string, number>;
}

const kinds: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-sweep-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

function spaces(): Record<string, number> {
  return Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.space_used_size]));
}

/** The workload, in this process; reports through stdout as JSON. */
async function child(semiSpaceMB: string): Promise<void> {
  const counts = new Map<string, { n: number; ms: number }>();
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as PerformanceNodeEntry[]) {
      const kind = kinds[(entry.detail as { kind: number }).kind] ?? 'other';
      const c = counts.get(kind) ?? { n: 0, ms: 0 };
      c.n++;
      c.ms += entry.duration;
      counts.set(kind, c);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const spacesBefore = spaces();

  const kept: { id: number; name: string; tags: string[] }[] = [];
  let checksum = 0;
  for (let i = 0; i < 2_000_000; i++) {
    // LESSON: dies young: allocated in new space, never survives a scavenge
    const temp = { id: i, name: `item ${i & 1023}`, tags: ['a', 'b'] };
    checksum += temp.tags.length + temp.id;
    // LESSON: one in seven survives: its first scavenge copies it within new space (to the
    // other semi-space), its second promotes it (copies it) to old space.
    if (i % 7 === 0 && kept.length < 300_000) kept.push(temp);
  }
  const spacesAfter = spaces();
  // gc entries are delivered asynchronously; let the observer drain.
  await new Promise((r) => setTimeout(r, 50));
  observer.disconnect();
  const get = (k: string) => counts.get(k) ?? { n: 0, ms: 0 };
  const run: Run = {
    semiSpaceMB,
    scavenges: get('scavenge').n,
    scavengeMs: get('scavenge').ms,
    markSweeps: get('mark-sweep-compact').n,
    markSweepMs: get('mark-sweep-compact').ms + get('incremental marking').ms,
    spacesBefore,
    spacesAfter,
  };
  console.log(JSON.stringify({ run, kept: kept.length, checksum }));
}

function runChild(semiSpaceMB: string, trace = false): Run {
  const flags = [...(semiSpaceMB === 'default' ? [] : [`--max-semi-space-size=${semiSpaceMB}`]), ...(trace ? ['--trace-gc'] : [])];
  const out = execFileSync(process.execPath, [...flags, ...tsxImportArgs, self, '--child', semiSpaceMB], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (trace) {
    const lines = out.trim().split('\n');
    // tsx's loader runs in a worker thread with its own isolate (its own heap); keep the main one.
    const isolate = (l: string) => /^\[\d+:(0x[0-9a-f]+)\]/.exec(l)?.[1];
    const all = lines.filter((l) => l.includes('Scavenge') || l.includes('Mark-Compact'));
    const byIsolate = new Map<string, number>();
    for (const l of all) byIsolate.set(isolate(l) ?? '', (byIsolate.get(isolate(l) ?? '') ?? 0) + 1);
    const main = [...byIsolate.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    const gcLines = all.filter((l) => isolate(l) === main);
    console.log(`--trace-gc: ${gcLines.length} lines; the first few scavenges and the first mark-compact:`);
    for (const l of gcLines.filter((l) => l.includes('Scavenge')).slice(0, 4)) console.log(`  ${l}`);
    for (const l of gcLines.filter((l) => !l.includes('Scavenge')).slice(0, 2)) console.log(`  ${l}`);
  }
  return (JSON.parse(out.trim().split('\n').at(-1)!) as { run: Run }).run;
}

const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);

const { values } = parseArgs({ options: { child: { type: 'string' }, trace: { type: 'boolean' } }, args: process.argv.slice(2).filter((a) => a !== '--'), strict: false });
if (typeof values.child === 'string') {
  await child(values.child);
} else {
  console.log(`lesson-08 · young and old generation · ${new Date().toISOString().slice(0, 10)} · Node ${process.version}`);
  if (values.trace) runChild('default', true);
  const runs = ['1', 'default', '16', '64'].map((s) => runChild(s));
  const first = runs[1]!;
  console.log('\nheap spaces, space_used_size in MB (default semi-space), before → after the workload:');
  for (const name of Object.keys(first.spacesAfter)) {
    console.log(`  ${name.padEnd(26)} ${mb(first.spacesBefore[name] ?? 0).padStart(7)} → ${mb(first.spacesAfter[name] ?? 0).padStart(7)}`);
  }
  console.log('\n--max-semi-space-size  scavenges  scavenge ms  mark-sweeps  mark-sweep ms');
  for (const r of runs) {
    console.log(`${(r.semiSpaceMB === 'default' ? 'default' : `${r.semiSpaceMB} MB`).padEnd(22)} ${String(r.scavenges).padStart(9)}  ${r.scavengeMs.toFixed(1).padStart(11)}  ${String(r.markSweeps).padStart(11)}  ${r.markSweepMs.toFixed(1).padStart(13)}`);
  }
}
