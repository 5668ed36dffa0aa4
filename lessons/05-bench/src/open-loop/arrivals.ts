/**
 * When each request of an open-loop run is due. `fixed`: every 1/rate seconds, the textbook
 * schedule. `poisson`: independent arrivals at the same mean rate, so the gaps between them are
 * exponentially distributed. Real users do not coordinate: some arrive in bursts, and a server
 * that keeps up with a fixed schedule may still queue behind a burst. Seeded, so two runs (and
 * two variants) see the same bursts.
 */
import { createRandom } from '@course/shared';

/** How requests arrive in an open-loop run. */
export type Arrivals = 'poisson' | 'fixed';

/**
 * Intended send times (ms from the start) of requests 0 … count-1 at a mean of `rate` per second
 * (Poisson unless told `fixed`). Request 0 is due at 0 on either schedule.
 */
export function arrivalSchedule(count: number, rate: number, arrivals: Arrivals = 'poisson', seed = 1): Float64Array {
  const at = new Float64Array(count);
  if (arrivals === 'fixed') {
    for (let i = 0; i < count; i++) at[i] = (i * 1000) / rate;
    return at;
  }
  const random = createRandom(seed);
  const meanGapMs = 1000 / rate;
  let t = 0;
  for (let i = 1; i < count; i++) {
    // LESSON: inverse transform: -ln(U) / λ is exponential with mean 1/λ (1 - U avoids ln 0).
    t += -Math.log(1 - random()) * meanGapMs;
    at[i] = t;
  }
  return at;
}
