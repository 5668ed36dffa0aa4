/**
 * Plots heap used over a load run, leaky vs fixed, from /metrics, as an SVG line chart.
 *
 *   node --import tsx scripts/memory-chart.ts [--requests 1500 --rate 250 --out FILE]
 *
 * Writes results/lesson-08/memory-chart.svg (git-ignored) unless --out says otherwise: the
 * committed memory-chart.svg beside the README is the reference picture, not a scratch file.
 *
 * Each variant gets a fresh server process; a paced node:http client sends `--requests` requests at
 * `--rate` requests/s while this script reads /metrics every 200 ms, then a few seconds idle.
 * Bounded: the leaky server retains ~120 KiB per request (1 500 requests: ~180 MB).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { Agent, get } from 'node:http';
import { repoRoot } from '@course/shared';
import { spawnServer } from '@course/shared/bench';

const entry = fileURLToPath(new URL('../src/server.ts', import.meta.url));

interface Sample { seconds: number; heapUsedMB: number; rssMB: number }

function flags(): { requests: number; rate: number; out: string } {
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2).filter((a) => a !== '--'),
      options: { requests: { type: 'string', default: '1500' }, rate: { type: 'string', default: '250' }, out: { type: 'string', default: join(repoRoot, 'results', 'lesson-08', 'memory-chart.svg') } },
    });
    const requests = Number(values.requests);
    const rate = Number(values.rate);
    if (!Number.isInteger(requests) || requests < 10 || requests > 3000) throw new Error(`--requests must be a whole number from 10 to 3000, got "${values.requests}"`);
    if (!Number.isInteger(rate) || rate < 10 || rate > 2000) throw new Error(`--rate must be a whole number from 10 to 2000, got "${values.rate}"`);
    return { requests, rate, out: values.out };
  } catch (error) {
    console.error(`memory-chart: ${(error as Error).message}`);
    process.exit(2);
  }
}

async function record(path: string, requests: number, rate: number): Promise<Sample[]> {
  const server = await spawnServer(entry, { env: { DB_PATH: ':memory:', SEED_COUNT: '0' } });
  const samples: Sample[] = [];
  const started = performance.now();
  const read = async (): Promise<void> => {
    const m = (await (await fetch(`${server.url}/metrics`)).json()) as { memory: NodeJS.MemoryUsage };
    samples.push({ seconds: (performance.now() - started) / 1000, heapUsedMB: m.memory.heapUsed / 1e6, rssMB: m.memory.rss / 1e6 });
  };
  try {
    await read();
    let sampling = Promise.resolve();
    const timer = setInterval(() => { sampling = sampling.then(read); }, 200);
    await new Promise((r) => setTimeout(r, 1000)); // idle baseline
    await paced(`${server.url}${path}`, requests, rate);
    await new Promise((r) => setTimeout(r, 3000)); // idle again: does the heap come back down?
    clearInterval(timer);
    await sampling;
  } finally {
    await server.close();
  }
  return samples;
}

/** Sends `count` GETs at `rate` per second (at most 10 in flight); rejects on a non-200. */
async function paced(url: string, count: number, rate: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 10 });
  const one = () => new Promise<void>((resolve, reject) => {
    get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
    }).on('error', reject);
  });
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (inFlight.size >= 10) await Promise.race(inFlight);
    const p = one().finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  agent.destroy();
}

function svg(series: { name: string; color: string; samples: Sample[] }[], subtitle: string): string {
  const width = 720;
  const height = 380;
  const pad = { left: 60, right: 20, top: 50, bottom: 45 };
  const maxX = Math.max(...series.flatMap((s) => s.samples.map((p) => p.seconds)));
  const rawMaxY = Math.max(...series.flatMap((s) => s.samples.map((p) => p.heapUsedMB)));
  const stepY = rawMaxY > 100 ? 50 : 10;
  const maxY = Math.ceil(rawMaxY / stepY) * stepY;
  const x = (v: number) => pad.left + (v / maxX) * (width - pad.left - pad.right);
  const y = (v: number) => height - pad.bottom - (v / maxY) * (height - pad.top - pad.bottom);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  parts.push(`<text x="${pad.left}" y="20" font-size="15" font-weight="bold">Heap used during a load run: leaky vs fixed /leak</text>`);
  parts.push(`<text x="${pad.left}" y="38" fill="#555">${subtitle}</text>`);
  for (let v = 0; v <= maxY; v += stepY) {
    parts.push(`<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${pad.left - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v}</text>`);
  }
  for (let v = 0; v <= maxX; v += 2) {
    parts.push(`<text x="${x(v).toFixed(1)}" y="${height - pad.bottom + 18}" text-anchor="middle">${v}</text>`);
  }
  parts.push(`<text x="${(pad.left + width - pad.right) / 2}" y="${height - 8}" text-anchor="middle">seconds since the first sample (load from 1 s, then 3 s idle)</text>`);
  parts.push(`<text transform="translate(16 ${(pad.top + height - pad.bottom) / 2}) rotate(-90)" text-anchor="middle">heap used, MB</text>`);
  parts.push(`<line x1="${pad.left}" x2="${pad.left}" y1="${pad.top}" y2="${height - pad.bottom}" stroke="#333"/>`);
  parts.push(`<line x1="${pad.left}" x2="${width - pad.right}" y1="${height - pad.bottom}" y2="${height - pad.bottom}" stroke="#333"/>`);
  series.forEach((s, i) => {
    const points = s.samples.map((p) => `${x(p.seconds).toFixed(1)},${y(p.heapUsedMB).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${points}"/>`);
    const last = s.samples.at(-1)!;
    parts.push(`<rect x="${pad.left + 12}" y="${pad.top + 6 + i * 18}" width="14" height="4" fill="${s.color}"/>`);
    parts.push(`<text x="${pad.left + 32}" y="${pad.top + 12 + i * 18}">${s.name} (end: ${last.heapUsedMB.toFixed(0)} MB heap, ${last.rssMB.toFixed(0)} MB RSS)</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

const { requests, rate, out } = flags();
const leaky = await record('/leaky/leak', requests, rate);
const fixed = await record('/fixed/leak', requests, rate);
const subtitle = `${requests} requests paced at up to ${rate} req/s per variant · ${new Date().toISOString().slice(0, 10)} · ${availableParallelism()} cores · Node ${process.version}`;
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, svg([{ name: 'leaky', color: '#d62728', samples: leaky }, { name: 'fixed', color: '#1f77b4', samples: fixed }], subtitle));
for (const [name, s] of [['leaky', leaky], ['fixed', fixed]] as const) {
  const peak = Math.max(...s.map((p) => p.heapUsedMB));
  console.log(`${name}: heap used ${s[0]!.heapUsedMB.toFixed(1)} MB at start, peak ${peak.toFixed(1)} MB, ${s.at(-1)!.heapUsedMB.toFixed(1)} MB at the end; RSS at the end ${s.at(-1)!.rssMB.toFixed(0)} MB`);
}
console.log(`wrote ${out}`);
