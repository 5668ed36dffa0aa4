/**
 * `npm run bench:open -- --rate 1000 --duration 10 [--arrivals poisson|fixed] [--seed N] [--new-connections] [--client node-http|raw] [--json] URL`
 *
 * The open-loop generator as its own process (the bench starts it this way), so it never
 * shares an event loop with the server or with another generator.
 */
import { parseArgs } from 'node:util';
import { runOpenLoop, summarize, type Arrivals } from './open-loop.ts';

export const openLoopUsage = 'usage: bench:open --rate R --duration S [--arrivals poisson|fixed] [--seed N] [--warmup S] [--timeout MS] [--new-connections] [--client node-http|raw] [--json] http://host:port/path';

/** Parsed command line; throws an Error with one line on bad input. */
export function parseOpenLoopArgs(argv: readonly string[]): { url: string; rate: number; seconds: number; arrivals: Arrivals; seed: number; warmupSeconds: number; timeoutMs: number; newConnectionEach: boolean; client: 'node-http' | 'raw'; json: boolean } {
  const { values, positionals } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: {
      rate: { type: 'string' }, duration: { type: 'string' }, warmup: { type: 'string' }, timeout: { type: 'string' },
      arrivals: { type: 'string' }, seed: { type: 'string' }, client: { type: 'string' },
      'new-connections': { type: 'boolean' }, json: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  const positive = (name: string, raw: string | undefined, fallback?: number): number => {
    const value = raw === undefined ? fallback : Number(raw);
    if (value === undefined || !Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a number above 0, got "${raw ?? ''}"`);
    return value;
  };
  if (positionals.length !== 1) throw new Error(`expected one URL, got ${positionals.length}\n${openLoopUsage}`);
  const url = positionals[0]!;
  if (!/^http:\/\//.test(url)) throw new Error(`expected an http:// URL, got "${url}"`);
  const arrivals = values.arrivals ?? 'poisson';
  if (arrivals !== 'poisson' && arrivals !== 'fixed') throw new Error(`--arrivals must be poisson or fixed, got "${arrivals}"`);
  const client = values.client ?? 'node-http';
  if (client !== 'node-http' && client !== 'raw') throw new Error(`--client must be node-http or raw, got "${client}"`);
  if (client === 'raw' && values['new-connections']) throw new Error('--client raw keeps connections alive: drop --new-connections or use --client node-http');
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`--seed must be a whole number from 0 to 4294967295, got "${values.seed}"`);
  return {
    url,
    rate: positive('rate', values.rate),
    arrivals,
    seed,
    seconds: positive('duration', values.duration, 10),
    // Zero is allowed: no warm-up.
    warmupSeconds: values.warmup === '0' ? 0 : positive('warmup', values.warmup, 1),
    timeoutMs: positive('timeout', values.timeout, 10_000),
    newConnectionEach: values['new-connections'] === true,
    client,
    json: values.json === true,
  };
}

const isMain = process.argv[1] !== undefined && import.meta.filename === process.argv[1];
if (isMain) {
  let args;
  try {
    args = parseOpenLoopArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench:open: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const before = process.cpuUsage();
  const r = await runOpenLoop({ url: args.url, rate: args.rate, arrivals: args.arrivals, seed: args.seed, seconds: args.seconds, warmupSeconds: args.warmupSeconds, timeoutMs: args.timeoutMs, newConnectionEach: args.newConnectionEach, client: args.client });
  const cpu = process.cpuUsage(before);
  const summary = summarize(r, (cpu.user + cpu.system) / 1e6);
  if (args.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    const f = (n: number): string => n.toFixed(2);
    process.stdout.write([
      `offered ${summary.offeredRate} req/s (${summary.arrivals === 'poisson' ? `Poisson arrivals, seed ${args.seed}` : 'evenly spaced'}) for ${summary.seconds} s: sent ${summary.sent}, completed ${summary.completed}, errors ${summary.errors}, timeouts ${summary.timeouts}`,
      `achieved ${summary.achievedRate.toFixed(1)} req/s; generator sent late by p99 ${f(summary.sendLagP99Ms)} ms; generator CPU ${f((summary.generatorCpuSeconds * 1e6) / Math.max(1, summary.sent + Math.round(summary.offeredRate * args.warmupSeconds)))} µs per request (${args.client})`,
      `latency from intended send time (ms): p50 ${f(summary.latencyMs.p50)}  p99 ${f(summary.latencyMs.p99)}  p99.9 ${f(summary.latencyMs.p999)}  max ${f(summary.latencyMs.max)}`,
      `from actual send (closed-loop view):  p50 ${f(summary.serviceMs.p50)}  p99 ${f(summary.serviceMs.p99)}  p99.9 ${f(summary.serviceMs.p999)}  max ${f(summary.serviceMs.max)}`,
      '',
    ].join('\n'));
  }
}
