/**
 * The wrk report parser that `npm run bench` and `bench:reload` both read wrk through.
 * The samples are wrk 4's output, as printed on this course's machine.
 */
import { describe, expect, it } from 'vitest';
import { parseWrkOutput } from '../src/wrk.ts';

const clean = `Running 1s test @ http://127.0.0.1:39517
  1 threads and 5 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   454.66us    1.23ms  18.93ms   93.85%
    Req/Sec    26.47k    10.78k   36.07k    80.00%
  Latency Distribution
     50%  134.00us
     75%  219.00us
     90%  691.00us
     99%    6.17ms
  26264 requests in 1.00s, 3.13MB read
  Non-2xx or 3xx responses: 6655
Requests/sec:  26223.72
Transfer/sec:      3.12MB
`;

describe('parseWrkOutput', () => {
  it('reads requests, duration, percentiles in ms, the max latency and non-2xx', () => {
    expect(parseWrkOutput(clean)).toEqual({
      requests: 26264, seconds: 1, p50Ms: 0.134, p99Ms: 6.17, maxMs: 18.93, non2xx: 6655, socketErrors: {},
    });
  });

  it('counts socket errors by kind, keeping only those above 0', () => {
    const withErrors = clean.replace('  Non-2xx', '  Socket errors: connect 0, read 3, write 0, timeout 2\n  Non-2xx');
    expect(parseWrkOutput(withErrors).socketErrors).toEqual({ read: 3, timeout: 2 });
  });

  it('fails on output that has no request count (wrk printed its usage)', () => {
    expect(() => parseWrkOutput('Usage: wrk <options> <url>\n')).toThrow(/cannot parse wrk output/);
  });
});
