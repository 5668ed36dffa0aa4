import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders, RequestListener } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createItemsRepository } from '@course/shared';
import { tsxImportArgs } from '@course/shared/bench';
import { createTestDatabase, listen } from '@course/shared/testing';
import type { RunningServer } from '@course/shared';
import { parseAbArgs, UsageError } from '../src/ab-args.ts';
import { main } from '../src/cli-main.ts';
import { createLoadTargetApp } from '../src/app.ts';
import type { LoadSummary } from '../src/run-load.ts';

const cliPath = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const run = promisify(execFile);

/** A server that counts what it receives, so a test can check what the load tester sent. */
function countingServer(onRequest?: (count: number, headers: IncomingHttpHeaders) => void): { handler: RequestListener; count: () => number } {
  let count = 0;
  return {
    count: () => count,
    handler: (req, res) => {
      count++;
      onRequest?.(count, req.headers);
      req.resume();
      res.setHeader('content-type', 'application/json');
      res.end('{"hello":"world"}');
    },
  };
}

async function runCli(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out, err };
}

const servers: RunningServer[] = [];
async function start(handler: RequestListener): Promise<RunningServer> {
  const server = await listen(handler);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'lesson-05-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('parseAbArgs', () => {
  it('defaults like ab: one request, concurrency 1, GET', () => {
    const command = parseAbArgs(['http://127.0.0.1:3000/index']);
    expect(command).toMatchObject({ kind: 'run', options: { requests: 1, concurrency: 1, method: 'GET', keepAlive: false } });
  });

  it('with -t alone, leaves the request count open', () => {
    const command = parseAbArgs(['-t', '2', 'http://127.0.0.1:3000/']);
    expect(command.kind === 'run' && command.options.requests).toBeUndefined();
  });

  it('ignores the "--" that pnpm passes through, and reads repeated -H', () => {
    const command = parseAbArgs(['--', '-k', '-H', 'X-A: 1', '-H', 'x-b:2', 'http://127.0.0.1:3000/']);
    expect(command).toMatchObject({ kind: 'run', options: { keepAlive: true, headers: { 'x-a': '1', 'x-b': '2' } } });
  });

  it('reads the -p file into a POST with the -T content type', () => {
    const file = join(dir, 'body.json');
    writeFileSync(file, '{"a":1}');
    const command = parseAbArgs(['-p', file, '-T', 'application/json', 'http://127.0.0.1:3000/items']);
    if (command.kind !== 'run') throw new Error('expected a run');
    expect(command.options.method).toBe('POST');
    expect(command.options.body?.toString()).toBe('{"a":1}');
    expect(command.options.headers['content-type']).toBe('application/json');
  });

  it.each([
    [['-n', '10'], /missing URL/],
    [['not a url'], /invalid URL "not a url"/],
    [['ftp://127.0.0.1/x'], /only http/],
    [['-n', 'ten', 'http://127.0.0.1/'], /-n must be a whole number/],
    [['-c', '0', 'http://127.0.0.1/'], /-c must be a whole number/],
    [['-c', '5', '-n', '2', 'http://127.0.0.1/'], /-c 5 is greater than -n 2/],
    [['-t', '0', 'http://127.0.0.1/'], /-t must be a number of seconds/],
    [['-p', '/nonexistent/body.json', '-T', 'application/json', 'http://127.0.0.1/'], /cannot read -p file "\/nonexistent\/body.json" \(ENOENT\)/],
    [['-p', 'fixtures/new-item.json', 'http://127.0.0.1/'], /-p needs -T/],
    [['-H', 'no colon', 'http://127.0.0.1/'], /-H expects "Name: value"/],
    [['--frobnicate', 'http://127.0.0.1/'], /Unknown option '--frobnicate'/],
  ])('rejects %j with a UsageError naming the problem', (argv, message) => {
    expect(() => parseAbArgs(argv)).toThrow(UsageError);
    expect(() => parseAbArgs(argv)).toThrow(message);
  });
});

