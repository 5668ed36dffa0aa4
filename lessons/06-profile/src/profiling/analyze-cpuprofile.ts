/**
 * A small analyzer for V8 `.cpuprofile` files (what `node --cpu-prof` writes and Chrome
 * DevTools reads): the functions with the most self time and the most total time.
 *
 * Built by hand to show what a profiler's "bottom-up" and "top-down" views are: sums over
 * samples. DevTools (Performance panel → load profile), speedscope or 0x do the same with a UI.
 */
import { fileURLToPath } from 'node:url';

/** Where a function is, as V8 reports it (0-based line and column of the generated code). */
export interface CallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

/** One node of the call tree: a function called from one particular stack. */
export interface CpuProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}

/** The `.cpuprofile` format (Chrome DevTools protocol `Profiler.Profile`). */
export interface CpuProfile {
  nodes: CpuProfileNode[];
  /** Microseconds. */
  startTime: number;
  endTime: number;
  /** Leaf node id of each sample, in order. */
  samples?: number[];
  /** Microseconds since the previous sample (the first: since startTime). */
  timeDeltas?: number[];
}

/** One function's share of the profile. */
export interface FunctionTime {
  name: string;
  /** `src/slow.ts:14`, `node_modules/express/lib/router/index.js:120`, or `(native)`. */
  location: string;
  /** Time with this function on top of the stack. */
  selfMs: number;
  /** Time with this function anywhere on the stack (recursion counted once). */
  totalMs: number;
  /** Of the busy (non-idle) time. */
  selfPercent: number;
  totalPercent: number;
}

/** What {@link analyzeCpuProfile} returns. */
export interface Analysis {
  profiledMs: number;
  idleMs: number;
  busyMs: number;
  samples: number;
  bySelf: FunctionTime[];
  byTotal: FunctionTime[];
  /** By total time, only functions in {@link AnalyzeOptions.ownCode}. */
  ownByTotal: FunctionTime[];
  /** Self time per package (`express`, `router`, `node:`, `(native)`, `lessons/06-profile`…). V8 builtins have no frame: their time is in their JS caller's package. */
  byPackage: { name: string; selfMs: number; selfPercent: number }[];
}

/** The package a location belongs to, for the per-package view. */
export function packageOf(location: string, name: string): string {
  if (location === '(native)') return name === '(garbage collector)' ? '(garbage collector)' : '(native: C++ bindings such as writev, regexp code; builtins are charged to their JS caller)';
  if (location.startsWith('node:')) return 'node: (core)';
  const modules = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(location);
  if (modules) return modules[1]!;
  const lesson = /^(lessons\/[^/]+|shared)\//.exec(location);
  return lesson ? lesson[1]! : location.split(':')[0]!;
}

/** Maps a generated position (0-based) to a readable `file:line`, e.g. through a source map. */
export type Locate = (url: string, line: number, column: number) => string | undefined;

/** Options for {@link analyzeCpuProfile}. */
export interface AnalyzeOptions {
  /** Rows per list (default 15). */
  top?: number;
  /** Source-map lookup; without it, generated positions are shown. */
  locate?: Locate;
  /** Prefix removed from file paths (default: none). */
  root?: string;
  /**
   * Only samples in this window, in the profile's clock (microseconds of the system's
   * monotonic clock on Linux, the same as `process.hrtime`): e.g. the load phase alone,
   * without start-up.
   */
  window?: { fromUs: number; toUs: number };
  /** Also rank functions whose location starts with one of these (e.g. `lessons/`). */
  ownCode?: string[];
}

const idle = '(idle)';
const meta = new Set(['(root)', idle]);

/** `file:///work/x/node_modules/.pnpm/a/node_modules/express/lib/a.js` → `node_modules/express/lib/a.js`. */
export function shortPath(url: string, root = ''): string {
  let path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + 1);
  if (root && path.startsWith(root)) path = path.slice(root.length).replace(/^\/+/, '');
  return path;
}

function locationOf(frame: CallFrame, options: AnalyzeOptions): string {
  if (!frame.url) return '(native)';
  const mapped = options.locate?.(frame.url, frame.lineNumber, frame.columnNumber);
  return mapped ?? `${shortPath(frame.url, options.root)}:${frame.lineNumber + 1}`;
}

/**
 * Sums sample time per function. A sample lasts until the next one; the last one until
 * `endTime`. Idle samples are reported apart and left out of the percentages.
 */
