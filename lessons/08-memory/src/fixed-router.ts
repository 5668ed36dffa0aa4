/**
 * The same route with the leak fixed: a trace lives exactly as long as its request.
 */
import { Router } from 'express';
import { leakPath } from './leaky-router.ts';
import { RequestTrace, samplesPerTrace } from './request-trace.ts';

/**
 * `GET /leak`, same response as {@link createLeakyRouter}, but the trace is removed when the
 * response ends, whether it finished or the client went away. Mountable anywhere.
 */
export function createFixedRouter(): Router {
  const router = Router();
  const inFlight = new Map<string, RequestTrace>();
  let next = 0;
  router.get(leakPath, (req, res) => {
    const id = `t${++next}`;
    const trace = new RequestTrace(id, req.originalUrl, Date.now()).record(samplesPerTrace, next);
    inFlight.set(id, trace);
    // LESSON: 'close' fires after every response, finished or aborted; the Map holds only
    // requests in flight, so its size is bounded by concurrency, not by traffic.
    res.on('close', () => inFlight.delete(id));
    res.json(trace.summary());
  });
  return router;
}