describe('bench:load', () => {
  it('-c 200 -n 1600 makes the server see exactly 1600 requests (the real command, in a child process)', async () => {
    const counter = countingServer();
    const server = await start(counter.handler);

    const { stdout } = await run(process.execPath, [...tsxImportArgs, cliPath, '-c', '200', '-n', '1600', '--json', `${server.url}/index`]);
    const summary = JSON.parse(stdout) as LoadSummary;

    expect(counter.count()).toBe(1600);
    expect(summary.completeRequests).toBe(1600);
    expect(summary.statusCodes).toEqual({ 200: 1600 });
    expect(summary.failedRequests).toBe(0);
  }, 60_000);

  it('exits 2 with one line and no stack trace for a bad flag (child process)', async () => {
    const error = await run(process.execPath, [...tsxImportArgs, cliPath, '-n', 'lots', 'http://127.0.0.1:3000/']).then(
      () => { throw new Error('expected a non-zero exit'); },
      (e: { code: number; stderr: string; stdout: string }) => e,
    );
    expect(error.code).toBe(2);
    expect(error.stderr.trim().split('\n')).toEqual(['bench:load: -n must be a whole number from 1 to 100000000, got "lots"']);
    expect(error.stdout).toBe('');
  }, 60_000);

  it.each([
    [[], 'missing URL'],
    [['-n', '5', 'http//127.0.0.1'], 'invalid URL'],
    [['-p', '/nonexistent.json', '-T', 'application/json', 'http://127.0.0.1/'], 'cannot read -p file'],
    [['-p', 'fixtures/new-item.json', 'http://127.0.0.1/'], '-p needs -T'],
  ])('exits 2 with a one-line error for %j', async (argv, words) => {
    const { code, out, err } = await runCli(argv);
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toContain(words);
  });

  it('sends -H headers on every request', async () => {
    const seen: (string | undefined)[] = [];
    const server = await start(countingServer((_n, headers) => seen.push(headers['x-trace'] as string | undefined)).handler);

    const { code } = await runCli(['-n', '20', '-c', '4', '-H', 'X-Trace: abc', '--json', `${server.url}/`]);

    expect(code).toBe(0);
    expect(seen).toEqual(Array(20).fill('abc'));
  });

  it('prints an HTML table with -w', async () => {
    const server = await start(countingServer().handler);

    const { code, out } = await runCli(['-n', '30', '-c', '3', '-w', `${server.url}/x`]);

    expect(code).toBe(0);
    expect(out[0]).toMatch(/^<table>/);
    expect(out[0]).toContain('<th colspan="2" bgcolor="white">Complete requests:</th><td colspan="2" bgcolor="white">30</td>');
  });

  it('reports a refused connection as failed requests, not a crash', async () => {
    const closed = await listen(countingServer().handler);
    const url = `${closed.url}/`;
    await closed.close();

    const { code, out } = await runCli(['-n', '10', '--json', url]);
    const summary = JSON.parse(out[0]!) as LoadSummary;

    expect(code).toBe(0);
    expect(summary.completeRequests).toBe(0);
    expect(summary.failedRequests).toBe(10);
  });

  it('reports a server that dies mid-run as failed requests and still finishes', async () => {
    let server: RunningServer | undefined;
    const counter = countingServer((n) => {
      // Stop accepting and cut every connection after the 50th request.
      if (n === 50) { void server!.close(); server!.server.closeAllConnections(); }
    });
    server = await listen(counter.handler);

    const { code, out } = await runCli(['-n', '400', '-c', '4', '--json', `${server.url}/`]);
    const summary = JSON.parse(out[0]!) as LoadSummary;

    expect(code).toBe(0);
    expect(summary.failedRequests).toBeGreaterThan(0);
    expect(summary.completeRequests).toBeLessThan(400);
    await server.close();
  });

  it('with -t alone, runs until the time limit instead of stopping after one request', async () => {
    const counter = countingServer();
    const server = await start(counter.handler);

    const { code, out } = await runCli(['-t', '0.5', '-c', '2', '--json', `${server.url}/`]);
    const summary = JSON.parse(out[0]!) as LoadSummary;

    expect(code).toBe(0);
    expect(summary.requestedRequests).toBeUndefined();
    expect(summary.completeRequests).toBeGreaterThan(1);
    // Requests still in flight when the clock stops reached the server but never completed:
    // at most one per connection.
    expect(counter.count()).toBeGreaterThanOrEqual(summary.completeRequests);
    expect(counter.count()).toBeLessThanOrEqual(summary.completeRequests + 2);
  });

  it('prints its version and autocannon\'s with -V', async () => {
    const { code, out } = await runCli(['-V']);
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^bench:load \d+\.\d+\.\d+ \(lesson-05, autocannon 9\.\d+\.\d+ underneath\)$/);
  });
});

