/**
 * `pnpm --filter lesson-05 compare [--duration S] [--connections N] [--path /items/42] [--short]`
 *
 * The same server, the same route, the same connections, under autocannon, wrk and ab in one
 * run. Besides what each tool reports, it reads the server's own count from /metrics, and
 * how much CPU the generator burned: on a 2-core machine, that CPU is taken from the server.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { repoRoot, type MetricsSnapshot } from '@course/shared';
import { environmentLine, median, parseBenchArgs, runBench, spawnServer, UsageError } from '@course/shared/bench';
import { parseWrk } from '@course/shared/tools';
import { runLoad } from './run-load.ts';

interface ToolResult {
  tool: string;
  /** What the tool itself reported. */
  rate: number;
  p99Ms: number;
  /** Responses the tool counted. */
  requests: number;
  /** CPU seconds the generator used. */
  cpuSeconds: number;
}

interface Tool {
  name: string;
  /** The binary to look for; undefined for autocannon (in this process). */
  binary?: string;
  install?: string;
  run: (url: string, seconds: number, connections: number) => Promise<ToolResult>;
}

/** Runs a shell command, then `times`, which prints the CPU used by the shell's children. */
function runTimed(command: string[]): Promise<{ stdout: string; cpuSeconds: number; code: number | null }> {
  const quoted = command.map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `${quoted}; status=$?; echo '--times--'; times; exit $status`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk; });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => {
      const [output = '', times = ''] = stdout.split('--times--');
      // Second line of `times`: user and system time of the children, e.g. "0m1.234s 0m0.567s".
      const childLine = times.trim().split('\n')[1] ?? '';
      const cpuSeconds = [...childLine.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
      if (code !== 0) reject(new Error(`${command[0]} exited ${code}: ${stderr.trim().split('\n').pop()}`));
      else resolve({ stdout: output, cpuSeconds, code });
    });
  });
}

function number(text: string, pattern: RegExp, what: string): number {
  const match = pattern.exec(text);
  if (!match) throw new Error(`could not find ${what} in the output:\n${text}`);
  return Number(match[1]);
}

// wrk and ab take whole seconds: wrk rejects `-d0.5s`, and ab reads `-t 0.5` as 0, which means
// no time limit at all (it then runs the 10 000 000 requests of -n). --short asks for 0.5 s.
const wholeSeconds = (seconds: number): number => Math.max(1, Math.round(seconds));

const tools: Tool[] = [
  {
    name: 'autocannon',
    run: async (url, seconds, connections) => {
      const before = process.cpuUsage();
      const summary = await runLoad({
        url, concurrency: connections, timeLimitSeconds: seconds, method: 'GET', headers: {},
        keepAlive: true, idReplacement: false, timeoutSeconds: 30, html: false, json: false,
      });
      const cpu = process.cpuUsage(before);
      return {
        tool: 'autocannon', rate: summary.requestsPerSecond, p99Ms: summary.latencyMs.p99,
        requests: summary.completeRequests, cpuSeconds: (cpu.user + cpu.system) / 1e6,
      };
    },
  },
  {
    name: 'wrk',
    binary: 'wrk',
    install: 'apt-get install -y wrk',
    run: async (url, seconds, connections) => {
      const { stdout, cpuSeconds } = await runTimed(['wrk', '-t1', `-c${connections}`, `-d${wholeSeconds(seconds)}s`, '--latency', url]);
      const report = parseWrk(stdout);
      if (report.latencyMs.p99 === undefined) throw new Error(`no 99% line in wrk's output:\n${stdout}`);
      return { tool: 'wrk -t1', rate: report.requestsPerSecond, p99Ms: report.latencyMs.p99, requests: report.requests, cpuSeconds };
    },
  },
  ...[true, false].map((keepAlive): Tool => ({
    name: keepAlive ? 'ab -k' : 'ab',
    binary: 'ab',
    install: 'apt-get install -y apache2-utils',
    run: async (url, seconds, connections) => {
      // -t before -n: ab's -t resets -n to 50 000, a later -n lifts that cap.
      const args = ['ab', '-q', ...(keepAlive ? ['-k'] : []), '-t', String(wholeSeconds(seconds)), '-n', '10000000', '-c', String(connections), url];
      const { stdout, cpuSeconds } = await runTimed(args);
      return {
        tool: keepAlive ? 'ab -k' : 'ab (new connection each request)',
        rate: number(stdout, /^Requests per second:\s+([\d.]+)/m, 'Requests per second'),
        p99Ms: number(stdout, /^\s*99%\s+(\d+)/m, 'the 99% line'),
        requests: number(stdout, /^Complete requests:\s+(\d+)/m, 'Complete requests'), cpuSeconds,
      };
    },
  })),
];

