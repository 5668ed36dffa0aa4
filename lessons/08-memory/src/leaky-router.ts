/**
 * A leak the way real services leak: traces of in-flight requests kept in a module-level Map
 * "for debugging", removed by a handler that runs only on some paths. Every successful
 * request leaves its trace behind, 100 KiB each, forever.
 */
import { Router } from 'express';
import { RequestTrace, samplesPerTrace } from './request-trace.ts';

/** The path both routers serve. */
export const leakPath = '/leak';

/**
 * `GET /leak` answers `{ id, samples, mean }` and RETAINS about 118 KiB of heap per request
 * (a {@link RequestTrace} with 12 800 samples: 100 KiB of doubles plus the array's growth
 * slack, measured by scripts/leak-hunt.ts), so memory grows by ~120 MB per 1 000 requests
 * until the process runs out of heap or a supervisor (pm2 `max_memory_restart`) restarts it.
 * Mountable on any Express app or router.
 */
export function createLeakyRouter(): Router {
  const router = Router();
  const inFlight = new Map<string, RequestTrace>();
  let next = 0;
  router.get(leakPath, (req, res) => {
    const id = `t${++next}`;
    const trace = new RequestTrace(id, req.originalUrl, Date.now()).record(samplesPerTrace, next);
    inFlight.set(id, trace);
    // LESSON: the leak. 'error' fires only when writing fails; a normal response never
    // emits it, so the trace stays in the Map (keyed by a per-request counter) for good.
    res.on('error', () => inFlight.delete(id));
    res.json(trace.summary());
  });
  return router;
}