export function analyzeCpuProfile(profile: CpuProfile, options: AnalyzeOptions = {}): Analysis {
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  // One key per function (not per call-tree node): the same function reached from two stacks
  // is one row.
  const keyOf = (frame: CallFrame): string => `${frame.functionName}\u0000${frame.url}\u0000${frame.lineNumber}\u0000${frame.columnNumber}`;
  const frames = new Map<string, CallFrame>();
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const stackKeys = new Map<number, string[]>();
  const keysOnStack = (id: number): string[] => {
    let keys = stackKeys.get(id);
    if (keys) return keys;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (meta.has(frame.functionName) && !frame.url) continue;
      const key = keyOf(frame);
      frames.set(key, frame);
      seen.add(key);
    }
    keys = [...seen];
    stackKeys.set(id, keys);
    return keys;
  };

  let timestamp = profile.startTime;
  const times = deltas.map((d) => (timestamp += d));
  let idleUs = 0;
  let profiledUs = 0;
  samples.forEach((id, i) => {
    const at = times[i] ?? profile.startTime;
    if (options.window && (at < options.window.fromUs || at > options.window.toUs)) return;
    const duration = Math.max(0, (times[i + 1] ?? profile.endTime) - at);
    profiledUs += duration;
    const node = byId.get(id);
    if (!node) return;
    if (node.callFrame.functionName === idle) { idleUs += duration; return; }
    const leaf = keyOf(node.callFrame);
    frames.set(leaf, node.callFrame);
    self.set(leaf, (self.get(leaf) ?? 0) + duration);
    for (const key of keysOnStack(id)) total.set(key, (total.get(key) ?? 0) + duration);
  });

  const busyUs = Math.max(profiledUs - idleUs, 1);
  const top = options.top ?? 15;
  const row = (key: string): FunctionTime => {
    const frame = frames.get(key)!;
    const selfUs = self.get(key) ?? 0;
    const totalUs = Math.max(total.get(key) ?? 0, selfUs);
    return {
      name: frame.functionName || '(anonymous)',
      location: locationOf(frame, options),
      selfMs: selfUs / 1000,
      totalMs: totalUs / 1000,
      selfPercent: (100 * selfUs) / busyUs,
      totalPercent: (100 * totalUs) / busyUs,
    };
  };
  const rank = (map: Map<string, number>, keep: (r: FunctionTime) => boolean = () => true): FunctionTime[] =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).map(([key]) => row(key)).filter(keep).slice(0, top);
  const own = options.ownCode ?? [];

  return {
    profiledMs: profiledUs / 1000,
    idleMs: idleUs / 1000,
    busyMs: (profiledUs - idleUs) / 1000,
    samples: samples.length,
    bySelf: rank(self),
    byTotal: rank(total),
    ownByTotal: own.length ? rank(total, (r) => own.some((prefix) => r.location.startsWith(prefix))) : [],
    byPackage: byPackage(),
  };

  function byPackage(): Analysis['byPackage'] {
    const sums = new Map<string, number>();
    for (const [key, us] of self) {
      const r = row(key);
      const name = packageOf(r.location, r.name);
      sums.set(name, (sums.get(name) ?? 0) + us);
    }
    return [...sums.entries()].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, selfMs: us / 1000, selfPercent: (100 * us) / busyUs }));
  }
}

/** The two tables, for a terminal. */
export function formatAnalysis(analysis: Analysis): string {
  const table = (title: string, rows: FunctionTime[]): string[] => [
    `${title}`,
    `${'self ms'.padStart(9)} ${'self%'.padStart(6)} ${'total ms'.padStart(9)} ${'total%'.padStart(6)}  function  location`,
    ...rows.map((r) => `${r.selfMs.toFixed(1).padStart(9)} ${r.selfPercent.toFixed(1).padStart(6)} ${r.totalMs.toFixed(1).padStart(9)} ${r.totalPercent.toFixed(1).padStart(6)}  ${r.name}  ${r.location}`),
  ];
  return [
    `${analysis.samples} samples over ${(analysis.profiledMs / 1000).toFixed(1)} s: busy ${(analysis.busyMs / 1000).toFixed(1)} s, idle ${(analysis.idleMs / 1000).toFixed(1)} s (percentages are of busy time)`,
    '',
    ...table('Top functions by SELF time (where the CPU actually was):', analysis.bySelf),
    '',
    ...table('Top functions by TOTAL time (self + everything they called):', analysis.byTotal),
    ...(analysis.ownByTotal.length ? ['', ...table('Your code by TOTAL time (outside node_modules and node:):', analysis.ownByTotal)] : []),
    '',
    'SELF time by package:',
    ...analysis.byPackage.slice(0, 10).map((p) => `${p.selfMs.toFixed(1).padStart(9)} ${p.selfPercent.toFixed(1).padStart(6)}%  ${p.name}`),
  ].join('\n');
}