function installed(binary: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

async function metrics(base: string, reset = false): Promise<MetricsSnapshot> {
  const response = reset ? await fetch(`${base}/metrics/reset`, { method: 'POST' }) : await fetch(`${base}/metrics`);
  return (await response.json()) as MetricsSnapshot;
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const { options, values } = parseBenchArgs(process.argv.slice(2), { duration: 5, connections: 50 }, { path: { type: 'string' } });
  const path = typeof values.path === 'string' ? values.path : '/items/42';
  if (!path.startsWith('/')) throw new UsageError(`--path must start with "/", got "${path}"`);

  const server = await spawnServer(fileURLToPath(new URL('./server.ts', import.meta.url)), {
    env: { DB_PATH: join(repoRoot, 'data', 'lesson-05.db') },
  });
  try {
    const url = `${server.url}${path}`;
    const available = tools.filter((tool) => {
      if (!tool.binary || installed(tool.binary)) return true;
      console.log(`skipped ${tool.name}: not installed (${tool.install})`);
      return false;
    });
    if (options.warmup > 0) await tools[0]!.run(url, options.warmup, options.connections);
    const runs = new Map<string, { result: ToolResult; serverRequests: number; seconds: number; elu: number }[]>();
    // Rounds alternate the order, so no tool always runs on the quieter (or busier) machine.
    for (let round = 0; round < options.rounds; round++) {
      for (const tool of round % 2 === 0 ? available : [...available].reverse()) {
        const before = await metrics(server.url, true);
        const started = performance.now();
        const result = await tool.run(url, options.duration, options.connections);
        const seconds = (performance.now() - started) / 1000;
        const after = await metrics(server.url);
        // The metrics middleware skips /metrics itself: the difference is the tool's requests.
        runs.set(tool.name, [...(runs.get(tool.name) ?? []), { result, serverRequests: after.requests.total - before.requests.total, seconds, elu: after.eventLoopUtilization.sinceReset }]);
      }
    }
    const rows = available.map((tool) => {
      const r = runs.get(tool.name)!;
      const sum = (f: (x: (typeof r)[number]) => number): number => r.reduce((acc, x) => acc + f(x), 0);
      return {
        tool: r[0]!.result.tool,
        rate: sum((x) => x.result.rate) / r.length,
        p99Ms: median(r.map((x) => x.result.p99Ms)),
        serverRate: sum((x) => x.serverRequests) / sum((x) => x.seconds),
        serverElu: sum((x) => x.elu) / r.length,
        cpuUsPerRequest: (sum((x) => x.result.cpuSeconds) / Math.max(1, sum((x) => x.result.requests))) * 1e6,
      };
    });
    console.log(`\nlesson-05 · load generators side by side · ${environmentLine()}`);
    console.log(`GET ${path}, ${options.connections} connections, ${options.rounds} round(s) × ${options.duration} s per tool${wholeSeconds(options.duration) === options.duration ? '' : ` (wrk and ab ${wholeSeconds(options.duration)} s: whole seconds only)`}, alternating order, same server (pid ${server.pid})`);
    const table = [
      ['tool', 'req/s (tool)', 'p99 ms (tool)', 'req/s (server)', 'server loop busy', 'generator CPU/request'],
      ...rows.map((r) => [r.tool, fmt(r.rate), fmt(r.p99Ms, 1), fmt(r.serverRate), `${fmt(r.serverElu * 100)}%`, `${fmt(r.cpuUsPerRequest)} µs`]),
    ];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    for (const row of table) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
    const auto = rows.find((r) => r.tool === 'autocannon');
    const wrk = rows.find((r) => r.tool.startsWith('wrk'));
    if (auto && wrk) {
      console.log(`server req/s under wrk / under autocannon = ${(wrk.serverRate / auto.serverRate).toFixed(2)}x (generator CPU per request ${fmt(wrk.cpuUsPerRequest)} µs vs ${fmt(auto.cpuUsPerRequest)} µs)`);
    }
  } finally {
    await server.close();
  }
}

runBench(main);
