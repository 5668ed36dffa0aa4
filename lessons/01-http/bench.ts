/**
 * Express / node:http on GET /index: each variant in its own child process, autocannon in
 * this one, alternating rounds. Besides req/s it reads each server's CPU time from /proc
 * (Linux), because CPU per request is what the framework costs, whatever else the machine runs.
 *
 *   node --import tsx bench.ts [--short] [--connections 100] [--duration 5] [--rounds 3]
 */
import { loadavg } from 'node:os';
import { benchHttp, cpuSeconds, runBench, spawnServer, type HttpVariant, type Target } from '@course/shared/bench';
import { entries } from './src/entries.ts';


const pids = new Map<string, number>();
const marks = new Map<string, { cpu: number; at: number }>();

function server(entry: string): () => Promise<Target> {
  return async () => {
    const child = await spawnServer(entry);
    pids.set(child.url, child.pid);
    return { url: child.url, close: () => child.close() };
  };
}

function variant(name: string, entry: string, baseline?: string): HttpVariant {
  return {
    name,
    baseline,
    target: server(entry),
    request: { path: '/index' },
    beforeRound: async (t) => {
      const cpu = cpuSeconds(pids.get(t.url)!);
      if (cpu !== undefined) marks.set(t.url, { cpu, at: performance.now() });
    },
    collect: async (t): Promise<Record<string, number>> => {
      const mark = marks.get(t.url);
      const cpu = cpuSeconds(pids.get(t.url)!);
      if (!mark || cpu === undefined) return {};
      const seconds = (performance.now() - mark.at) / 1000;
      return { 'server cpu s': cpu - mark.cpu, 'server cpu %': (100 * (cpu - mark.cpu)) / seconds };
    },
  };
}

runBench(async () => {
  const loadBefore = loadavg()[0]!;
  const result = await benchHttp({
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
  // CPU per request: the framework's cost, independent of how much CPU the load generator
  // (and anything else on the machine) took from the server.
  const perRequest = new Map<string, number>();
  for (const v of result.variants) {
    const rounds = v.rounds as { requests: number; extra: Record<string, number> }[];
    const cpu = rounds.reduce((s, r) => s + (r.extra['server cpu s'] ?? Number.NaN), 0);
    const requests = rounds.reduce((s, r) => s + r.requests, 0);
    if (Number.isFinite(cpu) && requests > 0) perRequest.set(v.name, (cpu * 1e6) / requests);
  }
  if (perRequest.size > 0) {
    console.log(`server CPU per request: ${[...perRequest].map(([n, us]) => `${n} ${us.toFixed(0)} µs`).join(', ')}`);
    const http = perRequest.get('node-http');
    const express = perRequest.get('express');
    if (http && express) console.log(`express / node-http = ${(express / http).toFixed(1)}x server CPU per request`);
  } else {
    console.log('server CPU per request: skipped (no /proc on this system)');
  }
  console.log(`load average (1 min): ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after`);
});
