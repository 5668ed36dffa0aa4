/**
 * A small, typed analyzer of V8 heap snapshots (the `.heapsnapshot` files written by
 * `v8.writeHeapSnapshot()` or the DevTools Memory panel): instances and shallow bytes per
 * constructor, and what grew between two snapshots.
 *
 * It counts live objects by constructor name, like the DevTools "Comparison" view's
 * "# Delta" and "Size Delta" columns. It does not compute retained sizes (that needs the
 * dominator tree; DevTools does it): a leaking class usually shows first by count anyway.
 */
import { readFileSync } from 'node:fs';

/** The parts of the snapshot JSON format this analyzer reads. */
export interface HeapSnapshotJson {
  snapshot: {
    meta: {
      node_fields: string[];
      /** First entry: the names of node types (`hidden`, `array`, `string`, `object`, …). */
      node_types: [string[], ...unknown[]];
    };
    node_count: number;
  };
  /** Flat: node_fields.length numbers per node. */
  nodes: number[];
  strings: string[];
}

/** Live objects of one constructor (or one internal kind, in parentheses). */
export interface ConstructorStats {
  name: string;
  count: number;
  /** Bytes of the objects themselves (not what they keep alive). */
  selfSize: number;
}

/** How one constructor changed between two snapshots. */
export interface Growth extends ConstructorStats {
  countDelta: number;
  selfSizeDelta: number;
}

/** Reads and parses a `.heapsnapshot` file. */
export function readHeapSnapshot(path: string): HeapSnapshotJson {
  const json = JSON.parse(readFileSync(path, 'utf8')) as HeapSnapshotJson;
  if (!json.snapshot?.meta?.node_fields || !Array.isArray(json.nodes)) throw new Error(`${path} is not a V8 heap snapshot`);
  return json;
}

/**
 * Groups the snapshot's nodes: objects and closures by constructor name, everything else
 * (strings, arrays' backing stores, code, …) by its type, e.g. `(string)`.
 */
export function summarize(snapshot: HeapSnapshotJson): Map<string, ConstructorStats> {
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const stats = new Map<string, ConstructorStats>();
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt]!] ?? 'unknown';
    const name = type === 'object' || type === 'closure' ? snapshot.strings[snapshot.nodes[i + nameAt]!] ?? '?' : `(${type})`;
    const entry = stats.get(name) ?? { name, count: 0, selfSize: 0 };
    entry.count++;
    entry.selfSize += snapshot.nodes[i + sizeAt]!;
    stats.set(name, entry);
  }
  return stats;
}

/** Options for {@link compareSnapshots}. */
export interface CompareOptions {
  /** Rows to return (default 10). */
  top?: number;
  /**
   * Include V8's internal kinds, `(string)`, `(array)`, `(code)`, … (default false). They grow
   * with any activity (JIT code, heap numbers) and hide the constructors that matter.
   */
  internal?: boolean;
}

/**
 * The constructors whose live instance count grew most from `before` to `after`
 * (ties broken by bytes), only those that grew.
 */
export function compareSnapshots(before: HeapSnapshotJson, after: HeapSnapshotJson, options: CompareOptions = {}): Growth[] {
  const a = summarize(before);
  const b = summarize(after);
  const rows: Growth[] = [];
  for (const [name, s] of b) {
    if (!options.internal && name.startsWith('(')) continue;
    const old = a.get(name) ?? { count: 0, selfSize: 0 };
    const countDelta = s.count - old.count;
    if (countDelta > 0) rows.push({ ...s, countDelta, selfSizeDelta: s.selfSize - old.selfSize });
  }
  // LESSON: rank by how many more instances are alive; a leak adds one or more per request.
  rows.sort((x, y) => y.countDelta - x.countDelta || y.selfSizeDelta - x.selfSizeDelta);
  return rows.slice(0, options.top ?? 10);
}

/**
 * Constructors that gained at least `perRequest` live instances per request over `requests`
 * requests: after a forced GC, nothing a request creates should survive it.
 */
export function leakSuspects(rows: readonly Growth[], requests: number, perRequest = 0.9): Growth[] {
  return rows.filter((r) => r.countDelta >= requests * perRequest);
}

/** A table of {@link Growth} rows for the terminal. */
export function formatGrowth(rows: readonly Growth[]): string {
  const lines = rows.map((r) => `${r.name.slice(0, 40).padEnd(40)} ${`+${r.countDelta}`.padStart(9)} ${`${(r.selfSizeDelta / 1024).toFixed(0)} KiB`.padStart(12)} ${String(r.count).padStart(9)}`);
  return [`${'constructor'.padEnd(40)} ${'# delta'.padStart(9)} ${'self delta'.padStart(12)} ${'# now'.padStart(9)}`, ...lines].join('\n');
}
