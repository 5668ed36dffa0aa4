/**
 * The same load with wrk (src/wrk.ts runs it), counted as the Node client counts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runWrk } from '../wrk.ts';
import type { LoadStats } from './keep-alive-load.ts';

/** Writes the Lua scripts for GET `/items/:id` and POST `/items` (unique skus) into `dir`. */
export function wrkScripts(dir: string, hot: number): { get: string; post: string } {
  mkdirSync(dir, { recursive: true });
  const get = join(dir, 'reload-get.lua');
  const post = join(dir, 'reload-post.lua');
  writeFileSync(get, `request = function() return wrk.format("GET", "/items/" .. math.random(1, ${hot})) end\n`);
  writeFileSync(post, [
    'wrk.method = "POST"',
    'wrk.headers["Content-Type"] = "application/json"',
    'local n = 0',
    // wrk's math.random is unseeded (the same "random" id every run): the clock differs per run.
    'local run = os.time()',
    'request = function()',
    '  n = n + 1',
    `  return wrk.format(nil, "/items", nil, '{"sku":"WRK-' .. run .. '-' .. n .. '","name":"wrk item","category":"load","priceCents":' .. (100 + n % 1000) .. '}')`,
    'end',
    '',
  ].join('\n'));
  return { get, post };
}

/** Runs wrk for `seconds` with `connections` connections; resolves with its counts. */
export async function wrkLoad(url: string, script: string, seconds: number, connections: number): Promise<LoadStats> {
  // A 10 s request timeout, as the Node client's: a slow answer during a restart is not an error.
  const run = await runWrk({ url, script, seconds, connections, timeoutS: 10 });
  return {
    requests: run.requests,
    non2xx: run.non2xx,
    errors: run.socketErrors,
    errorCount: Object.values(run.socketErrors).reduce((a, b) => a + b, 0),
    maxLatencyMs: Math.round(run.maxMs),
  };
}