describe('POST load against the items API', () => {
  it('with -p/-T and the same body each time, creates one item and answers 409 to the rest (what ab does)', async () => {
    const db = createTestDatabase(0);
    const server = await start(createLoadTargetApp(db));
    const file = join(dir, 'fixed-item.json');
    writeFileSync(file, JSON.stringify({ sku: 'SAME-1', name: 'Lamp', category: 'tools', priceCents: 100 }));

    const { out } = await runCli(['-n', '20', '-c', '2', '-p', file, '-T', 'application/json', '--json', `${server.url}/items`]);
    const summary = JSON.parse(out[0]!) as LoadSummary;

    expect(summary.statusCodes).toEqual({ 201: 1, 409: 19 });
    expect(createItemsRepository(db).count()).toBe(1);
    db.close();
  });

  it('with -I, replaces [<id>] per request so every POST creates an item', async () => {
    const db = createTestDatabase(0);
    const server = await start(createLoadTargetApp(db));

    const { out } = await runCli(['-n', '50', '-c', '5', '-I', '-p', 'fixtures/new-item.json', '-T', 'application/json', '--json', `${server.url}/items`]);
    const summary = JSON.parse(out[0]!) as LoadSummary;

    expect(summary.statusCodes).toEqual({ 201: 50 });
    const items = createItemsRepository(db).list({ limit: 100 });
    expect(new Set(items.map((i) => i.sku)).size).toBe(50);
    db.close();
  });

  it('answers 415 when -T is not JSON: the classic benchmark of error responses', async () => {
    const db = createTestDatabase(0);
    const server = await start(createLoadTargetApp(db));

    const { out } = await runCli(['-n', '5', '-p', 'fixtures/new-item.json', '-T', 'text/plain', '--json', `${server.url}/items`]);
    const summary = JSON.parse(out[0]!) as LoadSummary;

    expect(summary.statusCodes).toEqual({ 415: 5 });
    expect(summary.non2xx).toBe(5);
    db.close();
  });
});

/** Where ab is on this machine, or undefined. */
const abPath = ((): string | undefined => {
  try {
    return execFileSync('sh', ['-c', 'command -v ab'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
})();

/** The figures ab's text summary prints (and bench:load's text summary, which copies it). */
interface AbFigures { concurrency: number; seconds: number; complete: number; perRequestMs: number; perRequestAcrossAllMs: number }

function readAbFigures(text: string): AbFigures {
  const number = (pattern: RegExp): number => {
    const match = pattern.exec(text);
    if (!match) throw new Error(`no ${pattern} in:\n${text}`);
    return Number(match[1]);
  };
  return {
    concurrency: number(/^Concurrency Level:\s+(\d+)$/m),
    seconds: number(/^Time taken for tests:\s+([\d.]+) seconds$/m),
    complete: number(/^Complete requests:\s+(\d+)$/m),
    perRequestMs: number(/^Time per request:\s+([\d.]+) \[ms\] \(mean\)$/m),
    perRequestAcrossAllMs: number(/^Time per request:\s+([\d.]+) \[ms\] \(mean, across all concurrent requests\)$/m),
  };
}

/**
 * Each figure against ab's definition from the same output's totals: within 1%, plus what the
 * printed rounding of the time taken (3 decimals) and of the figure itself can account for.
 */
function expectAbDefinitions(f: AbFigures): void {
  const mean = (f.concurrency * f.seconds * 1000) / f.complete;
  const acrossAll = (f.seconds * 1000) / f.complete;
  const tolerance = 0.01 + 0.0005 / f.seconds;
  expect(Math.abs(f.perRequestMs - mean)).toBeLessThanOrEqual(mean * tolerance + 0.0005);
  expect(Math.abs(f.perRequestAcrossAllMs - acrossAll)).toBeLessThanOrEqual(acrossAll * tolerance + 0.0005);
}

describe('bench:load against real ab', () => {
  it('prints both of ab\'s "Time per request" lines by ab\'s definitions, as real ab does', async (ctx) => {
    ctx.skip(!abPath, 'ab (apache2-utils) is not installed: nothing to compare with');
    const server = await start(countingServer().handler);
    const args = ['-k', '-c', '10', '-n', '3000', `${server.url}/index`];

    const ab = await run(abPath!, args);
    const cli = await run(process.execPath, [...tsxImportArgs, cliPath, ...args]);
    const abFigures = readAbFigures(ab.stdout);
    const cliFigures = readAbFigures(cli.stdout);

    // The same definitions: each tool's lines follow from its own totals.
    expectAbDefinitions(abFigures);
    expectAbDefinitions(cliFigures);
    expect(cliFigures).toMatchObject({ concurrency: 10, complete: 3000 });
    // Two separate runs on a shared machine, ab in C and autocannon in JavaScript: the values
    // only have to be of the same size (a figure of another definition, e.g. the across-all
    // line in place of the mean, would be 10 times off).
    for (const key of ['perRequestMs', 'perRequestAcrossAllMs'] as const) {
      expect(cliFigures[key] / abFigures[key]).toBeGreaterThan(1 / 4);
      expect(cliFigures[key] / abFigures[key]).toBeLessThan(4);
    }
  }, 120_000);
});
