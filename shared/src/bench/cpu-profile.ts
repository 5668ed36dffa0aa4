/**
 * `--profile`: a CPU profile of every server process of a variant over its measured rounds
 * (taken through the probe, see probe/server-probe.mjs), merged into one `.cpuprofile` per
 * variant under the git-ignored `profiles/`, and the functions whose self-time per request
 * changed most between a variant and its baseline.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../config.ts';
import { queryProbe } from './probe-client.ts';

/** The parts of a V8 `.cpuprofile` this module reads and writes. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number; scriptId?: string }; hitCount?: number; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Starts profiling in every probed process of `pids`; returns those that started. */
export async function startProfiles(pids: readonly number[]): Promise<number[]> {
  const started = await Promise.all(pids.map(async (pid) => ((await queryProbe<{ ok: boolean }>(pid, { cmd: 'profile-start' }))?.ok ? pid : undefined)));
  return started.filter((pid): pid is number => pid !== undefined);
}

/** Stops profiling in `pids`; resolves with the profiles received. */
export async function stopProfiles(pids: readonly number[]): Promise<CpuProfile[]> {
  const replies = await Promise.all(pids.map((pid) => queryProbe<{ ok: boolean; profile?: CpuProfile }>(pid, { cmd: 'profile-stop' }, 60_000)));
  return replies.flatMap((r) => (r?.ok && r.profile ? [r.profile] : []));
}

/**
 * One profile holding several (rounds, processes): their trees hang under one root, their
 * samples follow one another. DevTools and speedscope read it; its time line is the rounds
 * end to end, its bottom-up view the sum.
 */
export function mergeProfiles(profiles: readonly CpuProfile[]): CpuProfile {
  const root = { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1, scriptId: '0' }, hitCount: 0, children: [] as number[] };
  const nodes: CpuProfile['nodes'] = [root];
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  let nextId = 2;
  let duration = 0;
  for (const profile of profiles) {
    const map = new Map<number, number>();
    const ownRoot = profile.nodes.find((n) => n.callFrame.functionName === '(root)') ?? profile.nodes[0]!;
    map.set(ownRoot.id, root.id);
    for (const node of profile.nodes) if (node !== ownRoot) map.set(node.id, nextId++);
    root.hitCount += ownRoot.hitCount ?? 0;
    for (const child of ownRoot.children ?? []) root.children.push(map.get(child)!);
    for (const node of profile.nodes) {
      if (node === ownRoot) continue;
      nodes.push({ ...node, id: map.get(node.id)!, children: (node.children ?? []).map((c) => map.get(c)!) });
    }
    for (const s of profile.samples ?? []) samples.push(map.get(s) ?? root.id);
    for (const d of profile.timeDeltas ?? []) timeDeltas.push(d);
    duration += profile.endTime - profile.startTime;
  }
  const startTime = profiles[0]?.startTime ?? 0;
  return { nodes, startTime, endTime: startTime + duration, samples, timeDeltas };
}

/** `name file.ts:line`: how the table names a function. */
function frameKey(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const file = frame.url ? frame.url.replace(/^file:\/\//, '').split('/').slice(-2).join('/') : '';
  const name = frame.functionName || '(anonymous)';
  return file ? `${name} ${file}:${frame.lineNumber + 1}` : name;
}

/**
 * Self-time per function in µs, from the samples (each sample is charged the interval that
 * follows it, as DevTools does). `(idle)` is left out: it is no CPU.
 */
export function selfTimes(profile: CpuProfile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const times = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]!);
    if (!node || node.callFrame.functionName === '(idle)') continue;
    const key = frameKey(node.callFrame);
    // timeDeltas[i] is the time from sample i-1 to sample i: charge it to sample i-1.
    const us = deltas[i + 1] ?? deltas[i] ?? 0;
    times.set(key, (times.get(key) ?? 0) + us);
  }
  return times;
}

/** One row of the "what changed" table, in self µs per request. */
export interface ChangedFunction { name: string; baseline: number; variant: number; change: number }

/** The `top` functions whose self-time per request differs most between the two. */
export function whatChanged(baseline: Map<string, number>, baselineRequests: number, variant: Map<string, number>, variantRequests: number, top = 8): ChangedFunction[] {
  const names = new Set([...baseline.keys(), ...variant.keys()]);
  const rows = [...names].map((name) => {
    const b = (baseline.get(name) ?? 0) / Math.max(1, baselineRequests);
    const v = (variant.get(name) ?? 0) / Math.max(1, variantRequests);
    return { name, baseline: b, variant: v, change: v - b };
  });
  return rows.sort((a, b) => Math.abs(b.change) - Math.abs(a.change)).slice(0, top);
}

/** Writes a variant's merged profile to `profiles/<lesson>/<variant>.cpuprofile`; returns the path. */
export function writeProfile(lesson: string, variant: string, profile: CpuProfile): string {
  const dir = join(repoRoot, 'profiles', lesson);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${variant.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.cpuprofile`);
  writeFileSync(path, JSON.stringify(profile));
  return path;
}
